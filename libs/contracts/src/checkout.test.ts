import { describe, expect, it } from 'vitest';
import { recordedCheckout, type OrderRecord } from './index.js';

describe('recordedCheckout', () => {
  const order: OrderRecord = {
    orderId: '5f0c1d9e-8a4b-4c2d-9e6f-1a2b3c4d5e6f',
    userId: 'u',
    status: 'confirmed',
    currency: 'USD',
    totalCents: 4000,
    lines: [{ ticketId: 'ev-A1', priceCents: 4000 }],
    tickets: [{ ticketId: 'ev-A1', code: 'C-1' }],
    paymentId: 'pi_1',
    createdAt: '2027-01-01T00:00:00.000Z',
  };

  it('answers an order that was placed as placeOrder did, even one cancelled since', () => {
    const placed = { ok: true, orderId: order.orderId, tickets: order.tickets, totalCents: 4000, currency: 'USD', createdAt: order.createdAt };
    expect(recordedCheckout(order)).toEqual(placed);
    expect(recordedCheckout({ ...order, status: 'cancelled', cancelledAt: '2027-01-02T00:00:00.000Z' })).toEqual(placed);
  });

  it('answers an order that was undone as a failure, its payment refunded', () => {
    expect(recordedCheckout({ ...order, status: 'refunded', tickets: [] })).toMatchObject({ ok: false, reason: 'seats_unavailable' });
  });
});
