// `pnpm start`: an embedded restate-server, the three apps on their default ports, registered, ready for curl.
import path from 'node:path';
import { LocalSystem, WORKSPACE_ROOT } from '@tickets/local-restate';

const dataDir = path.join(WORKSPACE_ROOT, '.data', 'restate');

const system = await LocalSystem.start({
  server: { baseDir: dataDir, ingressPort: 8080, adminPort: 9070, nodePort: 5122 },
  appEnv: { HOLD_DURATION: process.env.HOLD_DURATION ?? '15m' },
  defaultPorts: true,
  appLogs: 'stdout',
});

const ingress = 'localhost:8080';
console.log(`
Ticket reservation is running.
  ingress    http://${ingress}
  Restate UI http://localhost:9070   (server log: ${path.relative(process.cwd(), path.join(dataDir, 'restate-server.log'))})
  apps       ${[...system.apps.values()].map((app) => `${app.name} :${app.port}`).join(', ')}

Try:
  curl ${ingress}/UserSession/user_1/addTicket --json '"Rolling-stones-A22"'     # true
  curl ${ingress}/UserSession/user_2/addTicket --json '"Rolling-stones-A22"'     # false: user_1 holds it
  curl ${ingress}/UserSession/user_1/getCart -X POST
  curl ${ingress}/TicketDb/Rolling-stones-A22/status -X POST
  curl ${ingress}/UserSession/user_1/checkout -X POST
  pnpm ticket add user_3 Rolling-stones-B7                                    # the typed client

Ctrl-C stops everything.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    void system.stop().then(() => process.exit(0));
  });
}
