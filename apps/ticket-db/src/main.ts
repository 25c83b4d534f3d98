import { endpointEnv, readConfig, serveEndpoint } from '@tickets/service-runtime';
import { ticketDb } from './ticket-db.js';

const config = readConfig(endpointEnv(9082));
await serveEndpoint({
  name: 'ticket-db',
  services: [ticketDb],
  host: config.HOST,
  port: config.PORT,
  identityKeys: config.RESTATE_IDENTITY_KEYS,
});
