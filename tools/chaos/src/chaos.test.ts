import { describe, expect, it } from 'vitest';
import { formatReport } from './report.js';
import { runChaos } from './run-chaos.js';

// About a minute each: the whole system under SIGKILLs, then every invariant. A failure prints the seed to rerun.
describe('chaos', () => {
  it.each([
    ['single node', false, 4242],
    ['3-node cluster', true, 4343],
  ])('%s: invariants hold under faults', async (_, cluster, seed) => {
    const report = await runChaos({ seed, durationMs: 45_000, users: 16, cluster });
    console.log(formatReport(report));
    expect(Object.values(report.faults).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
    expect(report.operations.addTickets?.ok).toBeGreaterThan(0);
    expect(Object.entries(report.operations).filter(([kind]) => kind.startsWith('checkout')).reduce((n, [, c]) => n + c.ok, 0)).toBeGreaterThan(0);
    expect(report.invariants.filter((i) => !i.ok)).toEqual([]);
  });
});
