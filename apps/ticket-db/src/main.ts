import { serveEndpoint } from '@tickets/service-runtime';
import { ticketDbApp } from './services.js';

const { config, services } = ticketDbApp();
await serveEndpoint({ name: 'ticket-db', services, host: config.HOST, port: config.PORT, identityKeys: config.RESTATE_IDENTITY_KEYS });
