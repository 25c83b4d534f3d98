import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@tickets/local-restate';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * `npm start` and `npm test` run tools/bootstrap.mjs. These tests run the real file in a copy of the workspace's
 * top level whose pnpm is a small script, so they check what bootstrap does with the command it starts: pass on its
 * exit status, and pass on a signal sent to bootstrap alone (a process manager stopping `npm start`).
 */
const pnpmVersion = (JSON.parse(readFileSync(path.join(WORKSPACE_ROOT, 'package.json'), 'utf8')) as { packageManager: string }).packageManager.split('@')[1];
const roots: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/**
 * A workspace whose `pnpm run <script>` behaves as `script` says and records its start and the signals it and a
 * child of its own get, as a script's shell and the dev runner under it would.
 */
function fakeWorkspace(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'bootstrap-'));
  roots.push(root);
  mkdirSync(path.join(root, 'tools'));
  copyFileSync(path.join(WORKSPACE_ROOT, 'tools', 'bootstrap.mjs'), path.join(root, 'tools', 'bootstrap.mjs'));
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ packageManager: `pnpm@${pnpmVersion}` }));
  writeFileSync(path.join(root, 'pnpm-lock.yaml'), 'lockfileVersion: 9.0\n');
  mkdirSync(path.join(root, 'node_modules', '.pnpm'), { recursive: true });
  writeFileSync(path.join(root, 'node_modules', '.pnpm', 'lock.yaml'), 'lockfileVersion: 9.0\n');
  const bin = path.join(root, '.tools', `pnpm-${pnpmVersion}`, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  const log = JSON.stringify(path.join(root, 'pnpm.log'));
  const child = path.join(root, 'child.cjs');
  writeFileSync(
    child,
    `const { writeFileSync } = require('node:fs');
process.on('SIGTERM', () => { writeFileSync(${log}, 'child SIGTERM\\n', { flag: 'a' }); process.exit(0); });
writeFileSync(${log}, 'child started\\n', { flag: 'a' });
setInterval(() => {}, 1000);
`,
  );
  const pnpm = path.join(bin, 'pnpm');
  writeFileSync(
    pnpm,
    `#!/usr/bin/env node
const { writeFileSync } = require('node:fs');
const { spawn } = require('node:child_process');
const note = (line) => writeFileSync(${log}, line + '\\n', { flag: 'a' });
const script = process.argv[3];
note('started ' + script);
if (script === 'fails') process.exit(3);
if (script === 'passes') process.exit(0);
// Like the shell of a package script, which dies of a SIGTERM without passing it on to the command it runs.
process.on('SIGTERM', () => { note('pnpm SIGTERM'); process.exit(143); });
spawn(process.execPath, [${JSON.stringify(child)}], { stdio: 'ignore' });
setInterval(() => {}, 1000);
`,
  );
  chmodSync(pnpm, 0o755);
  return root;
}

function runBootstrap(root: string, script: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [path.join(root, 'tools', 'bootstrap.mjs'), script], { stdio: 'ignore' });
  children.push(child);
  return { child, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('tools/bootstrap.mjs', () => {
  it("exits with the script's status", async () => {
    const root = fakeWorkspace();
    expect(await runBootstrap(root, 'passes').exited).toBe(0);
    expect(await runBootstrap(root, 'fails').exited).toBe(3);
    expect(readFileSync(path.join(root, 'pnpm.log'), 'utf8')).toBe('started passes\nstarted fails\n');
  });

  it('passes a SIGTERM sent to it alone on to the whole script, and exits once the script has', async () => {
    const root = fakeWorkspace();
    const log = path.join(root, 'pnpm.log');
    const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
    const { child, exited } = runBootstrap(root, 'dev');
    await until(() => lines().includes('child started'));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The script's own child got it too, not only pnpm: nothing is left running.
    await until(() => lines().includes('child SIGTERM'));
    expect(lines().sort()).toEqual(['child SIGTERM', 'child started', 'pnpm SIGTERM', 'started dev']);
  });

  it('a stopped test run has not passed: it exits 128 + the signal, where a stopped dev runner exits 0', async () => {
    const root = fakeWorkspace();
    const log = path.join(root, 'pnpm.log');
    const { child, exited } = runBootstrap(root, 'verify');
    await until(() => existsSync(log) && readFileSync(log, 'utf8').includes('child started'));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
  });
});
