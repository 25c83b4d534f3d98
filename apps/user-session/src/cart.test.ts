import { describe, expect, it } from 'vitest';
import { addItem, cartTotalCents, EMPTY_CART, expireHold, partitionByExpiry, removeItem, toOrderLines, viewCart, type CartItem } from './cart.js';

const item = (ticketId: string, holdId: string, expiresAt = 1_000, priceCents = 4000): CartItem => ({
  ticketId,
  holdId,
  priceCents,
  expiresAt,
  expiryTimerId: `inv_${ticketId}`,
});

describe('cart rules', () => {
  it('adds a seat once', () => {
    const cart = addItem(EMPTY_CART, item('A1', 'h1'));
    expect(cart).toHaveLength(1);
    expect(() => addItem(cart, item('A1', 'h2'))).toThrow(/already in the cart/);
  });

  it('removes a seat whatever its hold', () => {
    const cart = addItem(addItem(EMPTY_CART, item('A1', 'h1')), item('A2', 'h2'));
    const { cart: after, removed } = removeItem(cart, 'A1');
    expect(removed?.holdId).toBe('h1');
    expect(after.map((i) => i.ticketId)).toEqual(['A2']);
    expect(removeItem(after, 'A1')).toEqual({ cart: after });
  });

  it('expires a hold only when the hold id still matches (a stale timer is a no-op)', () => {
    const cart = addItem(EMPTY_CART, item('A1', 'new-hold'));
    expect(expireHold(cart, 'A1', 'old-hold')).toEqual({ cart });
    const { cart: after, expired } = expireHold(cart, 'A1', 'new-hold');
    expect(expired?.holdId).toBe('new-hold');
    expect(after).toEqual([]);
  });

  it('splits live from expired holds at a given time', () => {
    const cart = [item('A1', 'h1', 500), item('A2', 'h2', 1_500), item('A3', 'h3', 1_000)];
    const { live, expired } = partitionByExpiry(cart, 1_000);
    expect(live.map((i) => i.ticketId)).toEqual(['A2']);
    expect(expired.map((i) => i.ticketId)).toEqual(['A1', 'A3']);
  });

  it('totals in integer cents and builds order lines', () => {
    const cart = [item('A1', 'h1', 1, 4000), item('A2', 'h2', 1, 2550)];
    expect(cartTotalCents(cart)).toBe(6550);
    expect(toOrderLines(cart)).toEqual([
      { ticketId: 'A1', holdId: 'h1', priceCents: 4000 },
      { ticketId: 'A2', holdId: 'h2', priceCents: 2550 },
    ]);
  });

  it('shows the cart with expiry times and the server time for a countdown', () => {
    expect(viewCart([item('A1', 'h1', 9_000)], 1_000, 'USD')).toEqual({
      tickets: [{ ticketId: 'A1', priceCents: 4000, holdExpiresAt: 9_000 }],
      totalCents: 4000,
      currency: 'USD',
      serverTime: 1_000,
    });
  });
});
