import './node20-shim.js';
import type { EndpointOptions } from '@restatedev/restate-sdk';
import { createEndpointHandler } from '@restatedev/restate-sdk/lambda';
import type { EndpointConfig } from './config.js';
import { endpointSetup } from './endpoint-options.js';

/** The same services behind AWS Lambda instead of an h2c server (register the function's ARN with Restate). */
export function createLambdaHandler(
  name: string,
  { services, config, secretKeys }: { services: EndpointOptions['services']; config: EndpointConfig; secretKeys?: readonly string[] },
) {
  return createEndpointHandler(endpointSetup(name, services, config, secretKeys).options);
}

/**
 * Ask a Lambda handler which services it serves, the way Restate discovers a function: a synthetic API Gateway
 * event. For smoke tests of the Lambda entry points.
 */
export async function discoverLambdaServices(handler: ReturnType<typeof createLambdaHandler>): Promise<string[]> {
  const response = (await handler(
    { path: '/discover', httpMethod: 'GET', headers: { accept: 'application/vnd.restate.endpointmanifest.v4+json' }, body: null, isBase64Encoded: false },
    {},
  )) as { statusCode: number; body: string; isBase64Encoded: boolean };
  if (response.statusCode !== 200) throw new Error(`discovery answered ${response.statusCode}: ${response.body}`);
  const manifest = JSON.parse(Buffer.from(response.body, response.isBase64Encoded ? 'base64' : 'utf8').toString()) as { services: { name: string }[] };
  return manifest.services.map((service) => service.name).sort();
}
