import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SMALL_NODE_SETTINGS } from '@tickets/local-restate';
import { Profile } from 'pprof-format';
import { rssMiB } from './metrics.js';

/**
 * The server's environment with jemalloc's sampling on, for `watchServerHeap`: the release build has the profiler in
 * (`prof:true`) but not sampling. Kept on top of whatever `MALLOC_CONF` the run sets.
 */
export function withHeapSampling(env: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...env, MALLOC_CONF: `${env['MALLOC_CONF'] ?? SMALL_NODE_SETTINGS.MALLOC_CONF},prof_active:true` };
}

/**
 * What restate-server's heap is spent on, by the first rule that matches a sampled allocation's stack. RocksDB comes
 * before the rest: its reads and writes run on the partition processors' threads, and their stacks name both.
 */
export const HEAP_PARTS: readonly (readonly [part: string, frame: RegExp])[] = [
  // Symbolizing a profile costs the server memory too: counted apart, so that it is not taken for the server's.
  ['the profiler itself', /jemalloc_pprof|backtrace::symbolize/],
  ['RocksDB block cache', /ReadBlockContents|MaybeReadBlockAndLoadToCache|RetrieveBlock/],
  ['RocksDB memtables', /rocksdb5Arena\d|ConcurrentArena|MemTable/],
  ['RocksDB, other', /rocksdb/],
  ['invoker: invocations in flight', /restate_invoker/],
  ['HTTP: ingress and calls to the apps', /\bhyper|\bh2::|restate_ingress/],
  ['partition processors', /restate_worker::partition/],
  ['log (Bifrost)', /restate_bifrost|restate_log_server/],
  ['metrics', /metrics_exporter|ddsketch/],
];
export const OTHER_PART = 'other';

export interface HeapBreakdown {
  /** jemalloc's estimate of the live heap from its samples (one per 512 KiB allocated, restate-server's setting). */
  sampledMiB: number;
  /** MiB per part of HEAP_PARTS, and OTHER_PART for the rest. */
  parts: Record<string, number>;
}

/** Sums a heap profile (gzipped pprof, as restate-server's `/debug/heap/dump` gives it) by part. */
export function heapBreakdown(pprofGzip: Uint8Array): HeapBreakdown {
  const profile = Profile.decode(gunzipSync(pprofGzip));
  const text = (index: number | bigint) => profile.stringTable.strings[Number(index)] ?? '';
  const functionNames = new Map(profile.function.map((fn) => [String(fn.id), text(fn.name)]));
  const locationNames = new Map(profile.location.map((location) => [String(location.id), location.line.map((line) => functionNames.get(String(line.functionId)) ?? '')]));
  const spaceIndex = Math.max(0, profile.sampleType.findIndex((type) => text(type.type).endsWith('space')));
  const parts: Record<string, number> = Object.fromEntries([...HEAP_PARTS.map(([part]) => [part, 0]), [OTHER_PART, 0]]);
  let sampledMiB = 0;
  for (const sample of profile.sample) {
    const mib = Number(sample.value[spaceIndex] ?? 0) / 2 ** 20;
    const frames = sample.locationId.flatMap((id) => locationNames.get(String(id)) ?? []);
    const part = HEAP_PARTS.find(([, frame]) => frames.some((name) => frame.test(name)))?.[0] ?? OTHER_PART;
    parts[part] = (parts[part] ?? 0) + mib;
    sampledMiB += mib;
  }
  return { sampledMiB, parts };
}

export interface HeapSnapshot extends HeapBreakdown {
  stage: string;
  /** The server's RSS when the profile was taken: each stage keeps the one taken nearest its peak. */
  rssMiB: number;
  file: string;
}

/**
 * `pnpm bench --heap-profile`: while a stage runs, takes a heap profile each time the server's RSS has grown by
 * `stepMiB` above the stage's highest profile so far (and one at the stage's first poll), and keeps the highest. The
 * server must run `withHeapSampling`; the first profile is taken at once, so a run without it fails at the start.
 */
export async function watchServerHeap(options: { nodeUrl: string; pid: number | undefined; dir: string; log: (line: string) => void; stepMiB?: number; intervalMs?: number }) {
  const { nodeUrl, pid, dir, log, stepMiB = 16, intervalMs = 1_000 } = options;
  mkdirSync(dir, { recursive: true });
  let best: { rssMiB: number; profile: Uint8Array } | undefined;
  const dump = async () => {
    const rss = rssMiB(pid) ?? 0;
    // A server too busy to answer (as under a tight memory limit) must not hold the bench up.
    const response = await fetch(`${nodeUrl}/debug/heap/dump`, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`heap profile: ${response.status} ${await response.text()}`);
    const profile = new Uint8Array(await response.arrayBuffer());
    if (!best || rss >= best.rssMiB) best = { rssMiB: rss, profile };
  };
  // One profile at a time: the timer's and `mark`'s share it.
  let taking: Promise<void> | undefined;
  const take = () => (taking ??= dump().finally(() => (taking = undefined)));
  await take();
  best = undefined; // the start proved sampling works; the first stage begins now
  const timer = setInterval(() => {
    if (taking || (best && (rssMiB(pid) ?? 0) < best.rssMiB + stepMiB)) return;
    take().catch((error: unknown) => log(`heap profile not taken: ${String(error)}`));
  }, intervalMs);
  timer.unref();
  const snapshots: HeapSnapshot[] = [];
  return {
    snapshots,
    /** Ends a stage: keeps its highest profile (taking one now if it has none), written to `dir`. */
    async mark(stage: string): Promise<void> {
      await taking?.catch(() => undefined);
      if (!best) await take().catch((error: unknown) => log(`heap profile of ${stage} not taken: ${String(error)}`));
      const kept = best;
      best = undefined;
      if (!kept) return;
      const file = path.join(dir, `${String(snapshots.length + 1).padStart(2, '0')}-${stage.replace(/[^a-z0-9]+/gi, '-')}.pb.gz`);
      writeFileSync(file, kept.profile);
      snapshots.push({ stage, rssMiB: kept.rssMiB, file, ...heapBreakdown(kept.profile) });
    },
    stop: () => clearInterval(timer),
  };
}
