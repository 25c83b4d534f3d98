import { endpointEnv, readConfig, serveEndpoint } from '@tickets/service-runtime';
import { z } from 'zod';
import { createCheckoutProcess } from './checkout-process.js';
import { LogMailer } from './email/log-mailer.js';
import { InMemoryPaymentGateway } from './payment/in-memory-payment-gateway.js';

const config = readConfig(endpointEnv(9083).extend({ MAIL_DOMAIN: z.string().min(1).default('tickets.example.com') }));
await serveEndpoint({
  name: 'checkout',
  services: [
    createCheckoutProcess({ payments: new InMemoryPaymentGateway(), mailer: new LogMailer(), mailDomain: config.MAIL_DOMAIN }),
  ],
  host: config.HOST,
  port: config.PORT,
  identityKeys: config.RESTATE_IDENTITY_KEYS,
});
