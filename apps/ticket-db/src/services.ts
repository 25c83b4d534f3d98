import { bearerToken, endpointEnv, readConfig } from '@tickets/service-runtime';
import { createEventCatalog } from './event-catalog.js';
import { rowAvailability } from './row-availability-object.js';
import { ticketDb } from './ticket-db.js';

/** This app's configuration and services, the same whether served over h2c (main.ts) or on Lambda (lambda.ts). */
export function ticketDbApp(env: NodeJS.ProcessEnv = process.env) {
  const config = readConfig(
    endpointEnv(9082).extend({
      /** Bearer token for the admin handlers (create, open, close an event); unset closes them. */
      ADMIN_TOKEN: bearerToken('ADMIN_TOKEN').optional(),
    }),
    env,
  );
  return { config, services: [ticketDb, createEventCatalog({ adminToken: config.ADMIN_TOKEN }), rowAvailability] };
}
