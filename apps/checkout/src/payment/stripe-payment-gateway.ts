import { TerminalError } from '@restatedev/restate-sdk';
import Stripe from 'stripe';
import type { ConfirmOutcome, CreateOutcome, CreatePayment, PaymentGateway } from './payment-gateway.js';

export interface StripeConfig {
  apiKey: string;
  /** e.g. `https://api.stripe.com` in production, the local fake provider in development. */
  baseUrl: string;
  /** Per request; a provider that hangs fails the request, and `ctx.run` decides whether to try again. */
  timeoutMillis: number;
}

/**
 * 4xx will not succeed on a retry, except rate limiting (429) and 409: the same idempotency key still being worked on
 * at Stripe (a retry after a timeout), which answers the first result once it is done.
 */
const isPermanent = (error: unknown) =>
  error instanceof Stripe.errors.StripeError &&
  error.statusCode !== undefined &&
  error.statusCode >= 400 &&
  error.statusCode < 500 &&
  error.statusCode !== 409 &&
  error.statusCode !== 429 &&
  !(error instanceof Stripe.errors.StripeCardError);

/** Our own credentials refused: the provider is as good as unavailable until an operator fixes the key. */
const isOurFault = (error: unknown) => error instanceof Stripe.errors.StripeError && (error.statusCode === 401 || error.statusCode === 403);

/** Why the provider refused this buyer's request for good (an unknown payment method, say), if it did. */
const refusal = (error: unknown): string | undefined =>
  isPermanent(error) && !isOurFault(error) ? ((error as Stripe.errors.StripeError).code ?? (error as Error).message) : undefined;

/** The states of a PaymentIntent that did not go through and will not without the buyer. */
const DECLINED_STATES = new Set(['requires_payment_method', 'canceled']);

const isUnexpectedState = (error: unknown) => error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'payment_intent_unexpected_state';

/** What a PaymentIntent's state means for a checkout that has confirmed it. */
function confirmOutcome(intent: Stripe.PaymentIntent): ConfirmOutcome {
  if (intent.status === 'succeeded') return { status: 'succeeded' };
  if (DECLINED_STATES.has(intent.status)) return { status: 'declined', reason: intent.last_payment_error?.decline_code ?? intent.status };
  return { status: 'incomplete', state: intent.status };
}

function rethrow(error: unknown): never {
  if (isPermanent(error)) throw new TerminalError(`payment provider refused the request: ${(error as Error).message}`, { errorCode: 502 });
  throw error;
}

/**
 * For what the shop owes a buyer (cancelling a payment, refunding it), our own credentials refused is no answer: the
 * request will go through once an operator has fixed the key, so it is retried until then, not given up.
 */
function rethrowOwed(error: unknown): never {
  if (isOurFault(error)) throw new Error(`payment provider refused our API key; retrying until an operator fixes it: ${(error as Error).message}`, { cause: error });
  return rethrow(error);
}

const isAlreadyRefunded = (error: unknown) => error instanceof Stripe.errors.StripeError && error.code === 'charge_already_refunded';

const isServerError = (error: unknown) => error instanceof Stripe.errors.StripeError && (error.statusCode ?? 0) >= 500;

/**
 * Stripe keeps the answer to an idempotency key once the request has begun, a 500 included, so asking again under a
 * key that got a 5xx gets the same 5xx until the key expires a day later. So after a 5xx the next attempt goes under
 * a key derived from it (`…:retry-1`, …). That is safe because every request here is safe to repeat by the state of
 * what it acts on: a PaymentIntent is charged at most once (confirming it again is refused as
 * `payment_intent_unexpected_state`, and the intent is then read), refunding a payment refunded in full is refused
 * as `charge_already_refunded`, cancelling a cancelled one changes nothing, and a second PaymentIntent created for
 * the same order is never confirmed. A partial refund has no such state to stop a second one, so it looks for itself
 * first (`refundPart`). Kept per process: after a restart the first retry replays the 5xx once more.
 */
class RetryKeys {
  private readonly retries = new Map<string, number>();

  async send<T>(key: string, request: (key: string) => Promise<T>): Promise<T> {
    const retry = this.retries.get(key) ?? 0;
    try {
      const result = await request(retry === 0 ? key : `${key}:retry-${retry}`);
      this.forget(key);
      return result;
    } catch (error) {
      if (isServerError(error)) this.retries.set(key, retry + 1);
      else this.forget(key);
      throw error;
    }
  }

  /** Done with `key` some other way (the request found already made): its next use starts from it again. */
  forget(key: string): void {
    this.retries.delete(key);
  }
}

/** Payments through the official Stripe client. Retries are Restate's (journaled, with backoff), not the client's. */
export class StripePaymentGateway implements PaymentGateway {
  private readonly stripe: Stripe;
  private readonly keys = new RetryKeys();

  constructor(config: StripeConfig) {
    const url = new URL(config.baseUrl);
    this.stripe = new Stripe(config.apiKey, {
      protocol: url.protocol.replace(':', '') as 'http' | 'https',
      host: url.hostname,
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      timeout: config.timeoutMillis,
      maxNetworkRetries: 0,
      telemetry: false,
    });
  }

  async createPayment(request: CreatePayment): Promise<CreateOutcome> {
    try {
      const intent = await this.keys.send(request.idempotencyKey, (idempotencyKey) =>
        this.stripe.paymentIntents.create(
          {
            amount: request.amountCents,
            currency: request.currency.toLowerCase(),
            payment_method: request.paymentMethod,
            // The checkout confirms on the server and has no page to send a buyer back to: only methods that never
            // redirect, or Stripe refuses every confirm without a `return_url`.
            automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            description: request.description,
            metadata: request.metadata,
          },
          { idempotencyKey },
        ),
      );
      return { paymentId: intent.id };
    } catch (error) {
      const refused = refusal(error);
      return refused ? { refused } : rethrow(error);
    }
  }

  async confirmPayment({ paymentId, idempotencyKey }: { paymentId: string; idempotencyKey: string }): Promise<ConfirmOutcome> {
    try {
      return confirmOutcome(await this.keys.send(idempotencyKey, (key) => this.stripe.paymentIntents.confirm(paymentId, {}, { idempotencyKey: key })));
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) return { status: 'declined', reason: error.decline_code ?? error.code ?? 'card_declined' };
      // Confirmed already (by an attempt whose answer was a 5xx or was lost): the intent says how that went.
      if (isUnexpectedState(error)) return confirmOutcome(await this.stripe.paymentIntents.retrieve(paymentId));
      const refused = refusal(error);
      return refused ? { status: 'declined', reason: refused } : rethrow(error);
    }
  }

  async cancelPayment({ paymentId, idempotencyKey }: { paymentId: string; idempotencyKey: string }) {
    try {
      await this.keys.send(idempotencyKey, (key) => this.stripe.paymentIntents.cancel(paymentId, {}, { idempotencyKey: key }));
      return { status: 'canceled' as const };
    } catch (error) {
      // It can no longer be canceled if it went through: find out rather than guess.
      if (isUnexpectedState(error)) {
        const intent = await this.stripe.paymentIntents.retrieve(paymentId);
        if (intent.status === 'succeeded') return { status: 'succeeded' as const };
        // Still processing: it will succeed or fail by itself. Not an answer yet, so let Restate ask again later.
        if (intent.status === 'processing') {
          throw new Error(`payment ${paymentId} is processing; it can be cancelled or refunded once it has settled`, { cause: error });
        }
        // Canceled, or failed after processing: nothing was taken, and nothing ever will be.
        return { status: 'canceled' as const };
      }
      return rethrowOwed(error);
    }
  }

  async refund({ paymentId, idempotencyKey, reason }: { paymentId: string; idempotencyKey: string; reason: string }) {
    try {
      const refund = await this.keys.send(idempotencyKey, (key) =>
        this.stripe.refunds.create({ payment_intent: paymentId, metadata: { reason } }, { idempotencyKey: key }),
      );
      return { refundId: refund.id };
    } catch (error) {
      if (isAlreadyRefunded(error)) return { alreadyRefunded: true as const };
      return rethrowOwed(error);
    }
  }

  async refundPart({ paymentId, idempotencyKey, amountCents, reason }: { paymentId: string; idempotencyKey: string; amountCents: number; reason: string }) {
    try {
      // An attempt answered with a 5xx may have made the refund, and the next one goes under another key: so every
      // attempt first looks for a refund made under this key, which each one names in its metadata.
      const mine: Stripe.Refund[] = [];
      for await (const made of this.stripe.refunds.list({ payment_intent: paymentId, limit: 100 })) {
        if (made.metadata?.[REFUND_KEY] === idempotencyKey) mine.push(made);
      }
      // A refund the provider failed or cancelled gave nothing back, so it is not this one; and the key it was made
      // under would answer with it again, so the next is asked under a key that counts them.
      const gaveNothing = mine.filter((made) => made.status === 'failed' || made.status === 'canceled').length;
      const requestKey = gaveNothing === 0 ? idempotencyKey : `${idempotencyKey}:again-${gaveNothing}`;
      const found = mine.find((made) => made.status !== 'failed' && made.status !== 'canceled');
      if (found) {
        // A key stands for one amount; another under it is a bug to look at, not a refund to count as this one.
        if (found.amount !== amountCents) throw new TerminalError(`refund ${found.id} under key ${idempotencyKey} is of ${found.amount}, not ${amountCents}`, { errorCode: 500 });
        this.keys.forget(requestKey);
        return { refundId: found.id };
      }
      const refund = await this.keys.send(requestKey, (key) =>
        this.stripe.refunds.create({ payment_intent: paymentId, amount: amountCents, metadata: { reason, [REFUND_KEY]: idempotencyKey } }, { idempotencyKey: key }),
      );
      return { refundId: refund.id };
    } catch (error) {
      // Refunded in full already (an undo of the whole order crossed this one): that gave this part back too.
      if (isAlreadyRefunded(error)) return { alreadyRefunded: true as const };
      return rethrowOwed(error);
    }
  }
}

/** The metadata field in which a partial refund keeps the idempotency key it was asked for under. */
const REFUND_KEY = 'refund_key';
