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

/**
 * A Node process that starts a ManagedProcess (`sleep`) and reports its pid; once the child is seen running, the
 * parent is ended by `ending`: it exits by itself (told so on stdin) or gets SIGTERM. Answers the child's pid.
 */
async function childOfAnEndingProcess(ending: 'exit' | 'SIGTERM'): Promise<number> {
  const script = path.join(mkdtempSync(path.join(os.tmpdir(), 'managed-process-')), 'parent.ts');
  writeFileSync(
    script,
    `import { ManagedProcess } from ${JSON.stringify(processModule)};
const sleeper = new ManagedProcess({ name: 'sleeper', command: 'sleep', args: ['300'] });
sleeper.start();
console.log('child ' + sleeper.pid);
process.stdin.once('data', () => process.exit(0));
`,
  );
  const parent = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(parent, 'exit');
  let output = '';
  for await (const chunk of parent.stdout) {
    output += String(chunk);
    if (/child \d+\n/.test(output)) break;
  }
  const pid = Number(/child (\d+)\n/.exec(output)?.[1]);
  expect(isAlive(pid), `the child ${pid} is running (the parent said: ${JSON.stringify(output)})`).toBe(true);
  if (ending === 'SIGTERM') parent.kill('SIGTERM');
  else parent.stdin.write('exit now\n');
  await exited;
  return pid;
}

describe('ManagedProcess', () => {
  it.each(['exit', 'SIGTERM'] as const)('its child does not outlive the process that started it (%s)', async (ending) => {
    const pid = await childOfAnEndingProcess(ending);
    await waitUntil(`the child ${pid} to end`, async () => !isAlive(pid), 5_000);
  });
});
