import type { Offer } from '@tickets/contracts';
import { describe, expect, it } from 'vitest';
import {
  addItems,
  cartTotalCents,
  EMPTY_CART,
  partitionByExpiry,
  planHold,
  recordPartRefund,
  recordPurchase,
  releasePurchase,
  rememberRelease,
  removeItem,
  resumedHold,
  forgetReleased,
  reserveCallKey,
  statusCallKey,
  gotSeat,
  needMoreTime,
  holdsEnd,
  lostSeatsMessage,
  tidyExpired,
  toOrderLines,
  viewCart,
  type CartItem,
  type WantedSeat,
} from './cart.js';

const item = (ticketId: string, holdId: string, expiresAt = 1_000, priceCents = 4000, eventId = 'ev'): CartItem => ({
  ticketId,
  eventId,
  holdId,
  priceCents,
  currency: 'USD',
  expiresAt,
});

describe('cart rules', () => {
  it('adds seats once', () => {
    const cart = addItems(EMPTY_CART, [item('A1', 'h1'), item('A2', 'h2')]);
    expect(cart).toHaveLength(2);
    expect(() => addItems(cart, [item('A1', 'h3')])).toThrow(/already in the cart/);
  });

  it('removes a seat whatever its hold', () => {
    const cart = addItems(EMPTY_CART, [item('A1', 'h1'), item('A2', 'h2')]);
    const { cart: after, removed } = removeItem(cart, 'A1');
    expect(removed?.holdId).toBe('h1');
    expect(after.map((i) => i.ticketId)).toEqual(['A2']);
    expect(removeItem(after, 'A1')).toEqual({ cart: after });
  });

  it('tidies away a hold only once it has run out and only under its own hold id (a stale call is a no-op)', () => {
    const cart = addItems(EMPTY_CART, [item('A1', 'new-hold', 1_000), item('A2', 'h2', 1_000)]);
    expect(tidyExpired(cart, [{ ticketId: 'A1', holdId: 'old-hold' }], 2_000)).toEqual({ cart, expired: [], later: [] });
    const { cart: after, expired, later } = tidyExpired(cart, [{ ticketId: 'A1', holdId: 'new-hold' }], 1_000);
    expect(expired.map((i) => i.holdId)).toEqual(['new-hold']);
    expect(later).toEqual([]);
    expect(after.map((i) => i.ticketId)).toEqual(['A2']);
  });

  it('leaves a hold that a checkout kept longer, and says it is due later', () => {
    const kept = item('A1', 'h1', 5_000);
    expect(tidyExpired([kept], [{ ticketId: 'A1', holdId: 'h1' }], 1_000)).toEqual({ cart: [kept], expired: [], later: [kept] });
  });

  it('keeps longer, for a checkout, only the holds that would run out within the grace', () => {
    const cart = [item('A1', 'h1', 1_500), item('A2', 'h2', 9_000)];
    expect(needMoreTime(cart, 1_000, 2_000).map((i) => i.ticketId)).toEqual(['A1']);
    expect(needMoreTime(cart, 1_000, 500)).toEqual([]);
  });

  it('keeps a hold longer for a checkout only once, so failing checkouts cannot keep a seat for good', () => {
    const kept: CartItem = { ...item('A1', 'h1', 1_500), keptForCheckout: true };
    expect(needMoreTime([kept, item('A2', 'h2', 1_500)], 1_000, 2_000).map((i) => i.ticketId)).toEqual(['A2']);
  });

  it('says when the first hold of a checkout ends, kept or not, for its payment not to outlast it', () => {
    const kept = (ticketId: string, expiresAt: number): CartItem => ({ ...item(ticketId, `h-${ticketId}`, expiresAt), keptForCheckout: true });
    expect(holdsEnd([])).toBeUndefined();
    expect(holdsEnd([item('A1', 'h1', 9_000), kept('A2', 5_000), kept('A3', 3_000)])).toBe(3_000);
    expect(holdsEnd([item('A1', 'h1', 2_000), kept('A2', 5_000)])).toBe(2_000);
  });

  it('gives a seat removed while its hold ran no fresh hold when its remover adds it again', () => {
    const released = rememberRelease({}, { ...item('A1', 'h1', 5_000), keptForCheckout: true }, 1_000);
    expect(released).toEqual({ A1: { expiresAt: 5_000, keptForCheckout: true } });
    expect(resumedHold(released, 'A1', 2_000, 902_000)).toEqual({ expiresAt: 5_000, keptForCheckout: true });
    // Another seat, or the same one once its hold would have ended, gets a whole hold.
    expect(resumedHold(released, 'A2', 2_000, 902_000)).toEqual({ expiresAt: 902_000 });
    expect(resumedHold(released, 'A1', 5_000, 905_000)).toEqual({ expiresAt: 905_000 });
    // A shorter hold than the one removed (a hold time shorter than the checkout grace) is not made longer, and
    // is not kept for a checkout again: that would let checkout, remove and add keep the seat indefinitely.
    expect(resumedHold(released, 'A1', 2_000, 4_000)).toEqual({ expiresAt: 4_000, keptForCheckout: true });
    expect(resumedHold({ A1: { expiresAt: 5_000 } }, 'A1', 2_000, 4_000)).toEqual({ expiresAt: 4_000 });
  });

  it('forgets a removed hold once it would have ended, or once the seat is in the cart again', () => {
    const released = rememberRelease(rememberRelease({}, item('A1', 'h1', 3_000), 1_000), item('A2', 'h2', 9_000), 2_000);
    expect(Object.keys(released)).toEqual(['A1', 'A2']);
    expect(rememberRelease(released, item('A3', 'h3', 9_000), 3_000)).toEqual({ A2: { expiresAt: 9_000 }, A3: { expiresAt: 9_000 } });
    expect(forgetReleased(released, ['A2'], 2_500)).toEqual({ A1: { expiresAt: 3_000 } });
    expect(forgetReleased(released, [], 3_000)).toEqual({ A2: { expiresAt: 9_000 } });
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

  it('shows the cart with expiry times and the server time for a countdown, without holds that ran out', () => {
    expect(viewCart([item('A1', 'h1', 9_000), item('A2', 'h2', 1_000)], 1_000, 'EUR')).toEqual({
      tickets: [{ ticketId: 'A1', eventId: 'ev', priceCents: 4000, holdExpiresAt: 9_000 }],
      totalCents: 4000,
      currency: 'USD',
      serverTime: 1_000,
    });
    expect(viewCart(EMPTY_CART, 1, 'EUR').currency).toBe('EUR');
  });

  it('names the seats a checkout found lost, and says until when the rest are held, if any are left', () => {
    const lost = [item('ev-A1', 'h1'), item('ev-A2', 'h2')];
    expect(lostSeatsMessage(lost, [])).toBe('Seats ev-A1, ev-A2 are no longer held for you and left your cart; nothing was charged.');
    expect(lostSeatsMessage(lost, [item('ev-A3', 'h3', Date.UTC(2027, 0, 1, 12)), item('ev-A4', 'h4', Date.UTC(2027, 0, 1, 13))])).toMatch(
      /nothing was charged\. The rest are held until 2027-01-01T12:00:00\.000Z: check out again soon/,
    );
  });

  it('gives cancelled seats back to the limit', () => {
    expect(releasePurchase({ ev: 3, other: 1 }, ['ev-A1', 'ev-A2', 'other-B1', 'unknown'])).toEqual({ ev: 1, other: 0 });
  });

  it("takes a refunded event's seats out of an order once, and only out of a confirmed one", () => {
    const orderId = '33333333-3333-4333-8333-333333333333';
    const order = { orderId, status: 'confirmed' as const, totalCents: 9000, currency: 'USD' as const, ticketIds: ['ev-A1', 'cup-B7'], createdAt: '2027-01-01T00:00:00.000Z' };
    const other = { ...order, orderId: '44444444-4444-4444-8444-444444444444' };
    const refund = { orderId, ticketIds: ['cup-B7'], amountCents: 3000 };
    const once = recordPartRefund([order, other], refund);
    expect(once).toEqual({ released: ['cup-B7'], orders: [{ ...order, ticketIds: ['ev-A1'], partRefundedCents: 3000 }, other] });
    expect(recordPartRefund(once!.orders, refund)).toBeUndefined();
    expect(recordPartRefund([{ ...order, status: 'cancelled' }], refund)).toBeUndefined();
  });

  it('counts bought seats per event', () => {
    expect(recordPurchase({ ev: 2 }, [item('A1', 'h', 1, 1, 'ev'), item('B1', 'h', 1, 1, 'other')])).toEqual({ ev: 3, other: 1 });
  });

  it('shares a reserve call within a second and a status check within 50 ms, and gives the seat only to the hold that the answer names', () => {
    expect(reserveCallKey(5_000)).toBe(reserveCallKey(5_999));
    expect(reserveCallKey(5_999)).not.toBe(reserveCallKey(6_000));
    expect(statusCallKey(5_000)).toBe(statusCallKey(5_049));
    expect(statusCallKey(5_049)).not.toBe(statusCallKey(5_050));
    expect(statusCallKey(5_000)).not.toBe(reserveCallKey(5_000));
    expect(gotSeat({ ok: true, holdId: 'mine' }, 'mine')).toBe(true);
    expect(gotSeat({ ok: true, holdId: 'theirs' }, 'mine')).toBe(false);
    expect(gotSeat({ ok: false, reason: 'held' }, 'mine')).toBe(false);
  });
});

describe('planHold', () => {
  const seat = (ticketId: string, eventId = 'ev'): WantedSeat => {
    const [, row = 'A', number = '1'] = /-([A-Z]+)(\d+)$/.exec(ticketId) ?? [];
    return { ticketId, address: { eventId, row, number: Number(number) } };
  };
  const onSale = (pricesCents: number[], extra: Partial<Extract<Offer, { ok: true }>> = {}): Offer => ({
    ok: true,
    currency: 'USD',
    maxSeatsPerUser: 4,
    pricesCents,
    ...extra,
  });

  it('plans a hold per seat at the event’s prices and hold time', () => {
    const plan = planHold(EMPTY_CART, {}, [seat('ev-A1'), seat('ev-B2')], new Map([['ev', onSale([5000, 2500], { holdSeconds: 60 })]]), 900_000);
    expect(plan).toEqual({
      ok: true,
      holds: [
        { ticketId: 'ev-A1', eventId: 'ev', priceCents: 5000, currency: 'USD', holdMillis: 60_000 },
        { ticketId: 'ev-B2', eventId: 'ev', priceCents: 2500, currency: 'USD', holdMillis: 60_000 },
      ],
    });
  });

  it('falls back to the configured hold time', () => {
    const plan = planHold(EMPTY_CART, {}, [seat('ev-A1')], new Map([['ev', onSale([1])]]), 1_500);
    expect(plan.ok && plan.holds[0]!.holdMillis).toBe(1_500);
  });

  it('passes the event’s refusal on with its status', () => {
    const closed: Offer = { ok: false, reason: 'not_on_sale', message: 'Sales for this event are closed.' };
    expect(planHold(EMPTY_CART, {}, [seat('ev-A1')], new Map([['ev', closed]]), 1)).toEqual({
      ok: false,
      refusal: 'not_on_sale',
      status: 409,
      message: 'Sales for this event are closed.',
    });
    expect(planHold(EMPTY_CART, {}, [seat('ev-A1')], new Map(), 1)).toMatchObject({ refusal: 'no_such_event', status: 404 });
  });

  it('enforces the per-user limit over held, bought and new seats', () => {
    const offers = new Map([['ev', onSale([1, 1])]]);
    const cart = [item('ev-A1', 'h')];
    expect(planHold(cart, { ev: 1 }, [seat('ev-A2'), seat('ev-A3')], offers, 1)).toMatchObject({ ok: true });
    expect(planHold(cart, { ev: 2 }, [seat('ev-A2'), seat('ev-A3')], offers, 1)).toMatchObject({
      refusal: 'limit_reached',
      message: 'At most 4 seats per person for ev; you would have 5.',
    });
    // Other events' seats do not count.
    expect(planHold([item('x-A1', 'h', 1, 1, 'x')], { x: 9 }, [seat('ev-A2')], new Map([['ev', onSale([1])]]), 1)).toMatchObject({ ok: true });
  });

  it('keeps a cart in one currency', () => {
    const euro = new Map([['eu', onSale([1], { currency: 'EUR' })]]);
    expect(planHold([item('ev-A1', 'h')], {}, [seat('eu-A1', 'eu')], euro, 1)).toMatchObject({ refusal: 'currency_mismatch', status: 409 });
    const mixed = new Map([['ev', onSale([1])], ['eu', onSale([1], { currency: 'EUR' })]]);
    expect(planHold(EMPTY_CART, {}, [seat('ev-A1'), seat('eu-A1', 'eu')], mixed, 1)).toMatchObject({ refusal: 'currency_mismatch' });
  });
});
