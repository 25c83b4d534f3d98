import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBenchSystem, type BenchSystem } from './bench-system.js';
import { cpuProfileArgs, readAppCpuProfiles } from './cpu-profile.js';
import { withHeapSampling } from './heap-profile.js';
import { formatReport } from './report.js';
import { ADD, HOP, NOOP, PURCHASE, REFERENCE_ADD, REFERENCE_PURCHASE, runScenarios, type BenchReport } from './scenarios.js';

// Proves the tool works end to end (`pnpm bench --quick --heap-profile --cpu-profile`). No timing assertions: figures
// are for reading.
let bench: BenchSystem;
let report: BenchReport;
const heapProfileDir = mkdtempSync(path.join(os.tmpdir(), 'bench-heap-'));
const cpuProfileDir = mkdtempSync(path.join(os.tmpdir(), 'bench-cpu-'));
beforeAll(async () => {
  bench = await startBenchSystem({ env: withHeapSampling() }, { appNodeArgs: cpuProfileArgs(cpuProfileDir) });
  const appProcesses = bench.appProcesses();
  report = await runScenarios(bench, { quick: true, long: false, heapProfileDir, log: () => undefined });
  // As `pnpm bench` does: the apps write their CPU profiles as they exit.
  await bench.stop();
  report.appCpu = readAppCpuProfiles(cpuProfileDir, appProcesses);
  console.log(formatReport(report));
  // The work is bounded (about 90 s on its own here); the limit only catches a hang. CI runs other suites beside it
  // on the same two cores, where it has taken 135 s and once more than 170 s.
}, 300_000);
afterAll(async () => {
  await bench?.stop();
  rmSync(heapProfileDir, { recursive: true, force: true });
  rmSync(cpuProfileDir, { recursive: true, force: true });
});

describe('pnpm bench --quick', () => {
  it('measures every scenario at each concurrency against the ceiling of the same run', () => {
    const scenarios = new Set(report.throughput.map((row) => row.scenario));
    expect([...scenarios]).toEqual([NOOP, HOP, REFERENCE_ADD, ADD, REFERENCE_PURCHASE, PURCHASE]);
    for (const row of report.throughput) {
      expect(row.requests).toBeGreaterThan(0);
      expect(row.errors).toBe(0);
      // Every add holds its seat and every purchase is paid, the reference example's as well as the shop's.
      expect(row.oks).toBe(row.requests);
      expect(row.ratioToHop).toBeGreaterThan(0);
      // Every request costs the server CPU.
      expect(row.cpuMsByProcess['restate-server']).toBeGreaterThan(0);
      expect(row.cpuRatioToHop).toBeGreaterThan(0);
    }
  });

  it('the hot seat has exactly one winner, and so has every contested pair', () => {
    expect(report.hotSeat.raceWinners).toBe(1);
    expect(report.hotSeat.pairsBadSeats).toBe(0);
    expect(report.hotSeat.pairsNotReached).toBe(0);
  });

  it('counts the CPU of the processes that serve each shape: the ceiling endpoint for the ceilings, the apps for the shop', () => {
    const hop = report.throughput.find((row) => row.scenario === HOP);
    const add = report.throughput.find((row) => row.scenario === ADD);
    const referenceAdd = report.throughput.find((row) => row.scenario === REFERENCE_ADD);
    expect(hop!.cpuMsByProcess['ceiling']).toBeGreaterThan(0);
    expect(referenceAdd!.cpuMsByProcess['ceiling']).toBeGreaterThan(0);
    expect(add!.cpuMsByProcess['user-session']).toBeGreaterThan(0);
    expect(add!.cpuMsByProcess['ticket-db']).toBeGreaterThan(0);
  });

  it('sets the shop beside the reference example at every concurrency, for the targets', () => {
    for (const scenario of [ADD, PURCHASE]) {
      const rows = report.throughput.filter((row) => row.scenario === scenario);
      expect(rows.map((row) => row.concurrency)).toEqual([1, 16]);
      for (const row of rows) expect(row.ratioToReference).toBeGreaterThan(0);
    }
    expect(formatReport(report)).toContain('Against the targets, and against the reference example in this run');
  });

  it('an expiry storm drains completely without failed expiries, and its seats can be held again', () => {
    const [storm] = report.expiryStorms;
    expect(storm).toMatchObject({ holds: 2_000, failedExpiries: 0 });
    expect(storm!.reheldTried).toBeGreaterThan(0);
    expect(storm!.reheld).toBe(storm!.reheldTried);
  });

  it('a flash crowd gets every one of its distinct seats, without errors, on a connection each and through one', () => {
    for (const crowd of [report.flashCrowd, report.flashCrowdOneConnection]) {
      expect(crowd).toMatchObject({ users: 500, errors: 0, held: 500 });
      expect(crowd.rateToHotSeatDistinct).toBeGreaterThan(0);
    }
  });

  it('reports memory and disk', () => {
    expect(report.memoryMiB['restate-server']).toBeGreaterThan(0);
    // Anonymous memory is part of the RSS, so its sampled peak lies below the RSS peak.
    expect(report.anonymousPeakMiB['restate-server']).toBeGreaterThan(0);
    expect(report.anonymousPeakMiB['restate-server']).toBeLessThanOrEqual(report.memoryMiB['restate-server']!);
    expect(report.disk.reservations).toBeGreaterThan(2_000);
    expect(formatReport(report)).toContain('bytes per reservation');
  });

  it("keeps a heap profile of the server per stage, and says what it is spent on", () => {
    expect(report.heap?.map((snapshot) => snapshot.stage)).toEqual(report.serverPeakAfter.map(({ stage }) => stage));
    for (const snapshot of report.heap ?? []) {
      expect(existsSync(snapshot.file)).toBe(true);
      expect(snapshot.sampledMiB).toBeGreaterThan(0);
      // The memtables hold what RocksDB was given last, from the first write on.
      expect(snapshot.parts['RocksDB memtables']).toBeGreaterThan(0);
    }
    expect(formatReport(report)).toContain("restate-server's heap by part");
  });

  it("has every app write a CPU profile, and says where each app's CPU went", () => {
    expect(report.appCpu?.map(({ app }) => app)).toEqual(['checkout', 'ticket-db', 'user-session']);
    for (const profile of report.appCpu ?? []) {
      expect(profile.busyMs).toBeGreaterThan(0);
      const parts = Object.values(profile.parts);
      expect(parts.reduce((sum, ms) => sum + ms, 0)).toBeCloseTo(profile.busyMs, 3);
      // Every app served invocations, each signed by the server and run by the SDK's handlers.
      expect(profile.parts['request identity check']).toBeGreaterThan(0);
      expect(profile.parts['Restate SDK core (WebAssembly)']).toBeGreaterThan(0);
      expect(profile.parts['handlers (apps/*/src)']).toBeGreaterThan(0);
    }
    expect(formatReport(report)).toContain("The apps' CPU by part");
  });
});
