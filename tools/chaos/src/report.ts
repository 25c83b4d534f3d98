import type { ChaosReport } from './run-chaos.js';

const pad = (text: string | number, width: number) => String(text).padEnd(width);

/** The report as a plain-text table. */
export function formatReport(report: ChaosReport): string {
  const lines = [`Chaos run — ${report.mode}, seed ${report.seed}, ${report.durationMs / 1000} s of workload`, ''];
  lines.push(`${pad('operation', 36)}${pad('ok', 8)}${pad('refused', 9)}failed`);
  for (const [kind, counts] of Object.entries(report.operations).sort()) {
    lines.push(`${pad(kind, 36)}${pad(counts.ok, 8)}${pad(counts.refused, 9)}${counts.failed}`);
  }
  lines.push(`${pad('client retries (dropped connections)', 36)}${report.clientRetries}`, '');
  lines.push(`${pad('fault', 36)}injected`);
  for (const [kind, count] of Object.entries(report.faults).sort()) lines.push(`${pad(kind, 36)}${count}`);
  lines.push('', 'invariant');
  for (const invariant of report.invariants) lines.push(`  ${invariant.ok ? 'PASS' : 'FAIL'}  ${pad(invariant.name, 58)}${invariant.detail}`);
  lines.push('', report.ok ? 'All invariants hold.' : `Invariants violated. Reproduce with: pnpm chaos --seed ${report.seed}${report.mode === 'single node' ? '' : ' --cluster'}`);
  return lines.join('\n');
}
