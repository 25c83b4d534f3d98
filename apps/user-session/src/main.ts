import { Currency } from '@tickets/contracts';
import { DurationMillis, endpointEnv, readConfig, serveEndpoint } from '@tickets/service-runtime';
import { createUserSession } from './user-session.js';

const config = readConfig(
  endpointEnv(9081).extend({
    HOLD_DURATION: DurationMillis.default(15 * 60_000),
    CURRENCY: Currency.default('USD'),
  }),
);
await serveEndpoint({
  name: 'user-session',
  services: [createUserSession({ holdMillis: config.HOLD_DURATION, currency: config.CURRENCY })],
  host: config.HOST,
  port: config.PORT,
  identityKeys: config.RESTATE_IDENTITY_KEYS,
});
