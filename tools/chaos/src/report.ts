import type { ChaosReport } from './run-chaos.js';

/** Padded to `width`, and always followed by at least one space. */
const pad = (text: string | number, width: number) => `${String(text).padEnd(width - 1)} `;

/** The report as a plain-text table. */
export function formatReport(report: ChaosReport): string {
  const lines = [`Chaos run — ${report.mode}, seed ${report.seed}, ${report.durationMs / 1000} s of workload`, ''];
  lines.push(`${pad('operation', 36)}${pad('ok', 8)}${pad('refused', 9)}failed`);
  for (const [kind, counts] of Object.entries(report.operations).sort()) {
    lines.push(`${pad(kind, 36)}${pad(counts.ok, 8)}${pad(counts.refused, 9)}${counts.failed}`);
  }
  lines.push(`${pad('client retries (dropped connections)', 38)}${report.clientRetries}`, '');
  lines.push(`${pad('fault', 36)}injected`);
  for (const [kind, count] of Object.entries(report.faults).sort()) lines.push(`${pad(kind, 36)}${count}`);
  lines.push('', 'invariant');
  for (const invariant of report.invariants) lines.push(`  ${invariant.ok ? 'PASS' : 'FAIL'}  ${pad(invariant.name, 62)}${invariant.detail}`);
  lines.push('', report.ok ? 'All invariants hold.' : `Invariants violated. Reproduce with: pnpm chaos --seed ${report.seed}${report.mode === 'single node' ? '' : ' --cluster'}`);
  return lines.join('\n');
}
