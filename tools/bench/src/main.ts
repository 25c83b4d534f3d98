// `pnpm bench [--quick] [--long] [--one-process] [--heap-profile] [--cpu-profile] [--server K=V] [--server-launcher CMD]`: the whole shop under load
// through ingress, against the engine's own ceiling.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WORKSPACE_ROOT } from '@tickets/local-restate';
import { startBenchSystem } from './bench-system.js';
import { cpuProfileArgs, readAppCpuProfiles } from './cpu-profile.js';
import { withHeapSampling } from './heap-profile.js';
import { formatReport } from './report.js';
import { runScenarios, type BenchReport } from './scenarios.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    long: { type: 'boolean', default: false },
    /** A server setting to try, e.g. `--server RESTATE_DEFAULT_NUM_PARTITIONS=8` (repeatable). */
    server: { type: 'string', multiple: true, default: [] },
    /** A command to run restate-server under, e.g. a memory limit: `--server-launcher "systemd-run --user --scope -p MemoryMax=512M"`. */
    'server-launcher': { type: 'string' },
    /** Load the three apps into one Node process instead of one process each, to see what the split costs. */
    'one-process': { type: 'boolean', default: false },
    /** Turn on the server's heap sampling and keep a profile per stage, summed by part in the report. */
    'heap-profile': { type: 'boolean', default: false },
    /** Have every app process write a CPU profile of the run, summed by part in the report. */
    'cpu-profile': { type: 'boolean', default: false },
  },
});
const dir = path.join(WORKSPACE_ROOT, '.data', 'bench');
// One name for this run's files: <stamp>.md, <stamp>.json and, with the profiles, <stamp>-heap/ and <stamp>-cpu/.
const stamp = new Date().toISOString().replaceAll(':', '-');
const settings = Object.fromEntries(values.server.map((setting) => setting.split(/=(.*)/s).slice(0, 2)));
const serverEnv = values['heap-profile'] ? withHeapSampling(settings) : settings;
const heapProfileDir = values['heap-profile'] ? path.join(dir, `${stamp}-heap`) : undefined;
const cpuProfileDir = values['cpu-profile'] ? path.join(dir, `${stamp}-cpu`) : undefined;
if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });
const launcher = values['server-launcher']?.split(/\s+/).filter(Boolean);
const bench = await startBenchSystem(
  { env: serverEnv, launcher },
  { appsInOneProcess: values['one-process'], appNodeArgs: cpuProfileDir ? cpuProfileArgs(cpuProfileDir) : undefined },
);
const appProcesses = bench.appProcesses();
let report: BenchReport;
try {
  report = await runScenarios(bench, { quick: values.quick, long: values.long, heapProfileDir, log: (line) => console.log(`[bench] ${line}`) });
} finally {
  // A system that fails to stop must not cost a long run its report.
  await bench.stop().catch((error: unknown) => console.error(`[bench] stopping the system failed: ${String(error)}`));
}
// The apps write their CPU profiles as they exit.
if (cpuProfileDir) report.appCpu = readAppCpuProfiles(cpuProfileDir, appProcesses);
// What this run changed in the server, so that its report says so.
const serverSettings = [...values.server, ...(launcher ? [`launched by \`${launcher.join(' ')}\``] : []), ...(heapProfileDir ? ['heap sampling on'] : [])];
const markdown = `${formatReport(report)}\n- server settings of this run: ${serverSettings.join(', ') || 'the embedded defaults'}`;
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, `${stamp}.json`), JSON.stringify({ ...report, serverSettings }, null, 2));
writeFileSync(path.join(dir, `${stamp}.md`), markdown);
console.log(`\n${markdown}\n\nwritten to ${path.relative(process.cwd(), dir)}/${stamp}.{json,md}`);
