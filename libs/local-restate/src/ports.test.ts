import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ensurePortsFree, WaitAbandoned, waitUntil } from './ports.js';

describe('waitUntil', () => {
  it('takes a failing check for "not yet", and keeps polling', async () => {
    let calls = 0;
    await waitUntil('the third call', async () => {
      calls += 1;
      if (calls < 3) throw new Error('connection refused');
      return true;
    });
    expect(calls).toBe(3);
  });

  it('stops at once when the check abandons the wait, with its reason', async () => {
    let calls = 0;
    const wait = waitUntil('a process that died', async () => {
      calls += 1;
      throw new WaitAbandoned('it exited during start-up');
    }, 60_000);
    await expect(wait).rejects.toThrow('it exited during start-up');
    expect(calls).toBe(1);
  });
});

describe('ensurePortsFree', () => {
  it('names a port something else already listens on', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      await expect(ensurePortsFree('ticket-db', [port])).rejects.toThrow(`cannot start ticket-db: port ${port} already in use`);
    } finally {
      server.close();
    }
    await expect(ensurePortsFree('ticket-db', [port])).resolves.toBeUndefined();
  });
});
