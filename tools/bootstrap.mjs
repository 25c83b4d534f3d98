#!/usr/bin/env node
// `npm start` / `npm test` on a machine with only Node and npm: install the pinned pnpm and the workspace's
// dependencies when they are missing or stale, then run the named package script with pnpm.
//
// pnpm goes to .tools/, not node_modules: Nx removes <workspace>/node_modules/* from PATH before it runs a
// package script through `pnpm run`, so a pnpm installed there could not be found by Nx's tasks.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const script = process.argv[2];
const pnpmVersion = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const pnpmPrefix = path.join(root, '.tools', `pnpm-${pnpmVersion}`);
const pnpmBin = path.join(pnpmPrefix, 'node_modules', '.bin');
const env = { ...process.env, PATH: `${pnpmBin}${path.delimiter}${process.env.PATH}` };

const run = (command, args) => {
  const { status, signal } = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (signal === 'SIGINT' || signal === 'SIGTERM') process.exit(0);
  if (status !== 0) process.exit(status ?? 1);
};

if (!existsSync(path.join(pnpmBin, 'pnpm'))) {
  console.log(`Installing pnpm ${pnpmVersion} into .tools/…`);
  run('npm', ['install', '--prefix', pnpmPrefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${pnpmVersion}`]);
}

// pnpm keeps a copy of the lockfile it installed from; a difference means someone changed dependencies.
const installed = path.join(root, 'node_modules', '.pnpm', 'lock.yaml');
const upToDate =
  existsSync(installed) &&
  readFileSync(installed, 'utf8') === readFileSync(path.join(root, 'pnpm-lock.yaml'), 'utf8');
if (!upToDate) {
  console.log(`Installing dependencies…`);
  run('pnpm', ['install', '--frozen-lockfile']);
}
if (script) run('pnpm', ['run', script]);
