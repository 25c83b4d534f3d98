import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SMALL_NODE_SETTINGS } from '@tickets/local-restate';
import { Profile } from 'pprof-format';
import { rssMiB } from './metrics.js';

/** The server's environment for `watchServerHeap`: its release build has jemalloc's profiler in, but not sampling. */
export const HEAP_SAMPLING_ENV: Readonly<Record<string, string>> = { MALLOC_CONF: `${SMALL_NODE_SETTINGS.MALLOC_CONF},prof_active:true` };

/**
 * What restate-server's heap is spent on, by the first rule that matches a sampled allocation's stack. RocksDB comes
 * before the rest: its reads and writes run on the partition processors' threads, and their stacks name both.
 */
export const HEAP_PARTS: readonly (readonly [part: string, frame: RegExp])[] = [
  // Symbolizing a profile costs the server memory too: counted apart, so that it is not taken for the server's.
  ['the profiler itself', /jemalloc_pprof|backtrace::symbolize/],
  ['RocksDB block cache', /ReadBlockContents|MaybeReadBlockAndLoadToCache|RetrieveBlock/],
  ['RocksDB memtables', /rocksdb\d+Arena|ConcurrentArena|MemTable/],
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
 * `stepMiB` since the stage's last one, and keeps the one taken at the highest RSS. The server must run with
 * HEAP_SAMPLING_ENV.
 */
export function watchServerHeap(options: { nodeUrl: string; pid: number | undefined; dir: string; stepMiB?: number; intervalMs?: number }) {
  const { nodeUrl, pid, dir, stepMiB = 16, intervalMs = 1_000 } = options;
  mkdirSync(dir, { recursive: true });
  let best: { rssMiB: number; profile: Uint8Array } | undefined;
  let taking: Promise<void> | undefined;
  const take = async () => {
    const rss = rssMiB(pid) ?? 0;
    const response = await fetch(`${nodeUrl}/debug/heap/dump`);
    if (!response.ok) throw new Error(`heap profile: ${response.status} ${await response.text()}`);
    const taken = { rssMiB: rss, profile: new Uint8Array(await response.arrayBuffer()) };
    if (!best || rss >= best.rssMiB) best = taken;
    return taken;
  };
  const poll = () => {
    if (taking || (best && (rssMiB(pid) ?? 0) < best.rssMiB + stepMiB)) return;
    taking = take()
      .then(() => undefined)
      .catch(() => undefined) // tried again at the next poll, or by `mark`
      .finally(() => (taking = undefined));
  };
  const timer = setInterval(poll, intervalMs);
  timer.unref();
  const snapshots: HeapSnapshot[] = [];
  return {
    snapshots,
    /** Ends a stage: keeps its highest profile (taking one now if it has none), written to `dir`. */
    async mark(stage: string): Promise<void> {
      await taking;
      const { rssMiB, profile } = best ?? (await take());
      best = undefined;
      const file = path.join(dir, `${String(snapshots.length + 1).padStart(2, '0')}-${stage.replace(/[^a-z0-9]+/gi, '-')}.pb.gz`);
      writeFileSync(file, profile);
      snapshots.push({ stage, rssMiB, file, ...heapBreakdown(profile) });
    },
    stop: () => clearInterval(timer),
  };
}
