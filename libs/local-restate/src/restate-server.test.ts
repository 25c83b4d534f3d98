import { existsSync } from 'node:fs';
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

  it('removes its temp dir on dispose', async () => {
    const other = await RestateServer.start();
    await other.dispose();
    expect(existsSync(other.baseDir)).toBe(false);
  });
});
