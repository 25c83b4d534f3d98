import { serveEndpoint } from '@tickets/service-runtime';
import { ticketDbApp } from './services.js';

const { config, services } = ticketDbApp();
await serveEndpoint({ name: 'ticket-db', services, config });
