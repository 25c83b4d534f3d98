import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TerminalError } from '@restatedev/restate-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripePaymentGateway } from './stripe-payment-gateway.js';

// A provider that answers every request with one Stripe error, to see what the gateway makes of it, unless a test
// queues answers of its own (`then`). It notes the requests it was sent.
type Answer = { status: number; body: unknown };
let answer = { status: 401, type: 'invalid_request_error', code: undefined as string | undefined };
let queued: Answer[] = [];
let sent: { path: string; key: string | undefined; form: URLSearchParams }[] = [];
let server: http.Server;
let gateway: StripePaymentGateway;

const then = (...answers: Answer[]) => {
  queued = answers;
  sent = [];
};
const stripeError = (status: number, code: string, extra: object = {}): Answer => ({
  status,
  body: { error: { type: status >= 500 ? 'api_error' : 'invalid_request_error', code, message: `answered ${status}`, ...extra } },
});
const intent = (status: string): Answer => ({ status: 200, body: { id: 'pi_1', object: 'payment_intent', status } });

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const key = request.headers['idempotency-key'];
      sent.push({ path: `${request.method} ${request.url}`, key: typeof key === 'string' ? key : undefined, form: new URLSearchParams(Buffer.concat(chunks).toString()) });
      const next = queued.shift() ?? { status: answer.status, body: { error: { type: answer.type, code: answer.code, message: `answered ${answer.status}` } } };
      response.writeHead(next.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway = new StripePaymentGateway({ apiKey: 'sk_test_revoked', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMillis: 5_000 });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const owed = () => [
  gateway.cancelPayment({ paymentId: 'pi_1', idempotencyKey: 'k' }),
  gateway.refund({ paymentId: 'pi_1', idempotencyKey: 'k:refund', reason: 'abandoned' }),
  gateway.refundPart({ paymentId: 'pi_1', idempotencyKey: 'k:part', amountCents: 1500, reason: 'called off' }),
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

  it('creates intents that never redirect the buyer, since the checkout confirms them on the server', async () => {
    then(intent('requires_confirmation'));
    await gateway.createPayment({ idempotencyKey: 'k:create', amountCents: 4000, currency: 'USD', paymentMethod: 'pm_card_visa', description: 'Order o', metadata: {} });
    expect(sent[0]?.form.get('automatic_payment_methods[enabled]')).toBe('true');
    expect(sent[0]?.form.get('automatic_payment_methods[allow_redirects]')).toBe('never');
  });

  it('after a 5xx, which Stripe keeps under its key, asks again under a key of its own', async () => {
    then(stripeError(500, 'api_error'), stripeError(500, 'api_error'), intent('succeeded'));
    const confirm = () => gateway.confirmPayment({ paymentId: 'pi_1', idempotencyKey: 'k:confirm' });
    await expect(confirm()).rejects.not.toBeInstanceOf(TerminalError);
    await expect(confirm()).rejects.not.toBeInstanceOf(TerminalError);
    expect(await confirm()).toEqual({ status: 'succeeded' });
    expect(sent.map((request) => request.key)).toEqual(['k:confirm', 'k:confirm:retry-1', 'k:confirm:retry-2']);
    // Done: a later request under the same key starts from it again.
    then(intent('succeeded'));
    await confirm();
    expect(sent.map((request) => request.key)).toEqual(['k:confirm']);
  });

  it('a confirm refused because the intent was confirmed already reads the intent, rather than call it declined', async () => {
    then(stripeError(400, 'payment_intent_unexpected_state'), intent('succeeded'));
    expect(await gateway.confirmPayment({ paymentId: 'pi_1', idempotencyKey: 'k:confirm' })).toEqual({ status: 'succeeded' });
    expect(sent.map((request) => request.path)).toEqual(['POST /v1/payment_intents/pi_1/confirm', 'GET /v1/payment_intents/pi_1']);
    then(stripeError(400, 'payment_intent_unexpected_state'), intent('processing'));
    expect(await gateway.confirmPayment({ paymentId: 'pi_1', idempotencyKey: 'k:confirm' })).toEqual({ status: 'incomplete', state: 'processing' });
  });

  it('a refund after a 5xx goes under a new key too: a second full refund is refused by Stripe, not made', async () => {
    then(stripeError(503, 'api_error'), stripeError(400, 'charge_already_refunded'));
    const refund = () => gateway.refund({ paymentId: 'pi_1', idempotencyKey: 'k:refund', reason: 'abandoned' });
    await expect(refund()).rejects.toBeInstanceOf(Error);
    expect(await refund()).toEqual({ alreadyRefunded: true });
    expect(sent.map((request) => request.key)).toEqual(['k:refund', 'k:refund:retry-1']);
  });

  describe('a partial refund', () => {
    const list = (...data: object[]): Answer => ({ status: 200, body: { object: 'list', data, has_more: false, url: '/v1/refunds' } });
    const made = { id: 're_1', object: 'refund', amount: 1500, metadata: { refund_key: 'k:part' } };
    const refundPart = () => gateway.refundPart({ paymentId: 'pi_1', idempotencyKey: 'k:part', amountCents: 1500, reason: 'called off' });
    const LIST = 'GET /v1/refunds?payment_intent=pi_1&limit=100';

    it('after a 5xx, looks for the refund that attempt made before it asks again, and is then done with the key', async () => {
      then(list(), stripeError(500, 'api_error'), list({ id: 're_0', object: 'refund', amount: 900, metadata: { refund_key: 'k:other' } }, made));
      await expect(refundPart()).rejects.not.toBeInstanceOf(TerminalError);
      expect(await refundPart()).toEqual({ refundId: 're_1' });
      expect(sent.map((request) => request.path)).toEqual([LIST, 'POST /v1/refunds', LIST]);
      expect(sent[1]?.form.get('amount')).toBe('1500');
      expect(sent[1]?.form.get('metadata[refund_key]')).toBe('k:part');
      // Found: a later request under the key starts from the key itself again.
      then(list(), { status: 200, body: made });
      await refundPart();
      expect(sent.map((request) => request.key)).toEqual([undefined, 'k:part']);
    });

    it('after a 5xx that made nothing, makes it under the key derived from the one spent', async () => {
      then(list(), stripeError(500, 'api_error'), list(), { status: 200, body: made });
      await expect(refundPart()).rejects.not.toBeInstanceOf(TerminalError);
      expect(await refundPart()).toEqual({ refundId: 're_1' });
      expect(sent.map((request) => request.key)).toEqual([undefined, 'k:part', undefined, 'k:part:retry-1']);
    });

    it('does not count a refund the provider failed or cancelled, and asks again under a key that counts them', async () => {
      then(list({ ...made, id: 're_0', status: 'failed' }, { ...made, id: 're_x', status: 'canceled' }), { status: 200, body: made });
      expect(await refundPart()).toEqual({ refundId: 're_1' });
      expect(sent.map((request) => [request.path, request.key])).toEqual([[LIST, undefined], ['POST /v1/refunds', 'k:part:again-2']]);
      expect(sent[1]?.form.get('metadata[refund_key]')).toBe('k:part');
      // Found beside them, pending: that is the one.
      then(list({ ...made, id: 're_0', status: 'failed' }, { ...made, status: 'pending' }));
      expect(await refundPart()).toEqual({ refundId: 're_1' });
      expect(sent).toHaveLength(1);
    });

    it('a payment refunded in full already is an answer: this part went back with it', async () => {
      then(list(), stripeError(400, 'charge_already_refunded'));
      expect(await refundPart()).toEqual({ alreadyRefunded: true });
    });

    it('refuses to count a refund of another amount under its key as its own', async () => {
      then(list({ ...made, amount: 900 }));
      await expect(refundPart()).rejects.toBeInstanceOf(TerminalError);
    });
  });

  it('a refusal for good (no such payment) ends them, for an operator to settle', async () => {
    answer = { status: 400, type: 'invalid_request_error', code: 'resource_missing' };
    for (const call of owed()) await expect(call).rejects.toBeInstanceOf(TerminalError);
  });
});
