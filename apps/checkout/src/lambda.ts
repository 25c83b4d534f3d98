import { createLambdaHandler } from '@tickets/service-runtime';
import { checkoutApp } from './services.js';

const { config, services } = checkoutApp();
export const handler = createLambdaHandler('checkout', { services, identityKeys: config.RESTATE_IDENTITY_KEYS });
