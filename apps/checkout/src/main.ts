import { serveEndpoint } from '@tickets/service-runtime';
import { checkoutApp } from './services.js';

const { config, services, secretKeys } = checkoutApp();
await serveEndpoint({ name: 'checkout', services, config, secretKeys });
