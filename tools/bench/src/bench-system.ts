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
  /** The app processes by pid, each named for the app(s) it serves (`a + b` when apps share a process). */
  appProcesses(): Map<number, string>;
  createEvent(eventId: string, definition: EventDefinition): Promise<void>;
  /** How many seats of the event its public availability map shows as held. */
  heldSeats(eventId: string): Promise<number>;
  /** Stops everything; a second call waits for the first. */
  stop(): Promise<void>;
}

export interface AppProcessOptions {
  /** Load the three app bundles into one Node process instead of one each. */
  appsInOneProcess?: boolean;
  /** Extra Node options for the app processes (e.g. `cpuProfileArgs`). */
  appNodeArgs?: string[];
}

export async function startBenchSystem(server: Pick<RestateServerOptions, 'env' | 'launcher'> = {}, apps: AppProcessOptions = {}): Promise<BenchSystem> {
  const fakes = await startLocalFakes();
  const system = await LocalSystem.start({ server, appEnv: { ADMIN_TOKEN, ...fakes.appEnv }, ...apps });
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
  let stopping: Promise<void> | undefined;
  return {
    system,
    fakes,
    ceiling,
    appProcesses() {
      const names = new Map<number, string>();
      for (const app of system.apps.values()) {
        const pid = app.process.pid ?? 0;
        names.set(pid, names.has(pid) ? `${names.get(pid)} + ${app.name}` : app.name);
      }
      return names;
    },
    async createEvent(eventId, definition) {
      await ingress.client(Event, eventId).create(definition, clients.rpc.opts({ headers }));
      await ingress.client(Event, eventId).open(clients.rpc.opts({ headers }));
    },
    async heldSeats(eventId) {
      const { sections } = await ingress.client(Event, eventId).availability();
      return sections.reduce((sum, section) => sum + section.counts.held, 0);
    },
    stop() {
      stopping ??= (async () => {
        await ceiling.stop();
        await system.stop();
        await fakes.close();
      })();
      return stopping;
    },
  };
}
