import { Currency } from '@tickets/contracts';
import { DurationMillis, endpointEnv, readConfig } from '@tickets/service-runtime';
import { createUserSession } from './user-session.js';

/** This app's configuration and services, the same whether served over h2c (main.ts) or on Lambda (lambda.ts). */
export function userSessionApp(env: NodeJS.ProcessEnv = process.env) {
  const config = readConfig(
    endpointEnv(9081).extend({
      HOLD_DURATION: DurationMillis.default(15 * 60_000),
      /** How long a checkout keeps its holds, at least: more than paying can take (checkout's PAYMENT_MAX_RETRY, twice). */
      CHECKOUT_GRACE: DurationMillis.default(2 * 60_000),
      CURRENCY: Currency.default('USD'),
      /** How long an event read as "on sale" is trusted: a closing reaches new holds within it. */
      EVENT_TERMS_TTL: DurationMillis.default(2_000),
    }),
    env,
  );
  const session = createUserSession({ holdMillis: config.HOLD_DURATION, checkoutGraceMillis: config.CHECKOUT_GRACE, currency: config.CURRENCY, eventTermsMillis: config.EVENT_TERMS_TTL });
  return { config, services: [session] };
}
