import path from 'node:path';
import { seatId, type EventDefinition } from '@tickets/contracts';
import { querySql, waitForInvocationsToFinish } from '@tickets/local-restate';
import type { BenchSystem } from './bench-system.js';
import type { AppCpuProfile } from './cpu-profile.js';
import { runLoad, type LoadResult, type Post } from './load.js';
import { watchServerHeap, type HeapSnapshot } from './heap-profile.js';
import { cpuMs, directoryBytes, peakRssMiB, sampleAnonymousMemory } from './metrics.js';

/**
 * An on-sale's opening: `users` adds, each of a seat of its own, all sent at once. `held` must be all of them; the
 * rate against the hot seat's distinct adds (1,000 at once) shows whether a bigger crowd costs more than its size.
 */
export interface FlashCrowd {
  users: number;
  durationMs: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  held: number;
  rateToHotSeatDistinct: number;
}

export interface BenchOptions {
  /** Under a minute: small counts, concurrencies 1 and 16, proves the tool works. */
  quick: boolean;
  /** Also the 100,000-hold expiry storm and 100,000-seat growth stage. */
  long: boolean;
  /** `--heap-profile`: the server samples its heap; keep a profile per stage, taken near its peak, in this folder. */
  heapProfileDir?: string;
  log: (line: string) => void;
}

export interface ThroughputRow extends LoadResult {
  scenario: string;
  concurrency: number;
  /** Against the one-hop ceiling at the same concurrency (flows for the purchase). */
  ratioToHop?: number;
  /** The shop's add and purchase against the reference example's at the same concurrency (see reference-example.ts). */
  ratioToReference?: number;
  /**
   * CPU per request (per flow for the purchase) of the server, the apps and the ceiling endpoint, in ms, from the
   * load's start until the engine has finished the asynchronous work it left (e.g. availability messages). A
   * measure of work rather than of speed, so a busy neighbour on a shared machine changes it far less than req/s.
   */
  cpuMsPerRequest: number;
  cpuMsByProcess: Record<string, number>;
  /** The one-hop ceiling's CPU per call ÷ this request's: the throughput ratio to expect where CPU is what runs out. */
  cpuRatioToHop?: number;
}

export interface BenchReport {
  startedAt: string;
  mode: 'quick' | 'full' | 'long';
  apps: 'one process each' | 'one process for all three';
  throughput: ThroughputRow[];
  hotSeat: {
    users: number;
    distinctSettleMs: number;
    raceSettleMs: number;
    raceWinners: number;
    ratio: number;
    /** CPU per add, as for the throughput rows: what each side costs the machine, whatever the time says. */
    distinctCpuMsPerRequest: number;
    raceCpuMsPerRequest: number;
    pairsSeats: number;
    pairsSettleMs: number;
    /** Seats both users tried for that did not end with exactly one winner: must be 0. */
    pairsBadSeats: number;
    /** Seats the time bound left untried by one or both users. */
    pairsNotReached: number;
    pairsErrors: number;
  };
  expiryStorms: {
    holds: number;
    createMs: number;
    /** One read of the event's whole seat map while its holds are in place and the probe runs: median and slowest of five. */
    mapReadMs: number;
    mapReadMaxMs: number;
    /** After the last expiry, until the public availability map shows no storm seat held. */
    seatsFreeMs: number;
    /** After the last expiry, until every storm cart is tidied away as well. */
    drainMs: number;
    /** Storm seats that new buyers then tried to hold, and how many they got: all of them, or a hold outlived its time. */
    reheldTried: number;
    reheld: number;
    errors: number;
    failedExpiries: number;
    p99BeforeMs: number;
    p99DuringMs: number;
    p99Ratio: number;
    /** The first holds expired before creating the rest (and the "before" probe) was done: the figures mix both. */
    overlapped: boolean;
  }[];
  /** `settleMs`: how long the fill's own work took to finish after its calls returned, before measuring. */
  growth: { alreadyHeld: number; settleMs: number; rps: number; p50: number; p99: number; errors: number }[];
  /** An on-sale's opening, each user with a connection of their own to ingress. */
  flashCrowd: FlashCrowd;
  /** The same crowd through one HTTP/2 connection, as a front proxy that multiplexes would send it. */
  flashCrowdOneConnection: FlashCrowd;
  /** Peak RSS per process. */
  memoryMiB: Record<string, number | undefined>;
  /** The highest anonymous part of each process's RSS, sampled: what a container's memory limit must hold. */
  anonymousPeakMiB: Record<string, number | undefined>;
  /** restate-server's peak RSS (and anonymous peak) so far, read after each stage: where the peak was reached. */
  serverPeakAfter: { stage: string; mib: number | undefined; anonMib: number | undefined }[];
  /** With `--heap-profile`: what the server's heap was spent on near each stage's peak. */
  heap?: HeapSnapshot[];
  /** With `--cpu-profile`: where each app process spent its CPU over the whole run (read once the apps have exited). */
  appCpu?: AppCpuProfile[];
  /**
   * Growth of the server's data dir up to the flash crowd. Its log keeps every record until the partition store has
   * been flushed and the log trimmed behind it; the partition store is what stays.
   */
  disk: {
    bytesAtStart: number;
    bytes: number;
    reservations: number;
    bytesPerReservation: number;
    logBytes: number;
    partitionStoreBytes: number;
    partitionStoreBytesPerReservation: number;
  };
}

const rowLabel = (index: number): string => {
  let label = '';
  for (let n = index; ; n = Math.floor(n / 26) - 1) {
    label = String.fromCharCode(65 + (n % 26)) + label;
    if (n < 26) break;
  }
  return label;
};

/** An event of `seats` seats in rows of 500, and an allocator that hands out each seat once. */
async function benchEvent(bench: BenchSystem, eventId: string, seats: number, extra: Partial<EventDefinition> = {}) {
  const rows = Math.ceil(seats / 500);
  await bench.createEvent(eventId, {
    name: eventId,
    venue: 'Bench arena',
    startsAt: '2030-01-01T20:00:00Z',
    currency: 'USD',
    sections: [{ id: 'all', name: 'All', priceCents: 4000, rows: Array.from({ length: rows }, (_, i) => ({ label: rowLabel(i), seats: 500 })) }],
    maxSeatsPerUser: 100,
    ...extra,
  });
  let next = 0;
  return () => {
    const index = next++;
    if (index >= rows * 500) throw new Error(`${eventId} is out of seats`);
    return seatId({ eventId, row: rowLabel(Math.floor(index / 500)), number: (index % 500) + 1 });
  };
}

let users = 0;
const newUser = (prefix = 'bu') => `${prefix}${users++}`;
let keys = 0;
const addTicket = (post: Post, user: string, seat: string) => post(`/UserSession/${user}/addTicket`, JSON.stringify(seat)).then((t) => t === 'true');
/** The reference example sells any string as a seat: each add is of a seat of its own. */
const referenceAddTicket = (post: Post, user: string) => post(`/ReferenceUserSession/${user}/addTicket`, JSON.stringify(`ref-${keys++}`)).then((t) => t === 'true');

export const NOOP = 'ceiling: no-op object';
export const HOP = 'ceiling: one hop';
export const ADD = 'addTicket';
export const PURCHASE = 'purchase (3 adds, cart, checkout)';
export const REFERENCE_ADD = `reference example: ${ADD}`;
export const REFERENCE_PURCHASE = `reference example: ${PURCHASE}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runScenarios(bench: BenchSystem, options: BenchOptions): Promise<BenchReport> {
  const { log, quick } = options;
  const startedAt = new Date().toISOString();
  const ingressUrl = bench.system.ingressUrl;
  // What the server keeps per reservation is the growth of its data dir, not the fixed files it starts with.
  const { server } = bench.system;
  const { dataDir } = server;
  const bytesAtStart = directoryBytes(dataDir);
  const load = (
    concurrency: number,
    total: number,
    unit: (i: number, post: Post) => Promise<boolean>,
    maxDurationMs = quick ? 10_000 : 60_000,
    until?: () => boolean,
  ) => runLoad({ ingressUrl, concurrency, total, maxDurationMs, unit, until });
  let reservations = 0;
  /**
   * Wait until the engine has nothing to run but timers not yet due; answers how long. Gives up after two minutes
   * and measures anyway: a settle time of 120,000 ms says so.
   */
  const settle = async () => {
    const started = performance.now();
    await waitForInvocationsToFinish(bench.system.adminUrl, { exceptScheduled: true, intervalMs: 250 }).catch(() => undefined);
    return performance.now() - started;
  };
  // The processes a request costs CPU in (the load generator, this process, is not one of them).
  const cpuProcesses = new Map<number, string>([[server.pid ?? 0, 'restate-server'], ...bench.appProcesses(), [bench.ceiling.pid ?? 0, 'ceiling']]);
  const cpuNow = () => new Map([...cpuProcesses].map(([pid, name]) => [name, cpuMs(pid)]));
  /** A throughput load, then its CPU per request, counted until the engine has also done the work it left behind. */
  const measuredLoad = async (concurrency: number, total: number, unit: (i: number, post: Post) => Promise<boolean>) => {
    const before = cpuNow();
    const result = await load(concurrency, total, unit);
    await settle();
    const perRequest = (name: string, ms: number) => [name, (ms - (before.get(name) ?? 0)) / Math.max(1, result.requests)] as const;
    const cpuMsByProcess = Object.fromEntries([...cpuNow()].map(([name, ms]) => perRequest(name, ms)));
    return { ...result, cpuMsByProcess, cpuMsPerRequest: Object.values(cpuMsByProcess).reduce((sum, ms) => sum + ms, 0) };
  };
  const memoryProcesses = new Map([
    ['restate-server', server.pid],
    ...[...bench.system.apps.values()].map(({ process }) => [process.spec.name, process.pid] as const),
  ]);
  const memory = sampleAnonymousMemory(memoryProcesses);
  const serverPeakAfter: BenchReport['serverPeakAfter'] = [];
  const heap = options.heapProfileDir ? await watchServerHeap({ nodeUrl: `http://127.0.0.1:${server.ports.node}`, pid: server.pid, dir: options.heapProfileDir, log }) : undefined;
  const markPeak = async (stage: string) => {
    serverPeakAfter.push({ stage, mib: peakRssMiB(server.pid), anonMib: memory.peakMiB('restate-server') });
    await heap?.mark(stage);
  };

  // 1–3: ceilings, addTicket and full purchase, interleaved per concurrency.
  const concurrencies = quick ? [1, 16] : [1, 16, 64, 256];
  const perLevel = (c: number) => (quick ? Math.max(100, c * 8) : Math.max(400, c * 16));
  const seats = await benchEvent(bench, 'bench-main', concurrencies.reduce((n, c) => n + perLevel(c) * 2, 0) + 1000);
  const throughput: ThroughputRow[] = [];
  for (const concurrency of concurrencies) {
    const n = perLevel(concurrency);
    const noop = await measuredLoad(concurrency, n, (_, post) => post(`/BenchNoop/n${keys++}/noop`).then(() => true));
    const hop = await measuredLoad(concurrency, n, (_, post) => post(`/BenchHop/h${keys++}/hop`).then(() => true));
    const referenceAdd = await measuredLoad(concurrency, n, (_, post) => referenceAddTicket(post, newUser('ru')));
    const add = await measuredLoad(concurrency, n, (_, post) => addTicket(post, newUser(), seats()));
    reservations += add.oks;
    const flows = Math.max(concurrency, Math.floor(n / 4));
    const referencePurchase = await measuredLoad(concurrency, flows, async (_, post) => {
      const user = newUser('ru');
      for (let i = 0; i < 3; i++) await referenceAddTicket(post, user);
      await post(`/ReferenceUserSession/${user}/getCart`);
      return (await post(`/ReferenceUserSession/${user}/checkout`)) === 'true';
    });
    const purchase = await measuredLoad(concurrency, flows, async (_, post) => {
      const user = newUser();
      for (let i = 0; i < 3; i++) await addTicket(post, user, seats());
      await post(`/UserSession/${user}/getCart`);
      return (JSON.parse(await post(`/UserSession/${user}/checkout`, JSON.stringify({ email: `${user}@bench.test` }))) as { ok: boolean }).ok;
    });
    // The reference example's holds are on the same server: they count among the reservations its data dir keeps.
    reservations += purchase.oks * 3 + referenceAdd.oks + referencePurchase.oks * 3;
    const against = (result: typeof hop, reference?: typeof hop) => ({
      ratioToHop: result.rps / hop.rps,
      cpuRatioToHop: hop.cpuMsPerRequest / result.cpuMsPerRequest,
      ...(reference ? { ratioToReference: result.rps / reference.rps } : {}),
    });
    throughput.push(
      { scenario: NOOP, concurrency, ...noop, ...against(noop) },
      { scenario: HOP, concurrency, ...hop, ...against(hop) },
      { scenario: REFERENCE_ADD, concurrency, ...referenceAdd, ...against(referenceAdd) },
      { scenario: ADD, concurrency, ...add, ...against(add, referenceAdd) },
      { scenario: REFERENCE_PURCHASE, concurrency, ...referencePurchase, ...against(referencePurchase) },
      { scenario: PURCHASE, concurrency, ...purchase, ...against(purchase, referencePurchase) },
    );
    await markPeak(`throughput at concurrency ${concurrency}`);
    const times = (a: LoadResult, b: LoadResult) => `${(a.rps / b.rps).toFixed(2)}×`;
    log(
      `c=${concurrency}: hop ${hop.rps.toFixed(0)}/s; addTicket ${add.rps.toFixed(0)}/s = ${times(add, hop)} hop, ${times(add, referenceAdd)} the reference's (${times(referenceAdd, hop)} hop); ` +
        `purchase ${purchase.rps.toFixed(1)} flows/s = ${times(purchase, hop)} hop, ${times(purchase, referencePurchase)} the reference's (${times(referencePurchase, hop)} hop)`,
    );
  }

  // 4: hot seat — 1,000 users on one seat vs 1,000 users on 1,000 seats; then 10,000 seats with two users each.
  const hotUsers = quick ? 200 : 1_000;
  const hot = await benchEvent(bench, 'bench-hot', hotUsers + 10);
  // Each starts on an engine that has finished the work before it (the distinct seats' availability messages), so
  // that the two are compared on their own.
  const distinct = await measuredLoad(hotUsers, hotUsers, (_, post) => addTicket(post, newUser(), hot()));
  const oneSeat = hot();
  const race = await measuredLoad(hotUsers, hotUsers, (_, post) => addTicket(post, newUser(), oneSeat));
  const pairSeats = quick ? 500 : 10_000;
  const pairs = await benchEvent(bench, 'bench-pairs', pairSeats);
  const pairIds = Array.from({ length: pairSeats }, () => pairs());
  const winners = new Array<number>(pairSeats).fill(0);
  const answered = new Array<number>(pairSeats).fill(0);
  const paired = await load(quick ? 64 : 256, pairSeats * 2, async (i, post) => {
    const won = await addTicket(post, newUser(), pairIds[i >> 1] as string);
    answered[i >> 1] = (answered[i >> 1] ?? 0) + 1;
    if (won) winners[i >> 1] = (winners[i >> 1] ?? 0) + 1;
    return won;
  }, 300_000);
  reservations += distinct.oks + race.oks + paired.oks;
  await markPeak('hot seat and pairs');
  const hotSeat = {
    users: hotUsers,
    distinctSettleMs: distinct.durationMs,
    raceSettleMs: race.durationMs,
    raceWinners: race.oks,
    ratio: race.durationMs / distinct.durationMs,
    distinctCpuMsPerRequest: distinct.cpuMsPerRequest,
    raceCpuMsPerRequest: race.cpuMsPerRequest,
    pairsSeats: pairSeats,
    pairsSettleMs: paired.durationMs,
    pairsBadSeats: winners.filter((w, seat) => w > 1 || (answered[seat] === 2 && w !== 1)).length,
    pairsNotReached: answered.filter((n) => n < 2).length,
    pairsErrors: paired.errors,
  };
  log(`hot seat: ${hotUsers} users on one seat settled in ${race.durationMs.toFixed(0)} ms (${race.oks} winner), on distinct seats ${distinct.durationMs.toFixed(0)} ms; pairs: ${hotSeat.pairsBadSeats} contested seats without exactly one winner, ${hotSeat.pairsNotReached} not reached`);

  // 5: expiry storms, with an addTicket probe running before and through them.
  const probeSeats = await benchEvent(bench, 'bench-probe', 60_000);
  const probe = (maxDurationMs: number, until?: () => boolean) =>
    load(16, 1_000_000, (_, post) => addTicket(post, newUser(), probeSeats()), maxDurationMs, until);
  const stormSizes = quick ? [2_000] : options.long ? [20_000, 100_000] : [20_000];
  const expiryStorms: BenchReport['expiryStorms'] = [];
  for (const holds of stormSizes) {
    const eventId = `bench-storm-${holds}`;
    // Holds outlast their own creation (about 250 holds/s here), so the storm is measured on its own, not on top of
    // the load that set it up; the probe's "before" runs between the two, with every storm hold in place.
    const holdSeconds = quick ? 20 : holds >= 100_000 ? 600 : 150;
    const stormSeats = await benchEvent(bench, eventId, holds, { holdSeconds });
    const stormUsers = `bs${holds}-`;
    const held: string[] = [];
    const createStarted = performance.now();
    const created = await load(64, holds / 20, async (_, post) => {
      const ids = Array.from({ length: 20 }, () => stormSeats());
      const ok = (JSON.parse(await post(`/UserSession/${newUser(stormUsers)}/addTickets`, JSON.stringify({ ticketIds: ids }))) as { ok: boolean }).ok;
      if (ok) held.push(...ids);
      return ok;
    }, holdSeconds * 1_000);
    const createMs = performance.now() - createStarted;
    reservations += created.oks * 20;
    const lastExpiry = performance.now() + holdSeconds * 1_000;
    const firstExpiry = createStarted + holdSeconds * 1_000;
    // People look at the seat map while others hold seats: read it, whole, while the "before" probe runs.
    const [before, mapReads] = await Promise.all([
      probe(Math.min(quick ? 2_000 : 5_000, Math.max(500, firstExpiry - performance.now() - 500))),
      load(1, 5, () => bench.heldSeats(eventId).then(() => true)),
    ]);
    const overlapped = performance.now() > firstExpiry;
    await sleep(Math.max(0, firstExpiry - performance.now()));
    // Probe addTicket from the first expiry until every storm hold is over: its seat free, its cart line tidied away.
    let seatsFreeAt = 0;
    let drainedAt = 0;
    const during = probe(600_000, () => drainedAt > 0);
    while (drainedAt === 0) {
      if (seatsFreeAt === 0 && performance.now() >= lastExpiry && (await bench.heldSeats(eventId)) === 0) seatsFreeAt = performance.now();
      const [carts] = await querySql<{ n: number }>(
        bench.system.adminUrl,
        `SELECT count(*) AS n FROM state WHERE service_name = 'UserSession' AND key = 'cart' AND service_key LIKE '${stormUsers}%'`,
      );
      if (seatsFreeAt > 0 && Number(carts?.n ?? 1) === 0) drainedAt = performance.now();
      else await sleep(250);
    }
    const duringResult = await during;
    const [failed] = await querySql<{ n: number }>(
      bench.system.adminUrl,
      "SELECT count(*) AS n FROM sys_invocation WHERE target_handler_name = 'expireHolds' AND completion_result = 'failure'",
    );
    // The proof that the seats are free: new buyers get a sample of them.
    const sample = held.filter((_, i) => i % Math.ceil(held.length / 200) === 0);
    const reheld = await load(16, sample.length, (i, post) => addTicket(post, newUser(), sample[i] as string));
    reservations += reheld.oks;
    const storm = {
      holds: created.oks * 20,
      createMs,
      mapReadMs: mapReads.p50,
      mapReadMaxMs: mapReads.p99, // of five: the slowest
      seatsFreeMs: Math.max(0, seatsFreeAt - lastExpiry),
      drainMs: Math.max(0, drainedAt - lastExpiry),
      reheldTried: sample.length,
      reheld: reheld.oks,
      errors: duringResult.errors + created.errors,
      failedExpiries: Number(failed?.n ?? 0),
      p99BeforeMs: before.p99,
      p99DuringMs: duringResult.p99,
      p99Ratio: duringResult.p99 / before.p99,
      overlapped,
    };
    expiryStorms.push(storm);
    await markPeak(`expiry storm of ${storm.holds}`);
    log(`expiry storm ${storm.holds}: created in ${createMs.toFixed(0)} ms, seat map read in ${storm.mapReadMs.toFixed(0)} ms (slowest ${storm.mapReadMaxMs.toFixed(0)}), seats free ${storm.seatsFreeMs.toFixed(0)} ms and carts tidied ${storm.drainMs.toFixed(0)} ms after the last expiry, ${storm.reheld}/${storm.reheldTried} re-held, ${storm.errors} errors, addTicket p99 ${before.p99.toFixed(0)} → ${duringResult.p99.toFixed(0)} ms${overlapped ? ' (overlapped its creation)' : ''}`);
  }

  // 6: growth — addTicket with more and more seats already held.
  const stages = quick ? [1_000] : options.long ? [1_000, 10_000, 100_000] : [1_000, 10_000];
  const filler = await benchEvent(bench, 'bench-growth', stages.at(-1) ?? 1_000);
  const growth: BenchReport['growth'] = [];
  let held = 0;
  for (const stage of stages) {
    const fill = await load(64, (stage - held) / 20, async (_, post) => {
      const ids = Array.from({ length: 20 }, () => filler());
      return (JSON.parse(await post(`/UserSession/${newUser()}/addTickets`, JSON.stringify({ ticketIds: ids }))) as { ok: boolean }).ok;
    }, 600_000);
    held = stage;
    reservations += fill.oks * 20;
    // The fill's availability messages are still being applied when its calls return: measure what holding
    // `stage` seats costs an add, not the tail of the fill.
    const settleMs = await settle();
    const measured = await load(64, quick ? 300 : 2_000, (_, post) => addTicket(post, newUser(), probeSeats()));
    reservations += measured.oks;
    await markPeak(`growth to ${stage} held`);
    growth.push({ alreadyHeld: stage, settleMs, rps: measured.rps, p50: measured.p50, p99: measured.p99, errors: measured.errors });
    log(`growth: ${stage} held (settled in ${settleMs.toFixed(0)} ms) → addTicket ${measured.rps.toFixed(0)}/s, p99 ${measured.p99.toFixed(0)} ms`);
  }

  // The data dir before the flash crowd: the log its burst has just written is not trimmed until the partition store
  // next flushes, and "per reservation" means what stays once that has happened.
  const bytes = directoryBytes(dataDir);
  const logBytes = directoryBytes(path.join(dataDir, 'log-store'));
  const partitionStoreBytes = directoryBytes(path.join(dataDir, 'db'));

  // 7: flash crowd — everyone at once, as when an on-sale opens. Last, so the stages before it peak as they did.
  // First through one HTTP/2 connection, as behind a front proxy; then with a connection per user, straight at
  // ingress, which peaks higher and so comes last.
  const crowdUsers = quick ? 500 : 5_000;
  const flashCrowdStage = async (http2: boolean): Promise<FlashCrowd> => {
    const crowdSeats = await benchEvent(bench, http2 ? 'bench-crowd-h2' : 'bench-crowd', crowdUsers);
    await settle();
    const unit = (_: number, post: Post) => addTicket(post, newUser(), crowdSeats());
    const crowd = await runLoad({ ingressUrl, concurrency: crowdUsers, total: crowdUsers, maxDurationMs: 300_000, unit, http2 });
    const how = http2 ? 'through one HTTP/2 connection' : 'a connection each';
    await markPeak(`flash crowd of ${crowdUsers}, ${how}`);
    const rateToHotSeatDistinct = crowd.rps / distinct.rps;
    log(`flash crowd, ${how}: ${crowdUsers} adds at once answered in ${crowd.durationMs.toFixed(0)} ms (${crowd.rps.toFixed(0)}/s, ${rateToHotSeatDistinct.toFixed(2)}× the rate of ${hotUsers} at once), ${crowd.oks} held, ${crowd.errors} errors, p99 ${crowd.p99.toFixed(0)} ms`);
    const { durationMs, rps, p50, p99, errors, oks: held } = crowd;
    return { users: crowdUsers, durationMs, rps, p50, p99, errors, held, rateToHotSeatDistinct };
  };
  const flashCrowdOneConnection = await flashCrowdStage(true);
  const flashCrowd = await flashCrowdStage(false);

  const memoryMiB = Object.fromEntries([...memoryProcesses].map(([name, pid]) => [name, peakRssMiB(pid)]));
  const anonymousPeakMiB = Object.fromEntries([...memoryProcesses.keys()].map((name) => [name, memory.peakMiB(name)]));
  memory.stop();
  heap?.stop();
  return {
    startedAt,
    mode: quick ? 'quick' : options.long ? 'long' : 'full',
    apps: new Set([...bench.system.apps.values()].map((app) => app.process)).size === 1 ? 'one process for all three' : 'one process each',
    throughput,
    hotSeat,
    expiryStorms,
    growth,
    flashCrowd,
    flashCrowdOneConnection,
    memoryMiB,
    anonymousPeakMiB,
    serverPeakAfter,
    heap: heap?.snapshots,
    disk: {
      bytesAtStart,
      bytes,
      reservations,
      bytesPerReservation: (bytes - bytesAtStart) / Math.max(1, reservations),
      logBytes,
      partitionStoreBytes,
      partitionStoreBytesPerReservation: partitionStoreBytes / Math.max(1, reservations),
    },
  };
}
