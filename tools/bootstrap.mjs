#!/usr/bin/env node
// `npm start` / `npm test` on a machine with only Node and npm: install the pinned pnpm and the workspace's
// dependencies when they are missing or stale, then run the named package script with pnpm.
//
// pnpm goes to .tools/, not node_modules: Nx removes <workspace>/node_modules/* from PATH before it runs a
// package script through `pnpm run`, so a pnpm installed there could not be found by Nx's tasks.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const script = process.argv[2];

// The toolchain (eslint 10, the pinned Node types) wants 20.19 or later; say so rather than fail obscurely later.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Node ${process.versions.node} is too old: this project needs Node 20.19 or later.`);
  process.exit(1);
}
const pnpmVersion = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const pnpmPrefix = path.join(root, '.tools', `pnpm-${pnpmVersion}`);
const pnpmBin = path.join(pnpmPrefix, 'node_modules', '.bin');
const env = { ...process.env, PATH: `${pnpmBin}${path.delimiter}${process.env.PATH}` };

// Run a command to its end. The command gets a process group of its own, and a SIGINT, SIGTERM or SIGHUP sent to
// this process (a process manager, `kill`, a CI runner's timeout, Ctrl-C) goes to that whole group: pnpm alone
// would not pass it on through the shell of a package script, and `npm start` would leave the dev runner behind.
// Once asked to stop, the command's own shutdown decides when we exit. Stopping the dev runner is how it ends, so
// that exits 0; anything else stopped did not finish (a CI run cancelled mid-test has not passed): 128 + signal.
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const run = (command, args) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit', detached: process.platform !== 'win32' });
    let stopped;
    const forward = (signal) => {
      stopped = signal;
      try {
        if (process.platform === 'win32') child.kill(signal);
        else process.kill(-child.pid, signal);
      } catch {
        // The group has already gone.
      }
    };
    for (const signal of stopSignals) process.on(signal, forward);
    child.on('exit', (status, signal) => {
      for (const s of stopSignals) process.off(s, forward);
      const stopSignal = stopped ?? (stopSignals.includes(signal) ? signal : undefined);
      if (stopSignal) process.exit(script === 'dev' ? 0 : 128 + constants.signals[stopSignal]);
      if (status !== 0) process.exit(status ?? 1);
      resolve();
    });
  });

if (!existsSync(path.join(pnpmBin, 'pnpm'))) {
  console.log(`Installing pnpm ${pnpmVersion} into .tools/…`);
  await run('npm', ['install', '--prefix', pnpmPrefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${pnpmVersion}`]);
}

// pnpm keeps a copy of the lockfile it installed from; a difference means someone changed dependencies.
const installed = path.join(root, 'node_modules', '.pnpm', 'lock.yaml');
const upToDate =
  existsSync(installed) &&
  readFileSync(installed, 'utf8') === readFileSync(path.join(root, 'pnpm-lock.yaml'), 'utf8');
if (!upToDate) {
  console.log(`Installing dependencies…`);
  await run('pnpm', ['install', '--frozen-lockfile']);
}
if (script) await run('pnpm', ['run', script]);
