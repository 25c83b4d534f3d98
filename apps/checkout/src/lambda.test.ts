import { discoverLambdaServices } from '@tickets/service-runtime';
import { expect, it } from 'vitest';

it('the Lambda handler answers a synthetic API Gateway discovery event with this app’s services', async () => {
  // The Lambda reads the same required settings as the server.
  Object.assign(process.env, { STRIPE_API_KEY: 'sk_test_lambda', SMTP_HOST: '127.0.0.1' });
  const { handler } = await import('./lambda.js');
  expect(await discoverLambdaServices(handler)).toEqual(['CheckoutProcess', 'Order', 'Ticket']);
});
