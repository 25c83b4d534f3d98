import { createLambdaHandler } from '@tickets/service-runtime';
import { userSessionApp } from './services.js';

const { config, services } = userSessionApp();
export const handler = createLambdaHandler('user-session', { services, config });
