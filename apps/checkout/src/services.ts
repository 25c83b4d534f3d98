import { Ticket } from '@tickets/contracts';
import { bearerToken, DurationMillis, endpointEnv, readConfig } from '@tickets/service-runtime';
import { z } from 'zod';
import { createCheckoutProcess } from './checkout-process.js';
import { SmtpMailer } from './email/smtp-mailer.js';
import { createOrderObject } from './order-object.js';
import { longestPaymentMillis } from './order.js';
import { StripePaymentGateway } from './payment/stripe-payment-gateway.js';
import { createTicketObject } from './ticket-object.js';

/** This app's configuration and services, the same whether served over h2c (main.ts) or on Lambda (lambda.ts). */
export function checkoutApp(env: NodeJS.ProcessEnv = process.env) {
  const config = readConfig(
    endpointEnv(9083).extend({
      STRIPE_API_KEY: z.string().regex(/^sk_(test|live)_\w+$/, 'STRIPE_API_KEY must be a Stripe secret key (sk_test_… or sk_live_…)'),
      /** Scheme, host and port only: the client takes no path. */
      STRIPE_BASE_URL: z
        .url({ protocol: /^https?$/, error: 'STRIPE_BASE_URL must be an http(s) URL' })
        .refine((url) => new URL(url).pathname === '/' && !new URL(url).search, 'STRIPE_BASE_URL must be a scheme, host and port only: the client would drop a path')
        .default('https://api.stripe.com'),
      /** One request to the provider; a hung provider fails the request after this long. */
      PAYMENT_REQUEST_TIMEOUT: DurationMillis.default(10_000),
      /** How long a checkout keeps retrying the provider before telling the user it is unavailable. */
      PAYMENT_MAX_RETRY: DurationMillis.default(30_000),
      SMTP_HOST: z.string().min(1),
      SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
      SMTP_SECURE: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
      SMTP_USER: z.string().optional(),
      SMTP_PASSWORD: z.string().optional(),
      MAIL_FROM: z.string().min(3).default('Tickets <tickets@tickets.example.com>'),
      MAIL_DOMAIN: z.string().min(1).default('tickets.example.com'),
      /** Bearer token for door staff (check-in); unset closes check-in. */
      STAFF_TOKEN: bearerToken('STAFF_TOKEN').optional(),
      /** Bearer token for event admins (refund an order); unset closes that handler. The same token as ticket-db's. */
      ADMIN_TOKEN: bearerToken('ADMIN_TOKEN').optional(),
    }).superRefine((settings, ctx) => {
      // The local fake is plain http; a live key never travels unencrypted.
      if (settings.STRIPE_API_KEY.startsWith('sk_live_') && !settings.STRIPE_BASE_URL.startsWith('https:')) {
        ctx.addIssue({ code: 'custom', path: ['STRIPE_BASE_URL'], message: 'a live STRIPE_API_KEY goes to an https STRIPE_BASE_URL only' });
      }
    }),
    env,
  );

  const payments = new StripePaymentGateway({
    apiKey: config.STRIPE_API_KEY,
    baseUrl: config.STRIPE_BASE_URL,
    timeoutMillis: config.PAYMENT_REQUEST_TIMEOUT,
  });
  const mailer = new SmtpMailer({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    user: config.SMTP_USER,
    password: config.SMTP_PASSWORD,
    from: config.MAIL_FROM,
  });
  const mailDomain = config.MAIL_DOMAIN;

  return {
    config,
    // A ticket code is the key of its Ticket object, and admits at the door: not for logs and traces.
    secretKeys: [Ticket.name],
    services: [
      createCheckoutProcess({
        payments,
        mailer,
        mailDomain,
        paymentMaxRetryMillis: config.PAYMENT_MAX_RETRY,
        paymentTimeLimitMillis: longestPaymentMillis(config.PAYMENT_MAX_RETRY, config.PAYMENT_REQUEST_TIMEOUT),
      }),
      createOrderObject({ mailDomain, adminToken: config.ADMIN_TOKEN }),
      createTicketObject({ staffToken: config.STAFF_TOKEN }),
    ],
  };
}
