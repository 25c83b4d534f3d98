import { createLambdaHandler } from '@tickets/service-runtime';
import { ticketDbApp } from './services.js';

const { config, services } = ticketDbApp();
export const handler = createLambdaHandler('ticket-db', { services, config });
