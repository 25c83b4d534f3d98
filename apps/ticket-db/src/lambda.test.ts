import { discoverLambdaServices } from '@tickets/service-runtime';
import { expect, it } from 'vitest';

it('the Lambda handler answers a synthetic API Gateway discovery event with this app’s services', async () => {
  const { handler } = await import('./lambda.js');
  expect(await discoverLambdaServices(handler)).toEqual(['Event', 'RowAvailability', 'TicketDb']);
});
