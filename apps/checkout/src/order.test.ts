import { describe, expect, it } from 'vitest';
import type { PlaceOrder } from '@tickets/contracts';
import { confirmationEmail, formatMoney, orderTotalCents, ticketCode } from './order.js';

const order: PlaceOrder = {
  orderId: '33333333-3333-4333-8333-333333333333',
  userId: 'alice',
  email: 'alice@example.org',
  paymentMethod: 'pm_card_visa',
  currency: 'USD',
  lines: [
    { ticketId: 'A1', holdId: '11111111-1111-4111-8111-111111111111', priceCents: 4000 },
    { ticketId: 'A2', holdId: '22222222-2222-4222-8222-222222222222', priceCents: 2550 },
  ],
};

describe('order rules', () => {
  it('totals the lines in cents', () => {
    expect(orderTotalCents(order.lines)).toBe(6550);
    expect(formatMoney(6550, 'USD')).toBe('$65.50');
  });

  it('turns 128 random bits into a readable code', () => {
    expect(ticketCode('9f3c1a2b-0000-4000-8000-0123456789ab')).toBe('9F3C-1A2B-0000-4000-8000-0123-4567-89AB');
  });

  it('writes a confirmation with every ticket code and a Message-ID stable per order', () => {
    const tickets = [{ ticketId: 'A1', code: 'C-1' }, { ticketId: 'A2', code: 'C-2' }];
    const email = confirmationEmail(order, tickets, 'tickets.test');
    expect(email.to).toBe('alice@example.org');
    expect(email.messageId).toBe(`<order-${order.orderId}.confirmation@tickets.test>`);
    expect(email.text).toContain('A1: C-1');
    expect(email.text).toContain('A2: C-2');
    expect(email.text).toContain('$65.50');
    expect(confirmationEmail(order, tickets, 'tickets.test')).toEqual(email);
  });
});
