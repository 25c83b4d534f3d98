import path from 'node:path';
import { CPU_PARTS, type AppCpuProfile } from './cpu-profile.js';
import { HEAP_PARTS, OTHER_PART } from './heap-profile.js';
import { INGRESS_STREAMS_PER_CONNECTION } from './load.js';
import { ADD, PURCHASE, REFERENCE_ADD, REFERENCE_PURCHASE, type BenchReport, type FlashCrowd } from './scenarios.js';

const n = (value: number | undefined, digits = 0) => (value === undefined ? '—' : value.toFixed(digits));

/**
 * The two throughput targets were set from the reference example's figures on another day (its add at about
 * 0.9× the one-hop ceiling, its purchase at about 0.19 flows per one-hop call): set beside what the example and the
 * shop do in this run.
 */
function targetLines(report: BenchReport): string[] {
  const row = (scenario: string, concurrency: number) => report.throughput.find((r) => r.scenario === scenario && r.concurrency === concurrency);
  const lines = [
    '### Against the targets, and against the reference example in this run',
    '',
    'Targets: addTicket ≥ 0.9× the one-hop ceiling at 64 and 256; a purchase ≥ 0.3 flows per one-hop call.',
    '',
    '| conc. | addTicket × one-hop | reference addTicket × one-hop | addTicket × reference | purchase × one-hop | reference purchase × one-hop | purchase × reference |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const add of report.throughput.filter((r) => r.scenario === ADD)) {
    const [referenceAdd, purchase, referencePurchase] = [REFERENCE_ADD, PURCHASE, REFERENCE_PURCHASE].map((scenario) => row(scenario, add.concurrency));
    const cells = [add.ratioToHop, referenceAdd?.ratioToHop, add.ratioToReference, purchase?.ratioToHop, referencePurchase?.ratioToHop, purchase?.ratioToReference];
    lines.push(`| ${add.concurrency} | ${cells.map((cell) => n(cell, 2)).join(' | ')} |`);
  }
  return lines;
}

/** The report as Markdown: readable in a terminal, and committed nowhere (written under .data/bench/). */
export function formatReport(report: BenchReport): string {
  const lines = [`# Benchmark (${report.mode}, apps: ${report.apps}), ${report.startedAt}`, '', '## Throughput through ingress', ''];
  lines.push(
    'CPU is per request (per flow for the purchase), summed over the server, the apps and the ceiling endpoint, until the engine has also finished the asynchronous work the load left behind; "× one-hop (CPU)" is the one-hop call\'s CPU ÷ this request\'s. The reference example is Restate\'s ticket-reservation example, served beside the ceiling: "× reference" is the shop\'s rate ÷ the example\'s.',
    '',
    '| scenario | conc. | req/s | p50 ms | p95 ms | p99 ms | errors | × one-hop ceiling | × reference | CPU ms | of which server | × one-hop (CPU) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const row of report.throughput) {
    const cells = [row.scenario, row.concurrency, n(row.rps), n(row.p50, 1), n(row.p95, 1), n(row.p99, 1), row.errors, n(row.ratioToHop, 2), n(row.ratioToReference, 2)];
    cells.push(n(row.cpuMsPerRequest, 2), n(row.cpuMsByProcess['restate-server'], 2), n(row.cpuRatioToHop, 2));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push('', ...targetLines(report));
  const h = report.hotSeat;
  lines.push(
    '',
    '## Hot seat',
    '',
    `- ${h.users} users on one seat settled in ${n(h.raceSettleMs)} ms with ${h.raceWinners} winner(s); on ${h.users} distinct seats in ${n(h.distinctSettleMs)} ms (ratio ${n(h.ratio, 2)}); CPU per add ${n(h.raceCpuMsPerRequest, 1)} vs ${n(h.distinctCpuMsPerRequest, 1)} ms.`,
    `- ${h.pairsSeats} seats with two users each settled in ${n(h.pairsSettleMs)} ms; contested seats without exactly one winner: ${h.pairsBadSeats}; seats not reached within the time bound: ${h.pairsNotReached}; errors: ${h.pairsErrors}.`,
    '',
    '## Expiry storms',
    '',
    'The seat map is one read of the whole event while its holds are in place (median and slowest of five). Seats free and drained are after the last expiry: when the availability map shows every seat free, and when every cart is tidied too.',
    '',
    '| holds | created in ms | seat map ms | slowest | seats free ms | drained ms | re-held | errors | failed expiries | addTicket p99 before | during | ratio |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of report.expiryStorms) {
    const ratio = `${n(s.p99Ratio, 2)}${s.overlapped ? ' (overlapped its creation)' : ''}`;
    lines.push(`| ${s.holds} | ${n(s.createMs)} | ${n(s.mapReadMs)} | ${n(s.mapReadMaxMs)} | ${n(s.seatsFreeMs)} | ${n(s.drainMs)} | ${s.reheld}/${s.reheldTried} | ${s.errors} | ${s.failedExpiries} | ${n(s.p99BeforeMs, 1)} | ${n(s.p99DuringMs, 1)} | ${ratio} |`);
  }
  lines.push(
    '',
    '## Growth: addTicket at concurrency 64 with seats already held',
    '',
    'Measured once the engine has finished the fill\'s work (settled), so that it shows what the held seats cost.',
    '',
    '| already held | settled in ms | req/s | p50 ms | p99 ms | errors |',
    '|---:|---:|---:|---:|---:|---:|',
  );
  for (const g of report.growth) lines.push(`| ${g.alreadyHeld} | ${n(g.settleMs)} | ${n(g.rps)} | ${n(g.p50, 1)} | ${n(g.p99, 1)} | ${g.errors} |`);
  const crowd = (how: string, c: FlashCrowd) =>
    `- ${how}: ${c.users} adds answered in ${n(c.durationMs)} ms: ${n(c.rps)} per s, ${n(c.rateToHotSeatDistinct, 2)}× the rate of the hot seat's ${report.hotSeat.users} distinct adds at once; p50 ${n(c.p50)} ms, p99 ${n(c.p99)} ms; ${c.held}/${c.users} held; errors: ${c.errors}.`;
  lines.push(
    '',
    '## Flash crowd: every add at once, each of a seat of its own',
    '',
    crowd(`through one HTTP/2 connection, as behind a front proxy (ingress runs ${INGRESS_STREAMS_PER_CONNECTION} of them at once)`, report.flashCrowdOneConnection),
    crowd('a connection each, straight at ingress', report.flashCrowd),
  );
  lines.push('', '## Resources', '');
  for (const [name, mib] of Object.entries(report.memoryMiB)) lines.push(`- peak RSS ${name}: ${n(mib)} MiB, of which anonymous at most ${n(report.anonymousPeakMiB[name])} MiB`);
  lines.push(
    '  - the rest is pages of files the process maps (restate-server\'s own binary above all), which the kernel takes back under a memory limit',
    `- restate-server's peak RSS (anonymous) so far, after each stage: ${report.serverPeakAfter.map(({ stage, mib, anonMib }) => `${stage} ${n(mib)} (${n(anonMib)}) MiB`).join('; ')}`,
  );
  const mib = (bytes: number) => n(bytes / 1024 / 1024, 1);
  const { disk } = report;
  lines.push(
    `- restate-server data dir: ${mib(disk.bytesAtStart)} MiB at start, ${mib(disk.bytes)} MiB after ${disk.reservations} reservations (before the flash crowd) = ${n(disk.bytesPerReservation)} bytes per reservation`,
    `  - of which the log ${mib(disk.logBytes)} MiB (kept until the partition store is flushed and the log trimmed behind it) and the partition store ${mib(disk.partitionStoreBytes)} MiB = ${n(disk.partitionStoreBytesPerReservation)} bytes per reservation`,
  );
  if (report.heap) {
    const parts = [...HEAP_PARTS.map(([part]) => part), OTHER_PART];
    lines.push(
      '',
      "## restate-server's heap by part (`--heap-profile`)",
      '',
      `jemalloc's sampled estimate of the live heap (MiB), from the profile each stage took nearest its peak RSS (pprof files, in ${path.dirname(report.heap[0]?.file ?? '.')}). Bytes allocated, not pages in use. Sampling costs the server CPU, so this run's speeds are not comparable with others'.`,
      '',
      `| stage | RSS | heap | ${parts.join(' | ')} |`,
      `|---|---:|---:|${parts.map(() => '---:').join('|')}|`,
    );
    for (const snapshot of report.heap) lines.push(`| ${snapshot.stage} | ${n(snapshot.rssMiB)} | ${n(snapshot.sampledMiB)} | ${parts.map((part) => n(snapshot.parts[part])).join(' | ')} |`);
  }
  if (report.appCpu) {
    const apps = report.appCpu;
    const share = (profile: AppCpuProfile, ms: number) => `${n((100 * ms) / Math.max(1, profile.busyMs), 1)}%`;
    lines.push(
      '',
      "## The apps' CPU by part (`--cpu-profile`)",
      '',
      `Share of each app's main-thread busy time over the whole run, sampled, from the profile it wrote as it exited (.cpuprofile files, in ${path.dirname(apps[0]?.file ?? '.')}; Chrome's DevTools open them). Profiling costs the apps CPU, so this run's speeds are not comparable with others'.`,
      '',
      `| part | ${apps.map(({ app }) => app).join(' | ')} |`,
      `|---|${apps.map(() => '---:').join('|')}|`,
      `| main thread busy, s (sampled) | ${apps.map(({ busyMs }) => n(busyMs / 1000, 1)).join(' | ')} |`,
      ...CPU_PARTS.map((part) => `| ${part} | ${apps.map((profile) => share(profile, profile.parts[part])).join(' | ')} |`),
    );
  }
  return lines.join('\n');
}
