import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TerminalError } from '@restatedev/restate-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripePaymentGateway } from './stripe-payment-gateway.js';

// A provider that answers every request with one Stripe error, to see what the gateway makes of it.
let answer = { status: 401, type: 'invalid_request_error', code: undefined as string | undefined };
let server: http.Server;
let gateway: StripePaymentGateway;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    request.resume().on('end', () => {
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { type: answer.type, code: answer.code, message: `answered ${answer.status}` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway = new StripePaymentGateway({ apiKey: 'sk_test_revoked', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMillis: 5_000 });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const owed = () => [
  gateway.cancelPayment({ paymentId: 'pi_1', idempotencyKey: 'k' }),
  gateway.refund({ paymentId: 'pi_1', idempotencyKey: 'k:refund', reason: 'abandoned' }),
];

describe('StripePaymentGateway', () => {
  it('our API key refused: a new payment gives up at once, as the provider being unavailable', async () => {
    answer = { status: 401, type: 'invalid_request_error', code: undefined };
    const create = gateway.createPayment({ idempotencyKey: 'k:create', amountCents: 4000, currency: 'USD', paymentMethod: 'pm_card_visa', description: 'Order o', metadata: {} });
    await expect(create).rejects.toBeInstanceOf(TerminalError);
  });

  it.each([401, 403])('our API key refused (%i): cancelling and refunding, which are owed to the buyer, are retried', async (status) => {
    answer = { status, type: 'invalid_request_error', code: undefined };
    for (const call of owed()) {
      const error = await call.then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(TerminalError);
      expect((error as Error).message).toContain('API key');
    }
  });

  it('a payment already refunded in full is refunded: nothing is owed any more', async () => {
    answer = { status: 400, type: 'invalid_request_error', code: 'charge_already_refunded' };
    expect(await gateway.refund({ paymentId: 'pi_1', idempotencyKey: 'k:refund', reason: 'abandoned' })).toEqual({ alreadyRefunded: true });
  });

  it('a refusal for good (no such payment) ends them, for an operator to settle', async () => {
    answer = { status: 400, type: 'invalid_request_error', code: 'resource_missing' };
    for (const call of owed()) await expect(call).rejects.toBeInstanceOf(TerminalError);
  });
});
