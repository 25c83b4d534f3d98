import net from 'node:net';
import { once } from 'node:events';
import { createTransport } from 'nodemailer';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalFakes, type LocalFakes } from './local-fakes.js';
import { BOUNCING_DOMAIN, startSmtpSink } from './smtp-sink.js';

// The fakes are checked with the same official clients the checkout app uses, so they speak what those clients expect.
let fakes: LocalFakes;
let stripe: Stripe;
beforeAll(async () => {
  fakes = await startLocalFakes();
  const url = new URL(fakes.stripe.url);
  stripe = new Stripe('sk_test_local', { protocol: 'http', host: url.hostname, port: url.port, maxNetworkRetries: 0, timeout: 500 });
});
afterAll(() => fakes?.close());

// As the checkout creates them: confirmed on the server, so with no payment method that redirects the buyer.
const create = (payment_method: string, idempotencyKey: string) =>
  stripe.paymentIntents.create({ amount: 4000, currency: 'usd', payment_method, automatic_payment_methods: { enabled: true, allow_redirects: 'never' } }, { idempotencyKey });

describe('fake Stripe', () => {
  it('charges once per idempotency key', async () => {
    const intent = await create('pm_card_visa', 'k1');
    expect(await create('pm_card_visa', 'k1')).toEqual(intent);
    const paid = await stripe.paymentIntents.confirm(intent.id, {}, { idempotencyKey: 'k1-confirm' });
    expect(paid.status).toBe('succeeded');
    expect((await stripe.paymentIntents.confirm(intent.id, {}, { idempotencyKey: 'k1-confirm' })).status).toBe('succeeded');
    expect(fakes.stripe.ledger().filter((e) => e.paymentIntent === intent.id)).toHaveLength(1);
  });

  it('declines like Stripe: a StripeCardError with a decline code', async () => {
    const intent = await create('pm_card_chargeDeclinedInsufficientFunds', 'k2');
    const error = await stripe.paymentIntents.confirm(intent.id, {}, { idempotencyKey: 'k2-confirm' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect((error as Stripe.errors.StripeCardError).decline_code).toBe('insufficient_funds');
  });

  it('fails transiently twice, keeping each 500 under its key as Stripe does, then succeeds', async () => {
    const intent = await create('pm_card_flaky', 'k3');
    const confirm = (idempotencyKey: string) => stripe.paymentIntents.confirm(intent.id, {}, { idempotencyKey });
    await expect(confirm('k3-confirm')).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    await expect(confirm('k3-confirm')).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    await expect(confirm('k3-confirm-2')).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect((await confirm('k3-confirm-3')).status).toBe('succeeded');
    // Confirmed once: confirming again under another key is refused, and nothing more is charged.
    await expect(confirm('k3-confirm-4')).rejects.toMatchObject({ code: 'payment_intent_unexpected_state' });
    expect(fakes.stripe.ledger().filter((e) => e.paymentIntent === intent.id)).toHaveLength(1);
  });

  it('refuses to confirm without a return_url an intent that may use a redirecting payment method, like Stripe', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 4000, currency: 'usd', payment_method: 'pm_card_visa' }, { idempotencyKey: 'k3r' });
    await expect(stripe.paymentIntents.confirm(intent.id, {}, { idempotencyKey: 'k3r-confirm' })).rejects.toMatchObject({ param: 'return_url' });
    expect(fakes.stripe.ledger().filter((e) => e.paymentIntent === intent.id)).toEqual([]);
  });

  it('hangs until the client times out; the intent can then be cancelled', async () => {
    const intent = await create('pm_card_hang', 'k4');
    await expect(stripe.paymentIntents.confirm(intent.id, {}, { idempotencyKey: 'k4-confirm' })).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect((await stripe.paymentIntents.cancel(intent.id)).status).toBe('canceled');
  });

  it('refunds a charge once and refuses a second full refund', async () => {
    const intent = await create('pm_card_visa', 'k5');
    await stripe.paymentIntents.confirm(intent.id, {}, { idempotencyKey: 'k5-confirm' });
    const refund = await stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: 'k5-refund' });
    expect(await stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: 'k5-refund' })).toEqual(refund);
    await expect(stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: 'k5-other' })).rejects.toThrow(/already been refunded/);
    expect(fakes.stripe.ledger().filter((e) => e.paymentIntent === intent.id).map((e) => e.kind)).toEqual(['charge', 'refund']);
  });

  it('refunds part of a charge, lists the refunds made, refuses more than is left, and a full refund takes the rest', async () => {
    const intent = await create('pm_card_visa', 'k5p');
    await stripe.paymentIntents.confirm(intent.id, {}, { idempotencyKey: 'k5p-confirm' });
    const part = await stripe.refunds.create({ payment_intent: intent.id, amount: 1500, metadata: { refund_key: 'a' } }, { idempotencyKey: 'k5p-a' });
    await expect(stripe.refunds.create({ payment_intent: intent.id, amount: 2501 }, { idempotencyKey: 'k5p-b' })).rejects.toMatchObject({ param: 'amount' });
    const listed = await stripe.refunds.list({ payment_intent: intent.id }).autoPagingToArray({ limit: 100 });
    expect(listed.map((refund) => [refund.id, refund.amount, refund.metadata?.refund_key])).toEqual([[part.id, 1500, 'a']]);
    expect((await stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: 'k5p-rest' })).amount).toBe(2500);
    expect(fakes.stripe.ledger().filter((e) => e.paymentIntent === intent.id).map((e) => [e.kind, e.amount])).toEqual([['charge', 4000], ['refund', 1500], ['refund', 2500]]);
  });

  it('makes the first refund of pm_card_refundLost but answers it 500, under its key again too', async () => {
    const intent = await create('pm_card_refundLost', 'k5l');
    await stripe.paymentIntents.confirm(intent.id, {}, { idempotencyKey: 'k5l-confirm' });
    const refund = () => stripe.refunds.create({ payment_intent: intent.id, amount: 1000 }, { idempotencyKey: 'k5l-refund' });
    await expect(refund()).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    await expect(refund()).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(fakes.stripe.ledger().filter((e) => e.paymentIntent === intent.id).map((e) => [e.kind, e.amount])).toEqual([['charge', 4000], ['refund', 1000]]);
  });

  it('leaves a bank-debit-like payment processing, not cancellable, until it succeeds by itself', async () => {
    const intent = await create('pm_card_processing', 'k6');
    expect((await stripe.paymentIntents.confirm(intent.id, {}, { idempotencyKey: 'k6-confirm' })).status).toBe('processing');
    await expect(stripe.paymentIntents.cancel(intent.id)).rejects.toMatchObject({ code: 'payment_intent_unexpected_state' });
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
    expect(fakes.stripe.ledger().filter((e) => e.paymentIntent === intent.id).map((e) => e.kind)).toEqual(['charge']);
  });

  it('asks for 3-D Secure with pm_card_authenticationRequired, and charges nothing', async () => {
    const intent = await create('pm_card_authenticationRequired', 'k7');
    expect((await stripe.paymentIntents.confirm(intent.id, {}, { idempotencyKey: 'k7-confirm' })).status).toBe('requires_action');
    expect((await stripe.paymentIntents.cancel(intent.id)).status).toBe('canceled');
    expect(fakes.stripe.ledger().filter((e) => e.paymentIntent === intent.id)).toEqual([]);
  });

  it('refuses an unknown payment method when the PaymentIntent is created', async () => {
    await expect(create('pm_nonexistent', 'k8')).rejects.toMatchObject({ type: 'StripeInvalidRequestError', code: 'resource_missing' });
  });

  it('refuses a request without a secret key', async () => {
    const response = await fetch(`${fakes.stripe.url}/v1/payment_intents`, { method: 'POST' });
    expect(response.status).toBe(401);
  });
});

describe('SMTP sink', () => {
  const transport = () => createTransport({ host: '127.0.0.1', port: fakes.smtp.port, secure: false });

  it('keeps what nodemailer sends, with its Message-ID', async () => {
    await transport().sendMail({ from: 'a@b.test', to: 'c@d.test', subject: 'hello', text: 'body', messageId: '<m1@test>' });
    expect(fakes.smtp.messages().at(-1)).toMatchObject({ messageId: '<m1@test>', to: ['c@d.test'], subject: 'hello', text: 'body\n' });
  });

  it('survives a client that dies in the middle of a message, and takes the next one', async () => {
    const socket = net.connect({ port: fakes.smtp.port, host: '127.0.0.1' });
    let replies = '';
    socket.on('data', (chunk: Buffer) => (replies += chunk.toString()));
    const until = async (code: string) => {
      while (!replies.includes(code)) await once(socket, 'data');
    };
    await until('220');
    socket.write('EHLO killed.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\n');
    await until('354');
    socket.write('Subject: cut off\r\n\r\nhalf a');
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the sink read the half message before the reset
    socket.resetAndDestroy();
    await transport().sendMail({ from: 'a@b.test', to: 'c@d.test', subject: 'after', text: 'body', messageId: '<m2@test>' });
    expect(fakes.smtp.messages().at(-1)).toMatchObject({ messageId: '<m2@test>' });
    expect(fakes.smtp.messages().some((mail) => mail.subject === 'cut off')).toBe(false);
  });

  it('refuses mail to the bouncing domain for good (550)', async () => {
    await expect(transport().sendMail({ from: 'a@b.test', to: `nobody@${BOUNCING_DOMAIN}`, subject: 'x', text: 'y' })).rejects.toMatchObject({ responseCode: 550, code: 'EENVELOPE' });
    expect(fakes.smtp.refused()).toContain(`nobody@${BOUNCING_DOMAIN}`);
  });

  it('refuses mail with a temporary failure while switched off', async () => {
    fakes.smtp.setAccepting(false);
    await expect(transport().sendMail({ from: 'a@b.test', to: 'c@d.test', subject: 'x', text: 'y' })).rejects.toThrow(/451/);
    fakes.smtp.setAccepting(true);
  });

  it('fails to start on a port already taken, rather than wait for ever', async () => {
    await expect(startSmtpSink({ port: fakes.smtp.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
