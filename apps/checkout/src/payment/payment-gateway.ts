import type { Currency } from '@tickets/contracts';

export interface ChargeRequest {
  /** Same key, same charge: a retried call never charges twice. */
  idempotencyKey: string;
  amountCents: number;
  currency: Currency;
  paymentMethod: string;
  description: string;
}

export type ChargeOutcome = { status: 'succeeded'; paymentId: string } | { status: 'declined'; reason: string };

export interface RefundRequest {
  idempotencyKey: string;
  paymentId: string;
}

/** The seam to a payment provider. Outcomes are plain JSON: they are journaled by `ctx.run`. */
export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  refund(request: RefundRequest): Promise<{ refundId: string }>;
}
