import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { querySql } from './admin.js';
import { isListening } from './ports.js';
import { RestateServer, restateServerBinary } from './restate-server.js';

describe('RestateServer', () => {
  let server: RestateServer;
  beforeAll(async () => {
    server = await RestateServer.start();
  });
  afterAll(() => server?.dispose());

  it('runs the npm binary on its own free ports and temp dir', async () => {
    expect(existsSync(restateServerBinary())).toBe(true);
    expect((await fetch(`${server.adminUrl}/health`)).ok).toBe(true);
    expect((await fetch(`${server.ingressUrl}/restate/health`)).ok).toBe(true);
    expect(server.baseDir).toMatch(/restate-/);
  });

  it('answers SQL over the admin API', async () => {
    expect(await querySql(server.adminUrl, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('survives SIGKILL and restarts on the same data dir', async () => {
    const pid = server.pid;
    await server.kill();
    expect(await isListening(server.ports.admin)).toBe(false);
    await server.restart();
    expect(server.pid).not.toBe(pid);
    expect((await fetch(`${server.adminUrl}/health`)).ok).toBe(true);
  });

  it('starts under a launcher that execs it, so that its PID is the server itself', async () => {
    const launched = await RestateServer.start({ launcher: ['env', 'LAUNCHED_BY=test'] });
    try {
      expect((await fetch(`${launched.ingressUrl}/restate/health`)).ok).toBe(true);
      const [command] = readFileSync(`/proc/${launched.pid}/cmdline`, 'utf8').split('\0');
      expect(command).toBe(restateServerBinary());
      expect(readFileSync(`/proc/${launched.pid}/environ`, 'utf8').split('\0')).toContain('LAUNCHED_BY=test');
    } finally {
      await launched.dispose();
    }
  });

  it('removes its temp dir on dispose', async () => {
    const other = await RestateServer.start();
    await other.dispose();
    expect(existsSync(other.baseDir)).toBe(false);
  });
});

describe('request identity', () => {
  it('signs with a key whose public half is the one the server itself reports', async () => {
    const server = await RestateServer.start({ env: { RESTATE_LOG_FILTER: 'info' } });
    try {
      expect(server.identityPublicKey).toMatch(/^publickeyv1_\w{40,}$/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const log = readFileSync(path.join(server.baseDir, 'restate-server.log'), 'utf8');
      expect(log).toContain(server.identityPublicKey);
    } finally {
      await server.dispose();
    }
  });
});
