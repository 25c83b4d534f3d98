// `pnpm chaos [--seed N] [--duration 60s] [--users 30] [--cluster]`: the shop under SIGKILLs, then every invariant.
import { parseArgs } from 'node:util';
import ms from 'ms';
import { formatReport } from './report.js';
import { runChaos } from './run-chaos.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    duration: { type: 'string', default: '60s' },
    users: { type: 'string', default: '30' },
    cluster: { type: 'boolean', default: false },
  },
});
const seed = values.seed ? Number(values.seed) : Date.now() % 1_000_000;
const durationMs = ms(values.duration as ms.StringValue);
if (!Number.isInteger(seed) || !Number.isFinite(durationMs) || durationMs <= 0) {
  console.error('usage: pnpm chaos [--seed N] [--duration 60s] [--users 30] [--cluster]');
  process.exit(2);
}

const report = await runChaos({ seed, durationMs, users: Number(values.users), cluster: values.cluster, log: (line) => console.log(`[chaos] ${line}`) });
console.log(`\n${formatReport(report)}`);
process.exit(report.ok ? 0 : 1);
