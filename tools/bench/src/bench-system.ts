import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as clients from '@restatedev/restate-sdk-clients';
import { Event, type EventDefinition } from '@tickets/contracts';
import { startLocalFakes, type LocalFakes } from '@tickets/fakes';
import { freePort, isListening, LocalSystem, ManagedProcess, registerDeployment, waitUntil, type RestateServerOptions } from '@tickets/local-restate';

const ADMIN_TOKEN = 'bench-admin-token-0123456789';

/** The whole shop as the dev runner runs it, plus the bench-only ceiling endpoint as a fourth process. */
export interface BenchSystem {
  system: LocalSystem;
  fakes: LocalFakes;
  ceiling: ManagedProcess;
  createEvent(eventId: string, definition: EventDefinition): Promise<void>;
  /** How many seats of the event its public availability map shows as held. */
  heldSeats(eventId: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startBenchSystem(server: Pick<RestateServerOptions, 'env' | 'launcher'> = {}, appsInOneProcess = false): Promise<BenchSystem> {
  const fakes = await startLocalFakes();
  const system = await LocalSystem.start({ server, appEnv: { ADMIN_TOKEN, ...fakes.appEnv }, appsInOneProcess });
  const port = await freePort();
  const require = createRequire(import.meta.url);
  const ceiling = new ManagedProcess({
    name: 'bench-ceiling',
    command: process.execPath,
    args: [require.resolve('tsx/cli'), '--conditions=development', fileURLToPath(new URL('./ceiling-endpoint.ts', import.meta.url))],
    env: { PORT: String(port), HOST: '127.0.0.1', RESTATE_IDENTITY_KEYS: system.server.identityPublicKey ?? '' },
    logFile: path.join(system.server.baseDir, 'bench-ceiling.log'),
  });
  ceiling.start();
  await waitUntil('the ceiling endpoint', () => isListening(port));
  await registerDeployment(system.adminUrl, `http://127.0.0.1:${port}`);
  const ingress = clients.connect({ url: system.ingressUrl });
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  return {
    system,
    fakes,
    ceiling,
    async createEvent(eventId, definition) {
      await ingress.client(Event, eventId).create(definition, clients.rpc.opts({ headers }));
      await ingress.client(Event, eventId).open(clients.rpc.opts({ headers }));
    },
    async heldSeats(eventId) {
      const { sections } = await ingress.client(Event, eventId).availability();
      return sections.reduce((sum, section) => sum + section.counts.held, 0);
    },
    async stop() {
      await ceiling.stop();
      await system.stop();
      await fakes.close();
    },
  };
}
