import net from 'node:net';

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Thrown by a `waitUntil` check that knows the wait is over: what it waits for can no longer happen. */
export class WaitAbandoned extends Error {}

/** Before starting a process on fixed ports: one still held by another (a runner killed earlier) would be taken for ours. */
export async function ensurePortsFree(what: string, ports: readonly number[]): Promise<void> {
  const taken = (await Promise.all(ports.map(async (port) => ((await isListening(port)) ? [port] : [])))).flat();
  if (taken.length > 0) throw new Error(`cannot start ${what}: port ${taken.join(', ')} already in use (a process left from an earlier run?)`);
}

/**
 * Poll `check` until it returns true or `timeoutMs` passes. A check that throws counts as "not yet" (a server not
 * listening yet refuses the connection), except for a WaitAbandoned, which ends the wait with that error.
 */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 20_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const notYet = (error: unknown) => {
    if (error instanceof WaitAbandoned) throw error;
    return false;
  };
  while (Date.now() < deadline) {
    if (await check().catch(notYet)) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
