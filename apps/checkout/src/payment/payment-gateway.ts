import type { Currency } from '@tickets/contracts';

/**
 * The seam to a payment provider, shaped after Stripe's PaymentIntents: create, confirm, cancel, refund. Every call
 * carries an idempotency key, so a retried call never charges or refunds twice. Results are plain JSON: they are
 * journaled by `ctx.run`.
 *
 * Errors: a transient failure (network, timeout, 5xx, rate limit) throws a plain Error, which `ctx.run` retries; a
 * request the provider will never accept throws a TerminalError.
 */
export interface PaymentGateway {
  createPayment(request: CreatePayment): Promise<{ paymentId: string }>;
  confirmPayment(request: { paymentId: string; idempotencyKey: string }): Promise<ConfirmOutcome>;
  /** Give up on a payment that never completed. If it went through after all, says so instead. */
  cancelPayment(request: { paymentId: string; idempotencyKey: string }): Promise<{ status: 'canceled' | 'succeeded' }>;
  refund(request: { paymentId: string; idempotencyKey: string; reason: string }): Promise<{ refundId: string }>;
}

export interface CreatePayment {
  idempotencyKey: string;
  amountCents: number;
  currency: Currency;
  paymentMethod: string;
  description: string;
  metadata: Record<string, string>;
}

export type ConfirmOutcome = { status: 'succeeded' } | { status: 'declined'; reason: string };
