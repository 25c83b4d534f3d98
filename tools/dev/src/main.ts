// `pnpm start`: an embedded restate-server, the three apps on their default ports, registered, the demo event on
// sale, ready for curl.
import path from 'node:path';
import * as clients from '@restatedev/restate-sdk-clients';
import { Event } from '@tickets/contracts';
import { startLocalFakes } from '@tickets/fakes';
import { LocalSystem, WORKSPACE_ROOT } from '@tickets/local-restate';
import { DEMO_EVENT, DEMO_EVENT_ID } from './demo-event.js';

const dataDir = path.join(WORKSPACE_ROOT, '.data', 'restate');
const mailDir = path.join(WORKSPACE_ROOT, '.data', 'mail');
const adminToken = process.env.ADMIN_TOKEN ?? 'dev-admin-token-change-me';

const fakes = await startLocalFakes({ stripePort: 12111, smtpPort: 2525, mailDir });
const system = await LocalSystem.start({
  server: { baseDir: dataDir, ingressPort: 8080, adminPort: 9070, nodePort: 5122 },
  appEnv: { HOLD_DURATION: process.env.HOLD_DURATION ?? '15m', ADMIN_TOKEN: adminToken, ...fakes.appEnv },
  defaultPorts: true,
  appLogs: 'stdout',
  // One setting sends the server's and every app's traces to a collector, e.g. Jaeger's http://localhost:4318.
  tracingEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    void system
      .stop()
      .then(() => fakes.close())
      .then(() => process.exit(0));
  });
}

// Creating the same event again is a no-op, so this is safe on every start with the same data dir.
const event = clients.connect({ url: system.ingressUrl }).client(Event, DEMO_EVENT_ID);
const headers = { authorization: `Bearer ${adminToken}` };
let seeded = false;
try {
  await event.create(DEMO_EVENT, clients.rpc.opts({ headers }));
  await event.open(clients.rpc.opts({ headers }));
  seeded = true;
} catch (error) {
  const detail = error instanceof clients.HttpCallError ? error.responseText : String(error);
  console.warn(`Could not seed the demo event (${detail}); delete .data/ for a clean slate.`);
}

const ingress = 'localhost:8080';
console.log(`
Ticket reservation is running, ${seeded ? `with the demo event "${DEMO_EVENT_ID}" on sale` : `but the demo event "${DEMO_EVENT_ID}" could not be put on sale (see above)`}.
  ingress    http://${ingress}
  Restate UI http://localhost:9070   (server log: ${path.relative(process.cwd(), path.join(dataDir, 'restate-server.log'))})
  apps       ${[...system.apps.values()].map((app) => `${app.name} :${app.port}`).join(', ')}
  admin      authorization: Bearer ${adminToken}      door staff: authorization: Bearer ${fakes.appEnv.STAFF_TOKEN}
  payments   Stripe-shaped fake at ${fakes.stripe.url} (ledger: curl ${fakes.stripe.url}/_ledger)
  mail       SMTP sink on :${fakes.smtp.port}, every message in ${path.relative(process.cwd(), mailDir)}/ (.eml and .json)

Try:
  curl ${ingress}/UserSession/user_1/addTicket --json '"Rolling-stones-A22"'     # true
  curl ${ingress}/UserSession/user_2/addTicket --json '"Rolling-stones-A22"'     # false: user_1 holds it
  curl ${ingress}/UserSession/user_1/addTickets --json '{"ticketIds": ["Rolling-stones-K1", "Rolling-stones-K2"]}'
  curl ${ingress}/UserSession/user_1/getCart -X POST
  curl ${ingress}/Event/Rolling-stones/availability -X POST
  curl ${ingress}/UserSession/user_1/checkout --json '{"email": "me@example.org"}'
  curl ${ingress}/UserSession/user_1/getOrders -X POST
  npm run ticket -- add user_3 Rolling-stones-B7                                 # the typed client (pnpm ticket …)

Ctrl-C stops everything.`);
