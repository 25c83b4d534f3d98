import { describe, expect, it } from 'vitest';
import { InMemoryPaymentGateway } from './in-memory-payment-gateway.js';

const charge = (idempotencyKey: string, paymentMethod = 'pm_card_visa') => ({
  idempotencyKey,
  amountCents: 4000,
  currency: 'USD' as const,
  paymentMethod,
  description: 'test',
});

describe('InMemoryPaymentGateway', () => {
  it('charges once per idempotency key', async () => {
    const gateway = new InMemoryPaymentGateway();
    const first = await gateway.charge(charge('k1'));
    expect(await gateway.charge(charge('k1'))).toEqual(first);
    expect(gateway.ledger).toHaveLength(1);
  });

  it('declines Stripe’s declining test cards without a ledger entry', async () => {
    const gateway = new InMemoryPaymentGateway();
    expect(await gateway.charge(charge('k1', 'pm_card_chargeDeclined'))).toEqual({ status: 'declined', reason: 'card_declined' });
    expect(gateway.ledger).toEqual([]);
  });

  it('refunds a charge once per idempotency key', async () => {
    const gateway = new InMemoryPaymentGateway();
    const paid = await gateway.charge(charge('k1'));
    if (paid.status !== 'succeeded') throw new Error('expected a charge');
    const refund = await gateway.refund({ idempotencyKey: 'r1', paymentId: paid.paymentId });
    expect(await gateway.refund({ idempotencyKey: 'r1', paymentId: paid.paymentId })).toEqual(refund);
    expect(gateway.ledger.map((entry) => entry.kind)).toEqual(['charge', 'refund']);
    await expect(gateway.refund({ idempotencyKey: 'r2', paymentId: 'pi_missing' })).rejects.toThrow(/no charge/);
  });
});
