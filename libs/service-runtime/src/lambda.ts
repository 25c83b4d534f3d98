import './node20-shim.js';
import type { EndpointOptions } from '@restatedev/restate-sdk';
import { createEndpointHandler } from '@restatedev/restate-sdk/lambda';
import { jsonLogger } from './logger.js';
import { setUpTracing } from './tracing.js';

/** The same services behind AWS Lambda instead of an h2c server (register the function's ARN with Restate). */
export function createLambdaHandler(name: string, options: Pick<EndpointOptions, 'services' | 'identityKeys'>) {
  const identityKeys = options.identityKeys?.length ? options.identityKeys : undefined;
  return createEndpointHandler({
    services: options.services,
    ...(identityKeys ? { identityKeys } : {}),
    logger: jsonLogger(name),
    defaultServiceOptions: { hooks: setUpTracing(name).hooks },
  });
}
