import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The bench's server launcher for a container-like memory limit (`pnpm bench --server-launcher ...`).
const script = fileURLToPath(new URL('../memory-limit.sh', import.meta.url));
const run = (limit: string, ...command: string[]) => spawnSync(script, [limit, ...command], { encoding: 'utf8', timeout: 60_000 });
// It needs write access to the memory cgroup: root here and in CI. Without it there is nothing it could do.
const canLimit = run('64M', 'true').status === 0;

describe.runIf(canLimit)('tools/bench/memory-limit.sh', () => {
  it('runs the command itself (exec) in a memory cgroup of its own', () => {
    const { stdout, status } = run('64M', 'cat', '/proc/self/cgroup');
    expect(status).toBe(0);
    expect(stdout).toMatch(/memory:.*\/tickets-bench-\d+|^0::.*\/tickets-bench-\d+/m);
  });

  it('lets the kernel kill a command whose memory outgrows the limit', () => {
    const { signal } = run('32M', process.execPath, '-e', 'const kept = []; for (;;) kept.push(Buffer.alloc(1 << 20, 1));');
    expect(signal).toBe('SIGKILL');
  });
});
