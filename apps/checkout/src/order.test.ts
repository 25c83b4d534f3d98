import type { OrderRecord, PlaceOrder } from '@tickets/contracts';
import { describe, expect, it } from 'vitest';
import {
  cancellationEmail,
  cancellationRefusal,
  checkIn,
  confirmationEmail,
  eventPart,
  formatMoney,
  holdsEndingMessage,
  longestPaymentMillis,
  messageId,
  newTicketCode,
  orderTotalCents,
  eventRefundKey,
  partRefundEmail,
  paymentFailedEmail,
  refundedEmail,
  recordedCheckout,
  recordOver,
  restRefundKey,
  standingCents,
  standingTickets,
  ticketCode,
  voidTicket,
} from './order.js';

const orderId = '33333333-3333-4333-8333-333333333333';
const placed: PlaceOrder = {
  orderId,
  userId: 'alice',
  email: 'alice@example.org',
  paymentMethod: 'pm_card_visa',
  currency: 'USD',
  lines: [
    { ticketId: 'ev-A1', holdId: '11111111-1111-4111-8111-111111111111', priceCents: 4000 },
    { ticketId: 'ev-A2', holdId: '22222222-2222-4222-8222-222222222222', priceCents: 2550 },
  ],
};
const record: OrderRecord = {
  orderId,
  userId: 'alice',
  email: 'alice@example.org',
  status: 'confirmed',
  currency: 'USD',
  totalCents: 6550,
  lines: [{ ticketId: 'ev-A1', priceCents: 4000 }, { ticketId: 'ev-A2', priceCents: 2550 }],
  tickets: [{ ticketId: 'ev-A1', code: 'C-1' }, { ticketId: 'ev-A2', code: 'C-2' }],
  paymentId: 'pi_1',
  createdAt: '2027-01-01T00:00:00.000Z',
};

describe('order rules', () => {
  it('totals the lines in cents', () => {
    expect(orderTotalCents(placed.lines)).toBe(6550);
    expect(formatMoney(6550, 'USD')).toBe('$65.50');
  });

  it('turns 128 random bits into a readable code', () => {
    expect(ticketCode('9f3c1a2b0000400080000123456789ab')).toBe('9F3C-1A2B-0000-4000-8000-0123-4567-89AB');
  });

  it('makes door codes from fresh random bits, never the same twice', () => {
    const codes = new Set(Array.from({ length: 1_000 }, newTicketCode));
    expect(codes.size).toBe(1_000);
    for (const code of codes) expect(code).toMatch(/^([0-9A-F]{4}-){7}[0-9A-F]{4}$/);
  });
});

describe('emails', () => {
  it('confirms with every ticket code, to the address given at checkout', () => {
    const email = confirmationEmail(record, 'tickets.test');
    expect(email).toMatchObject({ to: 'alice@example.org', messageId: `<order-${orderId}.confirmation@tickets.test>` });
    expect(email?.text).toContain('ev-A1: C-1');
    expect(email?.text).toContain('ev-A2: C-2');
    expect(email?.text).toContain('$65.50');
  });

  it('has one stable Message-ID per order and kind', () => {
    const ids = [
      confirmationEmail(record, 'd'),
      paymentFailedEmail(placed, 'card_declined', 'd'),
      refundedEmail(record, 'd'),
      cancellationEmail(record, 'd'),
    ].map((email) => email?.messageId);
    expect(new Set(ids).size).toBe(4);
    expect(confirmationEmail(record, 'd')?.messageId).toBe(messageId(orderId, 'confirmation', 'd'));
  });

  it('sends nothing without an address', () => {
    expect(confirmationEmail({ ...record, email: undefined }, 'd')).toBeUndefined();
    expect(paymentFailedEmail({ ...placed, email: undefined }, 'x', 'd')).toBeUndefined();
  });

  it('says so when an order was free: nothing paid, nothing to refund', () => {
    const free: OrderRecord = { ...record, totalCents: 0, lines: record.lines.map((line) => ({ ...line, priceCents: 0 })), paymentId: undefined };
    expect(confirmationEmail(free, 'd')?.text).toContain('Free of charge.');
    expect(refundedEmail(free, 'd')?.text).toContain('Nothing was charged.');
    expect(cancellationEmail(free, 'd')?.text).not.toContain('refunded');
    expect(refundedEmail(record, 'd')?.text).toContain('$65.50 is refunded in full');
  });

  it("tells the buyer why, when an event admin cancelled the order, and nothing of the kind when they did", () => {
    const cancelled: OrderRecord = { ...record, status: 'cancelled', operatorReason: 'The match is called off.' };
    expect(cancellationEmail(cancelled, 'd')?.text).toContain('The organiser cancelled it: The match is called off.');
    expect(cancellationEmail({ ...cancelled, operatorReason: undefined }, 'd')?.text).not.toContain('organiser');
  });

  it('does not say "nothing was charged" of a payment that may still go through', () => {
    expect(paymentFailedEmail(placed, 'processing', 'd', true)?.text).toContain('refunded in full');
    expect(paymentFailedEmail(placed, 'processing', 'd', true)?.text).not.toContain('Nothing was charged');
  });

  it('says why a payment failed and that the seats stay held', () => {
    expect(paymentFailedEmail(placed, 'insufficient_funds', 'd')?.text).toMatch(/insufficient_funds[\s\S]*ev-A1, ev-A2/);
  });
});

describe('checkIn', () => {
  const ticket = { orderId, ticketId: 'ev-A1', voided: false };

  it('admits once and then tells when the first scan was', () => {
    const first = checkIn(ticket, '2027-01-01T19:00:00.000Z');
    expect(first.result).toEqual({ admitted: true, ticketId: 'ev-A1', orderId, checkedInAt: '2027-01-01T19:00:00.000Z' });
    const second = checkIn(first.ticket, '2027-01-01T19:05:00.000Z');
    expect(second.result).toEqual({ admitted: false, reason: 'already_checked_in', ticketId: 'ev-A1', firstCheckedInAt: '2027-01-01T19:00:00.000Z' });
    expect(second.ticket).toBe(first.ticket);
  });

  it('never admits a voided ticket', () => {
    expect(checkIn({ ...ticket, voided: true }, 'now').result).toEqual({ admitted: false, reason: 'voided', ticketId: 'ev-A1' });
  });
});

describe('voidTicket', () => {
  const ticket = { orderId, ticketId: 'ev-A1', voided: false };

  it('voids a code that has not admitted anyone, once', () => {
    const voided = voidTicket(ticket);
    expect(voided).toEqual({ ticket: { ...ticket, voided: true }, result: 'voided' });
    expect(voidTicket(voided.ticket).ticket).toBe(voided.ticket);
  });

  it('leaves a used code as it is and says so', () => {
    const used = { ...ticket, checkedInAt: '2027-01-01T19:00:00.000Z' };
    expect(voidTicket(used)).toEqual({ ticket: used, result: 'used' });
  });
});

describe('refunding one event of an order', () => {
  // Two seats of `ev`, one of `cup`: the cup final is called off.
  const spanning: OrderRecord = {
    ...record,
    totalCents: 9550,
    lines: [...record.lines, { ticketId: 'cup-B7', priceCents: 3000 }],
    tickets: [...record.tickets, { ticketId: 'cup-B7', code: 'C-3' }],
  };
  const cupRefunded: OrderRecord = {
    ...spanning,
    partRefunds: [{ eventId: 'cup', ticketIds: ['cup-B7'], amountCents: 3000, refundedAt: '2027-01-02T00:00:00.000Z', reason: 'Called off.' }],
  };

  it("takes out that event's seats and what they cost; all the order stands for is the whole order", () => {
    expect(eventPart(spanning, 'cup')).toEqual({ kind: 'part', lines: [{ ticketId: 'cup-B7', priceCents: 3000 }], amountCents: 3000 });
    expect(eventPart(spanning, 'ev')).toMatchObject({ kind: 'part', amountCents: 6550 });
    expect(eventPart(record, 'ev')).toEqual({ kind: 'whole' });
    expect(eventPart(spanning, 'other')).toEqual({ kind: 'none' });
  });

  it('finds nothing more to take out once the event is refunded, and the rest is then the whole order', () => {
    expect(eventPart(cupRefunded, 'cup')).toEqual({ kind: 'nothing' });
    expect(eventPart(cupRefunded, 'ev')).toEqual({ kind: 'whole' });
    expect(standingTickets(cupRefunded).map((ticket) => ticket.code)).toEqual(['C-1', 'C-2']);
    expect(standingCents(cupRefunded)).toBe(6550);
  });

  it("mails what was refunded, which codes no longer admit and what stands, once per event", () => {
    const part = cupRefunded.partRefunds![0]!;
    const email = partRefundEmail(cupRefunded, part, 'd');
    expect(email?.messageId).toBe(`<order-${orderId}.part-refund-cup@d>`);
    expect(email?.text).toContain('$30.00 refunded');
    expect(email?.text).toContain('The organiser cancelled them: Called off.');
    expect(email?.text).toContain('These tickets no longer admit: C-3.');
    expect(email?.text).toContain('The rest of your order stands: ev-A1, ev-A2.');
  });

  it("refunds each event and the rest under keys of their own, even for an event called 'rest'", () => {
    const keys = [eventRefundKey(orderId, 'rest'), eventRefundKey(orderId, 'cup'), eventRefundKey(orderId, 'refund'), restRefundKey(orderId)];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("keeps an event's refund, or a cancellation, on the record when a cut-short checkout records the order refunded after it", () => {
    const undone: OrderRecord = { ...spanning, status: 'refunded', tickets: [] };
    expect(recordOver(cupRefunded, undone)).toEqual({ ...undone, partRefunds: cupRefunded.partRefunds });
    expect(recordOver(null, spanning)).toBe(spanning);
    expect(recordOver(spanning, undone)).toBe(undone);
    // Cancelled as a whole first (an admin's refund): that record stands, with its reason.
    const cancelled: OrderRecord = { ...spanning, status: 'cancelled', cancelledAt: '2027-01-02T00:00:00.000Z', operatorReason: 'Called off.' };
    expect(recordOver(cancelled, undone)).toBe(cancelled);
  });

  it('cancels later for what is left: that amount, and the codes that still admitted', () => {
    const text = cancellationEmail({ ...cupRefunded, status: 'cancelled' }, 'd')?.text;
    expect(text).toContain('$65.50 refunded');
    expect(text).toContain('These tickets no longer admit: C-1, C-2.');
  });
});

describe('recordedCheckout', () => {
  it('answers an order that was placed as placeOrder did, even one cancelled since', () => {
    const answer = { ok: true, orderId, tickets: record.tickets, totalCents: record.totalCents, currency: record.currency, createdAt: record.createdAt };
    expect(recordedCheckout(record)).toEqual(answer);
    expect(recordedCheckout({ ...record, status: 'cancelled', cancelledAt: '2027-01-02T00:00:00.000Z' })).toEqual(answer);
  });

  it('answers an order that was undone as a failure, its payment refunded', () => {
    expect(recordedCheckout({ ...record, status: 'refunded', tickets: [] })).toMatchObject({ ok: false, reason: 'seats_unavailable' });
  });
});

describe('cancellationRefusal', () => {
  const startsAt = '2027-06-01T20:00:00+02:00';
  const starts = Date.parse(startsAt);

  it('lets an order be cancelled until its event starts', () => {
    expect(cancellationRefusal([startsAt], starts - 1)).toBeUndefined();
    expect(cancellationRefusal([startsAt], starts)).toMatch(/event has begun/);
  });

  it('refuses once any of its events has begun', () => {
    expect(cancellationRefusal(['2030-01-01T00:00:00Z', startsAt], starts + 1)).toMatch(/event has begun/);
  });
});

describe('a payment against a hold that ends soon', () => {
  it('can take creating and confirming, each with its retries and one request more', () => {
    expect(longestPaymentMillis(30_000, 10_000)).toBe(80_000);
  });

  it('is refused with how long the hold has left, and that nothing was charged', () => {
    expect(holdsEndingMessage(12_300)).toMatch(/held for only 13 s more.*Nothing was charged/);
    expect(holdsEndingMessage(-5)).toContain('only 0 s more');
  });
});
