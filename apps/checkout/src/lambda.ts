import { createLambdaHandler } from '@tickets/service-runtime';
import { checkoutApp } from './services.js';

const { config, services, secretKeys } = checkoutApp();
export const handler = createLambdaHandler('checkout', { services, config, secretKeys });
