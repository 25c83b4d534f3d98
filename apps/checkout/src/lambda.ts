import { createLambdaHandler } from '@tickets/service-runtime';
import { checkoutApp } from './services.js';

const { config, services } = checkoutApp();
export const handler = createLambdaHandler('checkout', { services, config });
