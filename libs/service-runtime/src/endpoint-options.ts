import type { EndpointOptions } from '@restatedev/restate-sdk';
import { unsignedRequestsRefusal, type EndpointConfig } from './config.js';
import { jsonLogger } from './logger.js';
import type { Tracing } from './tracing.js';

/** What either entry point (the h2c server, a Lambda) gives the SDK: the services, whose requests to serve, logging and tracing. */
export function endpointOptions(name: string, services: EndpointOptions['services'], config: EndpointConfig, tracing: Tracing, secretKeyed: ReadonlySet<string>): EndpointOptions {
  const refusal = unsignedRequestsRefusal(config);
  if (refusal) throw new Error(refusal);
  const identityKeys = config.RESTATE_IDENTITY_KEYS;
  return {
    services,
    ...(identityKeys.length > 0 ? { identityKeys } : {}),
    logger: jsonLogger(name, config.LOG_LEVEL, secretKeyed),
    defaultServiceOptions: { hooks: tracing.hooks },
  };
}
