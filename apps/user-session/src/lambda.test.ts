import { describe, expect, it } from 'vitest';

// The Lambda entry point over the same service objects: a synthetic API Gateway discovery event gets the manifest.
describe('lambda handler', () => {
  it('answers discovery with this app’s services', async () => {
    Object.assign(process.env, { STRIPE_API_KEY: 'sk_test_lambda', SMTP_HOST: '127.0.0.1' });
    const { handler } = await import('./lambda.js');
    const response = await handler(
      { path: '/discover', httpMethod: 'GET', headers: { accept: 'application/vnd.restate.endpointmanifest.v4+json' }, body: null, isBase64Encoded: false },
      {},
    );
    expect(response.statusCode).toBe(200);
    const manifest = JSON.parse(Buffer.from(response.body, response.isBase64Encoded ? 'base64' : 'utf8').toString()) as { services: { name: string }[] };
    expect(manifest.services.map((service) => service.name).sort()).toEqual(['UserSession']);
  });
});
