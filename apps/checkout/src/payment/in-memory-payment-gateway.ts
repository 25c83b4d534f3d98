import { randomUUID } from 'node:crypto';
import type { ChargeOutcome, ChargeRequest, PaymentGateway, RefundRequest } from './payment-gateway.js';

/** Stripe's test payment methods that are declined, with the reason Stripe gives. */
const DECLINING_METHODS: Record<string, string> = {
  pm_card_chargeDeclined: 'card_declined',
  pm_card_chargeDeclinedInsufficientFunds: 'insufficient_funds',
  pm_card_chargeDeclinedExpiredCard: 'expired_card',
};

export interface LedgerEntry {
  kind: 'charge' | 'refund';
  idempotencyKey: string;
  amountCents: number;
  paymentId: string;
}

/**
 * A payment provider inside the process, for local runs until the real client is wired in. It honours idempotency
 * keys like Stripe does; its ledger lives and dies with the process.
 */
export class InMemoryPaymentGateway implements PaymentGateway {
  readonly ledger: LedgerEntry[] = [];
  private readonly charges = new Map<string, ChargeOutcome>();
  private readonly refunds = new Map<string, { refundId: string }>();

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const previous = this.charges.get(request.idempotencyKey);
    if (previous) return previous;
    const declined = DECLINING_METHODS[request.paymentMethod];
    const outcome: ChargeOutcome = declined
      ? { status: 'declined', reason: declined }
      : { status: 'succeeded', paymentId: `pi_${randomUUID().replaceAll('-', '')}` };
    this.charges.set(request.idempotencyKey, outcome);
    if (outcome.status === 'succeeded') {
      this.ledger.push({ kind: 'charge', idempotencyKey: request.idempotencyKey, amountCents: request.amountCents, paymentId: outcome.paymentId });
    }
    return outcome;
  }

  async refund(request: RefundRequest): Promise<{ refundId: string }> {
    const previous = this.refunds.get(request.idempotencyKey);
    if (previous) return previous;
    const charge = this.ledger.find((entry) => entry.kind === 'charge' && entry.paymentId === request.paymentId);
    if (!charge) throw new Error(`no charge ${request.paymentId} to refund`);
    const refund = { refundId: `re_${randomUUID().replaceAll('-', '')}` };
    this.refunds.set(request.idempotencyKey, refund);
    this.ledger.push({ kind: 'refund', idempotencyKey: request.idempotencyKey, amountCents: charge.amountCents, paymentId: request.paymentId });
    return refund;
  }
}
