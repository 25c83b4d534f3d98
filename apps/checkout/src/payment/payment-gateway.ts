import type { Currency } from '@tickets/contracts';

/**
 * The seam to a payment provider, shaped after Stripe's PaymentIntents: create, confirm, cancel, refund. Every call
 * carries an idempotency key, so a retried call never charges or refunds twice (a gateway may derive another key from
 * it where the provider has spent the key on a failure, as Stripe does on a 5xx). Results are plain JSON: they are
 * journaled by `ctx.run`.
 *
 * Errors: a transient failure (network, timeout, 5xx, rate limit) throws a plain Error, which `ctx.run` retries; a
 * request the provider will never accept throws a TerminalError. A payment the provider refuses to set up for this
 * buyer (an unknown payment method, say) is an answer, not an error: `{ refused }`.
 */
export interface PaymentGateway {
  createPayment(request: CreatePayment): Promise<CreateOutcome>;
  confirmPayment(request: { paymentId: string; idempotencyKey: string }): Promise<ConfirmOutcome>;
  /**
   * Give up on a payment that never completed. If it went through after all, says so instead. A payment still on its
   * way (Stripe's `processing`) can be neither: that throws a plain Error, so that the caller asks again later.
   */
  cancelPayment(request: { paymentId: string; idempotencyKey: string }): Promise<{ status: 'canceled' | 'succeeded' }>;
  /**
   * Give a succeeded payment back in full. One already refunded in full (under another key: two ways of undoing the
   * same order that crossed) is an answer, not an error: the buyer has their money.
   */
  refund(request: { paymentId: string; idempotencyKey: string; reason: string }): Promise<{ refundId: string } | { alreadyRefunded: true }>;
  /**
   * Give back `amountCents` of a succeeded payment, once per idempotency key however often it is asked (a refund
   * made under a key answers that key again; one the provider failed or cancelled does not count). More than is left
   * to refund is refused for good. A payment refunded in full already is an answer, as for `refund`: that gave this
   * part back too.
   */
  refundPart(request: { paymentId: string; idempotencyKey: string; amountCents: number; reason: string }): Promise<{ refundId: string } | { alreadyRefunded: true }>;
}

export interface CreatePayment {
  idempotencyKey: string;
  amountCents: number;
  currency: Currency;
  paymentMethod: string;
  description: string;
  metadata: Record<string, string>;
}

export type CreateOutcome = { paymentId: string } | { refused: string };

/**
 * `incomplete`: neither paid nor declined, and this checkout cannot finish it (a card that asks for 3-D Secure, a
 * debit still processing). The caller must give the payment up, which cancels it or refunds it once it completes.
 */
export type ConfirmOutcome = { status: 'succeeded' } | { status: 'declined'; reason: string } | { status: 'incomplete'; state: string };
