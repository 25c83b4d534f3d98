import { describe, expect, it } from 'vitest';
import { CheckoutRequest, TicketRef } from './index.js';

describe('TicketRef', () => {
  it('accepts the seed’s bare string and an object, both as { ticketId }', () => {
    expect(TicketRef.parse('Rolling-stones-A22')).toEqual({ ticketId: 'Rolling-stones-A22' });
    expect(TicketRef.parse({ ticketId: 'Rolling-stones-A22' })).toEqual({ ticketId: 'Rolling-stones-A22' });
  });

  it.each([[42], [''], ['a'.repeat(10_240)], ['has space'], [{ ticketId: 'A1', extra: true }], [null], [undefined]])(
    'refuses %j',
    (input) => {
      expect(TicketRef.safeParse(input).success).toBe(false);
    },
  );
});

describe('CheckoutRequest', () => {
  it('needs no body and defaults the payment method', () => {
    expect(CheckoutRequest.parse(undefined)).toEqual({ paymentMethod: 'pm_card_visa' });
    expect(CheckoutRequest.parse({ email: 'a@b.co' })).toEqual({ email: 'a@b.co', paymentMethod: 'pm_card_visa' });
  });

  it('refuses a bad email and unknown fields', () => {
    expect(CheckoutRequest.safeParse({ email: 'nope' }).success).toBe(false);
    expect(CheckoutRequest.safeParse({ coupon: 'FREE' }).success).toBe(false);
  });
});
