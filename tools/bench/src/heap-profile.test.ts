import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { RestateServer, SMALL_NODE_SETTINGS } from '@tickets/local-restate';
import { Profile, StringTable } from 'pprof-format';
import { afterAll, describe, expect, it } from 'vitest';
import { heapBreakdown, OTHER_PART, watchServerHeap, withHeapSampling } from './heap-profile.js';

/** A gzipped heap profile of `stacks`, each as [bytes, innermost frame first]. */
function heapProfile(stacks: [bytes: number, frames: string[]][]): Uint8Array {
  const stringTable = new StringTable();
  const names = [...new Set(stacks.flatMap(([, frames]) => frames))];
  const id = (name: string) => names.indexOf(name) + 1;
  const profile = new Profile({
    stringTable,
    sampleType: [{ type: stringTable.dedup('inuse_space'), unit: stringTable.dedup('bytes') }],
    function: names.map((name) => ({ id: id(name), name: stringTable.dedup(name) })),
    location: names.map((name) => ({ id: id(name), line: [{ functionId: id(name) }] })),
    sample: stacks.map(([bytes, frames]) => ({ locationId: frames.map(id), value: [bytes] })),
  });
  return gzipSync(profile.encode());
}

describe('heapBreakdown', () => {
  it("sums each sample into the first part its stack names, and what no part names into 'other'", () => {
    const mib = 2 ** 20;
    const breakdown = heapBreakdown(
      heapProfile([
        // A block read by a partition processor is RocksDB's, not the processor's.
        [3 * mib, ['_rjem_je_malloc_default', '_ZN7rocksdb12BlockFetcher17ReadBlockContentsEv', 'restate_worker::partition::PartitionProcessor<T>::run']],
        [2 * mib, ['_rjem_je_malloc_default', 'restate_invoker_impl::ServiceInner<ITR,Schemas,IR>::start_invocation_task']],
        [1 * mib, ['_rjem_je_malloc_default', 'restate_worker::partition::leadership::LeadershipState<T>::become_leader']],
        [0.5 * mib, ['_rjem_je_malloc_default', 'crossbeam_channel::channel::bounded']],
      ]),
    );
    expect(breakdown.sampledMiB).toBe(6.5);
    expect(breakdown.parts).toMatchObject({ 'RocksDB block cache': 3, 'invoker: invocations in flight': 2, 'partition processors': 1, [OTHER_PART]: 0.5, 'RocksDB memtables': 0 });
  });
});

describe('withHeapSampling', () => {
  it("turns sampling on over the embedded allocator settings, or over a run's own", () => {
    expect(withHeapSampling().MALLOC_CONF).toBe(`${SMALL_NODE_SETTINGS.MALLOC_CONF},prof_active:true`);
    expect(withHeapSampling({ MALLOC_CONF: 'narenas:1', OTHER: 'kept' })).toEqual({ MALLOC_CONF: 'narenas:1,prof_active:true', OTHER: 'kept' });
  });
});

describe('watchServerHeap, against the real server', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'heap-'));
  const servers: RestateServer[] = [];
  const start = async (env: Record<string, string>) => {
    const server = await RestateServer.start({ env });
    servers.push(server);
    return { nodeUrl: `http://127.0.0.1:${server.ports.node}`, pid: server.pid, dir, log: () => undefined };
  };
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.dispose()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails at the start when the server does not sample, rather than at the end of a long run', async () => {
    await expect(watchServerHeap(await start({}))).rejects.toThrow(/heap profile: 4\d\d/);
  }, 60_000);

  it('takes a profile of the release build with sampling turned on, and finds RocksDB in it', async () => {
    const heap = await watchServerHeap(await start(withHeapSampling()));
    await heap.mark('idle');
    heap.stop();
    const [snapshot] = heap.snapshots;
    expect(snapshot).toMatchObject({ stage: 'idle' });
    expect(existsSync(snapshot!.file)).toBe(true);
    expect(snapshot!.rssMiB).toBeGreaterThan(0);
    expect(snapshot!.sampledMiB).toBeGreaterThan(0);
    // Its memtables exist from the start: each partition's and the log's.
    expect(snapshot!.parts['RocksDB memtables']).toBeGreaterThan(0);
  }, 60_000);
});
