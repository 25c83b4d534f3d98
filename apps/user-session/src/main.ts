import { serveEndpoint } from '@tickets/service-runtime';
import { userSessionApp } from './services.js';

const { config, services } = userSessionApp();
await serveEndpoint({ name: 'user-session', services, config });
