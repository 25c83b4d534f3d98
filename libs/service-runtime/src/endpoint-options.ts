import type { EndpointOptions } from '@restatedev/restate-sdk';
import { unsignedRequestsRefusal, type EndpointConfig } from './config.js';
import { jsonLogger } from './logger.js';
import { setUpTracing, type Tracing } from './tracing.js';

/**
 * What either entry point (the h2c server, a Lambda) gives the SDK: the services, whose requests to serve, logging
 * and tracing, with the keys of `secretKeys` services masked in both (redact.ts). Refuses a configuration that
 * would serve unsigned requests in production.
 */
export function endpointSetup(
  name: string,
  services: EndpointOptions['services'],
  config: EndpointConfig,
  secretKeys: readonly string[] = [],
): { options: EndpointOptions; tracing: Tracing } {
  const refusal = unsignedRequestsRefusal(config);
  if (refusal) throw new Error(refusal);
  const secretKeyed = new Set(secretKeys);
  const tracing = setUpTracing(name, config.OTEL_EXPORTER_OTLP_ENDPOINT, secretKeyed);
  const identityKeys = config.RESTATE_IDENTITY_KEYS;
  return {
    tracing,
    options: {
      services,
      ...(identityKeys.length > 0 ? { identityKeys } : {}),
      logger: jsonLogger(name, config.LOG_LEVEL, secretKeyed),
      defaultServiceOptions: { hooks: tracing.hooks },
    },
  };
}
