import { describe, expect, it } from 'vitest';
import { checkInvariants, type OrderRecordLite, type Snapshot } from './invariants.js';

const order = (orderId: string, seats: string[], status: OrderRecordLite['status'] = 'confirmed'): OrderRecordLite => ({
  orderId,
  userId: 'u1',
  email: 'u1@test',
  status,
  totalCents: 1000 * seats.length,
  lines: seats.map((ticketId) => ({ ticketId })),
  tickets: status === 'refunded' ? [] : seats.map((ticketId) => ({ ticketId, code: `code-${ticketId}` })),
  paymentId: `pi_${orderId}`,
});

/** A consistent world: one confirmed order of two seats, paid once, mailed once, shown as sold. */
function healthy(): Snapshot {
  const o1 = order('o1', ['ev-A1', 'ev-A2']);
  return {
    takenAt: 10_000,
    seats: new Map([
      ['ev-A1', { state: 'sold', userId: 'u1', orderId: 'o1' }],
      ['ev-A2', { state: 'sold', userId: 'u1', orderId: 'o1' }],
    ]),
    carts: new Map(),
    orders: new Map([['o1', o1]]),
    tickets: new Map([
      ['code-ev-A1', { orderId: 'o1', voided: false }],
      ['code-ev-A2', { orderId: 'o1', voided: false }],
    ]),
    ledger: [{ kind: 'charge', paymentIntent: 'pi_o1', amount: 2000, metadata: { orderId: 'o1' } }],
    mailMessageIds: ['<order-o1.confirmation@x>'],
    acknowledged: [{ orderId: 'o1', userId: 'u1', ticketIds: ['ev-A1', 'ev-A2'], cancelled: false }],
    availability: new Map([
      ['ev-A1', 's'],
      ['ev-A2', 's'],
      ['ev-A3', 'a'],
    ]),
    buyers: new Map([['u1', { orders: [{ orderId: 'o1', status: 'confirmed' }], bought: { ev: 2 } }]]),
  };
}

const failing = (s: Snapshot) => checkInvariants(s).filter((r) => !r.ok).map((r) => r.name.split(' ')[0]);

describe('checkInvariants', () => {
  it('passes a consistent world', () => {
    expect(failing(healthy())).toEqual([]);
  });

  it('catches a seat sold to two orders', () => {
    const s = healthy();
    s.orders.set('o2', order('o2', ['ev-A1']));
    s.ledger.push({ kind: 'charge', paymentIntent: 'pi_o2', amount: 1000, metadata: { orderId: 'o2' } });
    s.tickets.set('code-ev-A1', { orderId: 'o1', voided: false });
    expect(failing(s)).toContain('I1');
  });

  it('catches a hold left after expiry and a cart that disagrees', () => {
    const s = healthy();
    s.seats.set('ev-A3', { state: 'reserved', userId: 'u2', holdId: 'h', until: 20_000 });
    s.carts.set('u3', ['ev-A4']);
    s.availability.set('ev-A3', 'h');
    expect(failing(s)).toEqual(['I2']);
  });

  it('counts a hold whose time is up as ended: the seat is free, and must show as free', () => {
    const s = healthy();
    s.seats.set('ev-A3', { state: 'reserved', userId: 'u2', holdId: 'h', until: 10_000 });
    expect(failing(s)).toEqual([]);
    s.availability.set('ev-A3', 'h');
    expect(failing(s)).toEqual(['availability']);
  });

  it('catches a double charge and a charge without an order', () => {
    const s = healthy();
    s.ledger.push({ kind: 'charge', paymentIntent: 'pi_o1b', amount: 2000, metadata: { orderId: 'o1' } });
    expect(failing(s)).toEqual(['I3']);
  });

  it('accepts a charge that was refunded in full', () => {
    const s = healthy();
    s.ledger.push({ kind: 'charge', paymentIntent: 'pi_x', amount: 500, metadata: { orderId: 'x' } }, { kind: 'refund', paymentIntent: 'pi_x', amount: 500, metadata: {} });
    expect(failing(s)).toEqual([]);
  });

  it('catches a missing confirmation and missing tickets; counts a redelivery with the same Message-ID', () => {
    const s = healthy();
    s.mailMessageIds = [];
    s.tickets.delete('code-ev-A2');
    expect(failing(s)).toEqual(['I4']);
    const again = healthy();
    again.mailMessageIds.push('<order-o1.confirmation@x>');
    const [, , , i4] = checkInvariants(again);
    expect(i4).toMatchObject({ ok: true, detail: expect.stringContaining('1 confirmation(s) redelivered') });
  });

  it('catches a lost acknowledged purchase', () => {
    const s = healthy();
    s.acknowledged.push({ orderId: 'o9', userId: 'u1', ticketIds: [], cancelled: false });
    expect(failing(s)).toEqual(['I5']);
  });

  it("catches a buyer's records out of step with an order cancelled elsewhere, and a per-user count that drifted", () => {
    const s = healthy();
    s.orders.set('o1', { ...s.orders.get('o1')!, status: 'cancelled' });
    s.tickets.forEach((ticket) => (ticket.voided = true));
    s.seats.clear();
    s.availability = new Map();
    s.ledger.push({ kind: 'refund', paymentIntent: 'pi_o1', amount: 2000, metadata: {} });
    s.acknowledged[0]!.cancelled = true;
    expect(checkInvariants(s).find((r) => r.name.startsWith('I6'))?.detail).toMatch(/o1 is cancelled, but u1's orders say confirmed.*u1 has 0 seats of ev in confirmed orders, counted 2/);
    expect(failing(s)).toEqual(['I6']);
    s.buyers.set('u1', { orders: [{ orderId: 'o1', status: 'cancelled' }], bought: { ev: 0 } });
    expect(failing(s)).toEqual([]);
  });

  it("catches a buyer's list that misses an order, lists one that never went through, or one that is not theirs", () => {
    const missing = healthy();
    missing.buyers.set('u1', { orders: [], bought: { ev: 2 } });
    expect(failing(missing)).toEqual(['I6']);
    const refunded = healthy();
    refunded.orders.set('o2', order('o2', [], 'refunded'));
    expect(failing(refunded)).toEqual([]);
    refunded.buyers.get('u1')!.orders.push({ orderId: 'o2', status: 'refunded' });
    expect(failing(refunded)).toEqual(['I6']);
    const foreign = healthy();
    foreign.buyers.set('u2', { orders: [{ orderId: 'o1', status: 'confirmed' }], bought: {} });
    expect(checkInvariants(foreign).find((r) => r.name.startsWith('I6'))?.detail).toContain("u2's orders list o1, which is confirmed, of u1");
  });

  it("accepts an order with one event refunded on its own, and catches that event's refund, codes or count left behind", () => {
    const partly = () => {
      const s = healthy();
      const o1 = order('o1', ['ev-A1', 'cup-B1']);
      s.orders.set('o1', { ...o1, partRefunds: [{ eventId: 'cup', ticketIds: ['cup-B1'], amountCents: 1000 }] });
      s.seats.delete('ev-A2');
      s.tickets = new Map([
        ['code-ev-A1', { orderId: 'o1', voided: false }],
        ['code-cup-B1', { orderId: 'o1', voided: true }],
      ]);
      s.ledger.push({ kind: 'refund', paymentIntent: 'pi_o1', amount: 1000, metadata: {} });
      s.acknowledged[0]!.ticketIds = ['ev-A1', 'cup-B1'];
      s.availability = new Map([['ev-A1', 's']]);
      s.buyers.set('u1', { orders: [{ orderId: 'o1', status: 'confirmed' }], bought: { ev: 1, cup: 0 } });
      return s;
    };
    expect(failing(partly())).toEqual([]);
    const unrefunded = partly();
    unrefunded.ledger.pop();
    expect(failing(unrefunded)).toEqual(['I3']);
    // o1's refund booked against another confirmed order: the sum is right, neither order is.
    const misbooked = partly();
    misbooked.orders.set('o2', order('o2', ['ev-A9']));
    misbooked.ledger = [
      { kind: 'charge', paymentIntent: 'pi_o1', amount: 2000, metadata: { orderId: 'o1' } },
      { kind: 'charge', paymentIntent: 'pi_o2', amount: 1000, metadata: { orderId: 'o2' } },
      { kind: 'refund', paymentIntent: 'pi_o2', amount: 1000, metadata: {} },
    ];
    expect(checkInvariants(misbooked).find((r) => r.name.startsWith('I3'))?.detail).toMatch(/o1 refunded 0, .* came to 1000; confirmed order o2 refunded 1000, .* came to 0/);
    const admitting = partly();
    admitting.tickets.set('code-cup-B1', { orderId: 'o1', voided: false });
    expect(failing(admitting)).toEqual(['I4']);
    const counted = partly();
    counted.buyers.set('u1', { orders: [{ orderId: 'o1', status: 'confirmed' }], bought: { ev: 1, cup: 1 } });
    expect(failing(counted)).toEqual(['I6']);
  });

  it('catches availability that never caught up', () => {
    const s = healthy();
    s.availability.set('ev-A1', 'h');
    expect(failing(s)).toEqual(['availability']);
  });
});
