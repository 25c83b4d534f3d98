import { describe, expect, it } from 'vitest';
import { AVAILABLE, cancelSale, isHandWritten, markAsSold, publicStatus, release, reserve, seatChange, type Seat } from './seat.js';

const alice = { userId: 'alice', holdId: '11111111-1111-4111-8111-111111111111' };
const bob = { userId: 'bob', holdId: '22222222-2222-4222-8222-222222222222' };
const orderId = '33333333-3333-4333-8333-333333333333';
const held: Seat = { state: 'reserved', ...alice, until: 1_000 };

describe('reserve', () => {
  it('holds an available seat', () => {
    expect(reserve(AVAILABLE, { ...alice, until: 1_000, now: 0 })).toEqual({ seat: held, result: { ok: true, holdId: alice.holdId } });
  });

  it('refuses a seat someone else holds, without touching the hold', () => {
    const { seat, result } = reserve(held, { ...bob, until: 2_000, now: 999 });
    expect(result).toEqual({ ok: false, reason: 'held' });
    expect(seat).toBe(held);
  });

  it('gives a seat whose hold has run out to the next buyer, with no release needed', () => {
    expect(reserve(held, { ...bob, until: 2_000, now: 1_000 })).toEqual({
      seat: { state: 'reserved', ...bob, until: 2_000 },
      result: { ok: true, holdId: bob.holdId },
    });
  });

  it('treats a retried reserve of the same hold as success, and lets the holder keep the seat longer, never shorter', () => {
    expect(reserve(held, { ...alice, until: 1_000, now: 0 })).toEqual({ seat: held, result: { ok: true, holdId: alice.holdId } });
    expect(reserve(held, { ...alice, until: 500, now: 0 }).seat).toBe(held);
    expect(reserve(held, { ...alice, until: 3_000, now: 900 }).seat).toEqual({ ...held, until: 3_000 });
  });

  it('refuses the same user under a different hold id', () => {
    expect(reserve(held, { userId: 'alice', holdId: bob.holdId, until: 5_000, now: 5 }).result).toEqual({ ok: false, reason: 'held' });
  });

  it('refuses a sold seat', () => {
    const sold: Seat = { state: 'sold', userId: 'alice', orderId };
    expect(reserve(sold, { ...bob, until: 1, now: 0 }).result).toEqual({ ok: false, reason: 'sold' });
  });
});

describe('release', () => {
  it('frees the seat for its holder', () => {
    expect(release(held, alice)).toEqual({ seat: AVAILABLE, result: true });
  });

  it('ignores anyone else and any older hold id', () => {
    expect(release(held, bob)).toEqual({ seat: held, result: false });
    expect(release(held, { userId: 'alice', holdId: bob.holdId })).toEqual({ seat: held, result: false });
    expect(release(AVAILABLE, alice)).toEqual({ seat: AVAILABLE, result: false });
  });
});

describe('markAsSold and cancelSale', () => {
  it('sells only the holder’s hold, once per order', () => {
    const sold = markAsSold(held, { ...alice, orderId });
    expect(sold).toEqual({ seat: { state: 'sold', userId: 'alice', orderId }, result: true });
    expect(markAsSold(sold.seat, { ...alice, orderId }).result).toBe(true);
    expect(markAsSold(sold.seat, { ...alice, orderId: '44444444-4444-4444-8444-444444444444' }).result).toBe(false);
    expect(markAsSold(held, { ...bob, orderId }).result).toBe(false);
    expect(markAsSold(AVAILABLE, { ...alice, orderId }).result).toBe(false);
  });

  it('sells a hold that ran out if nobody took the seat since, and never one somebody else holds now', () => {
    // `held` ran out at 1,000; whatever the time, the seat is still under alice's hold id until someone reserves it.
    expect(markAsSold(held, { ...alice, orderId }).result).toBe(true);
    const taken = reserve(held, { ...bob, until: 9_000, now: 2_000 }).seat;
    expect(markAsSold(taken, { ...alice, orderId }).result).toBe(false);
  });

  it('puts a seat back on sale only for its own order', () => {
    const sold: Seat = { state: 'sold', userId: 'alice', orderId };
    expect(cancelSale(sold, { orderId })).toEqual({ seat: AVAILABLE, result: true });
    expect(cancelSale(sold, { orderId: '44444444-4444-4444-8444-444444444444' }).result).toBe(false);
    expect(cancelSale(held, { orderId }).result).toBe(false);
  });
});

describe('publicStatus', () => {
  it('shows state and hold expiry but never who holds or bought the seat', () => {
    expect(publicStatus('A1', held, 999)).toEqual({ ticketId: 'A1', state: 'reserved', heldUntil: 1_000 });
    expect(publicStatus('A1', { state: 'sold', userId: 'alice', orderId }, 0)).toEqual({ ticketId: 'A1', state: 'sold' });
  });

  it('shows a hold that has run out as available', () => {
    expect(publicStatus('A1', held, 1_000)).toEqual({ ticketId: 'A1', state: 'available' });
  });
});

describe('seatChange', () => {
  it('maps each state to its availability letter, with until when a hold lasts', () => {
    expect([AVAILABLE, held, { state: 'sold', userId: 'a', orderId } as Seat].map(seatChange)).toEqual([{ state: 'a' }, { state: 'h', until: 1_000 }, { state: 's' }]);
  });
});

describe('isHandWritten', () => {
  it('tells a seat TicketDb stored (always with a version) from one written by hand, and from none at all', () => {
    expect(isHandWritten({ state: 'reserved', userId: 'u', holdId: 'h', until: 1, version: 3 })).toBe(false);
    expect(isHandWritten({ state: 'available', version: 4 })).toBe(false);
    expect(isHandWritten({ state: 'available' })).toBe(true);
    expect(isHandWritten(null)).toBe(false);
    expect(isHandWritten(undefined)).toBe(false);
  });
});
