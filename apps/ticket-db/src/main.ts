import { endpointEnv, readConfig, serveEndpoint } from '@tickets/service-runtime';
import { z } from 'zod';
import { createEventCatalog } from './event-catalog.js';
import { rowAvailability } from './row-availability-object.js';
import { ticketDb } from './ticket-db.js';

const config = readConfig(
  endpointEnv(9082).extend({
    /** Bearer token for the admin handlers (create, open, close an event); unset closes them. */
    ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters').optional(),
  }),
);
await serveEndpoint({
  name: 'ticket-db',
  services: [ticketDb, createEventCatalog({ adminToken: config.ADMIN_TOKEN }), rowAvailability],
  host: config.HOST,
  port: config.PORT,
  identityKeys: config.RESTATE_IDENTITY_KEYS,
});
