import { serveEndpoint } from '@tickets/service-runtime';
import { userSessionApp } from './services.js';

const { config, services } = userSessionApp();
await serveEndpoint({ name: 'user-session', services, host: config.HOST, port: config.PORT, identityKeys: config.RESTATE_IDENTITY_KEYS });
