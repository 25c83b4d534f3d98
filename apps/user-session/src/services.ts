import { Currency } from '@tickets/contracts';
import { DurationMillis, endpointEnv, readConfig } from '@tickets/service-runtime';
import { createUserSession } from './user-session.js';

/** This app's configuration and services, the same whether served over h2c (main.ts) or on Lambda (lambda.ts). */
export function userSessionApp(env: NodeJS.ProcessEnv = process.env) {
  const config = readConfig(
    endpointEnv(9081).extend({
      HOLD_DURATION: DurationMillis.default(15 * 60_000),
      CURRENCY: Currency.default('USD'),
    }),
    env,
  );
  return { config, services: [createUserSession({ holdMillis: config.HOLD_DURATION, currency: config.CURRENCY })] };
}
