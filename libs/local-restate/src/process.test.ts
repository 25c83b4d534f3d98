import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitUntil } from './ports.js';

const processModule = fileURLToPath(new URL('./process.ts', import.meta.url));

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A Node process that starts a ManagedProcess (`sleep`), reports its pid, then ends by `ending`. */
async function childOfAnEndingProcess(ending: 'exit' | 'SIGTERM'): Promise<number> {
  const script = path.join(mkdtempSync(path.join(os.tmpdir(), 'managed-process-')), 'parent.ts');
  writeFileSync(
    script,
    `import { ManagedProcess } from ${JSON.stringify(processModule)};
const sleeper = new ManagedProcess({ name: 'sleeper', command: 'sleep', args: ['300'] });
sleeper.start();
console.log(sleeper.pid);
${ending === 'exit' ? 'process.exit(0);' : 'setInterval(() => undefined, 1_000);'}
`,
  );
  const parent = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(parent.stdout, 'data')) as [Buffer];
  const pid = Number(line.toString().trim());
  expect(isAlive(pid)).toBe(true);
  if (ending === 'SIGTERM') parent.kill('SIGTERM');
  await once(parent, 'exit');
  return pid;
}

describe('ManagedProcess', () => {
  it.each(['exit', 'SIGTERM'] as const)('its child does not outlive the process that started it (%s)', async (ending) => {
    const pid = await childOfAnEndingProcess(ending);
    await waitUntil(`the child ${pid} to end`, async () => !isAlive(pid), 5_000);
  });
});
