import { parseSeatId, partRefundedCents, standingLines } from '@tickets/contracts';

/**
 * The shop's invariants (docs/architecture.md lists them, numbered its own way), checked after a run from what the engine stores, what the
 * payment provider booked, what the mail server received and what clients were told. Pure: every input is data.
 */

export interface SeatRecord {
  state: 'reserved' | 'sold';
  userId: string;
  holdId?: string;
  /** A hold ends by itself at `until`: from then on the seat is free, though its record stays until the next buyer. */
  until?: number;
  orderId?: string;
}

export interface OrderRecordLite {
  orderId: string;
  userId: string;
  email?: string;
  status: 'confirmed' | 'cancelled' | 'refunded';
  totalCents: number;
  lines: { ticketId: string }[];
  tickets: { ticketId: string; code: string }[];
  paymentId: string;
  /** Events whose seats an event admin took out of the order and refunded, the rest of it standing. */
  partRefunds?: { eventId: string; ticketIds: string[]; amountCents: number }[];
}

export interface LedgerLine {
  kind: 'charge' | 'refund';
  paymentIntent: string;
  amount: number;
  metadata: Record<string, string>;
}

export interface Acknowledged {
  orderId: string;
  userId: string;
  ticketIds: string[];
  /** The client cancelled it afterwards and was told so (true), or the cancel call's answer was lost ('unknown'). */
  cancelled: boolean | 'unknown';
}

export interface Snapshot {
  /** When the snapshot was taken. */
  takenAt: number;
  /** TicketDb state of every seat that is held or sold (a seat given back keeps an `available` record, left out here). */
  seats: Map<string, SeatRecord>;
  /** Non-empty carts: user → seats in the cart. */
  carts: Map<string, string[]>;
  orders: Map<string, OrderRecordLite>;
  /** Ticket state by code. */
  tickets: Map<string, { orderId: string; voided: boolean }>;
  ledger: LedgerLine[];
  /** Message-IDs of every mail received. */
  mailMessageIds: string[];
  acknowledged: Acknowledged[];
  /** Seat id → what the availability map shows (a/h/s), for the seats of the event. */
  availability: Map<string, string>;
  /** What each buyer's UserSession keeps of their purchases: the orders it lists, and the seats bought per event. */
  buyers: Map<string, BuyerRecord>;
}

export interface BuyerRecord {
  orders: { orderId: string; status: string }[];
  bought: Record<string, number>;
}

export interface InvariantResult {
  name: string;
  ok: boolean;
  detail: string;
}

const result = (name: string, problems: string[], okDetail: string): InvariantResult => ({
  name,
  ok: problems.length === 0,
  detail: problems.length === 0 ? okDetail : `${problems.length} problem(s): ${problems.slice(0, 5).join('; ')}`,
});

/** What the seat is at `now`: a hold whose time is up is available. */
const stateAt = (seat: SeatRecord | undefined, now: number): 'a' | 'h' | 's' =>
  !seat ? 'a' : seat.state === 'sold' ? 's' : (seat.until ?? Infinity) > now ? 'h' : 'a';

export function checkInvariants(s: Snapshot): InvariantResult[] {
  const confirmed = [...s.orders.values()].filter((o) => o.status === 'confirmed');
  const results: InvariantResult[] = [];

  // I1: a seat is sold to at most one order, and to the confirmed order that stands for it.
  {
    const problems: string[] = [];
    const owner = new Map<string, string>();
    for (const order of confirmed) {
      for (const { ticketId } of standingLines(order)) {
        const other = owner.get(ticketId);
        if (other) problems.push(`${ticketId} in confirmed orders ${other} and ${order.orderId}`);
        owner.set(ticketId, order.orderId);
        const seat = s.seats.get(ticketId);
        if (seat?.state !== 'sold' || seat.orderId !== order.orderId) problems.push(`${ticketId} of ${order.orderId} is ${seat ? `${seat.state} (${seat.orderId ?? seat.userId})` : 'available'}`);
      }
    }
    for (const [ticketId, seat] of s.seats) {
      if (seat.state === 'sold' && owner.get(ticketId) !== seat.orderId) problems.push(`${ticketId} sold to ${seat.orderId}, which is not a confirmed order holding it`);
    }
    results.push(result('I1 each seat sold at most once, to its confirmed order', problems, `${owner.size} seats sold`));
  }

  // I2: once holds have expired, no seat is held and every cart is empty (so carts and TicketDb agree).
  {
    const problems = [
      ...[...s.seats].filter(([, seat]) => stateAt(seat, s.takenAt) === 'h').map(([id, seat]) => `${id} still held by ${seat.userId}`),
      ...[...s.carts].filter(([, seats]) => seats.length > 0).map(([user, seats]) => `${user}'s cart still has ${seats.join(',')}`),
    ];
    results.push(result('I2 holds expired: no seat held, no cart left', problems, 'all holds ended'));
  }

  // I3: money — charges − refunds = what confirmed orders still stand for (their totals, less the refunds of single
  // events); no order charged twice; every other charge refunded in full.
  {
    const problems: string[] = [];
    const charged = s.ledger.filter((l) => l.kind === 'charge');
    const refunded = s.ledger.filter((l) => l.kind === 'refund');
    const net = charged.reduce((sum, l) => sum + l.amount, 0) - refunded.reduce((sum, l) => sum + l.amount, 0);
    const refundedTo = (paymentIntent: string) => refunded.filter((r) => r.paymentIntent === paymentIntent).reduce((sum, r) => sum + r.amount, 0);
    const expected = confirmed.reduce((sum, o) => sum + o.totalCents - partRefundedCents(o), 0);
    if (net !== expected) problems.push(`charges − refunds = ${net}, confirmed totals = ${expected}`);
    const chargesPerOrder = new Map<string, number>();
    for (const charge of charged) {
      const orderId = charge.metadata.orderId ?? '?';
      chargesPerOrder.set(orderId, (chargesPerOrder.get(orderId) ?? 0) + 1);
    }
    for (const [orderId, count] of chargesPerOrder) if (count > 1) problems.push(`order ${orderId} charged ${count} times`);
    const confirmedPayments = new Set(confirmed.map((o) => o.paymentId));
    // Per order too, so that two orders' opposite errors cannot cancel out in the sum.
    for (const order of confirmed) {
      const back = refundedTo(order.paymentId);
      if (back !== partRefundedCents(order)) problems.push(`confirmed order ${order.orderId} refunded ${back}, its events refunded alone came to ${partRefundedCents(order)}`);
    }
    for (const charge of charged) {
      if (confirmedPayments.has(charge.paymentIntent)) continue;
      const back = refundedTo(charge.paymentIntent);
      if (back !== charge.amount) problems.push(`${charge.paymentIntent} (order ${charge.metadata.orderId}) charged ${charge.amount}, refunded ${back}, not a confirmed order`);
    }
    results.push(result('I3 charges − refunds = confirmed totals, no double charge', problems, `${charged.length} charges, ${refunded.length} refunds, net ${net}`));
  }

  // I4: every confirmed (or later cancelled) order has its tickets and exactly one confirmation: one distinct
  // message (by Message-ID). A send cut off by a crash after the mail server accepted it is sent again with the same
  // Message-ID, which receivers deduplicate; those redeliveries are counted, not hidden.
  {
    const problems: string[] = [];
    const sent = new Map<string, number>();
    for (const id of s.mailMessageIds) sent.set(id, (sent.get(id) ?? 0) + 1);
    let redelivered = 0;
    for (const order of s.orders.values()) {
      if (order.status === 'refunded') continue;
      if (order.tickets.length !== order.lines.length) problems.push(`${order.orderId} has ${order.tickets.length} tickets for ${order.lines.length} seats`);
      const standing = new Set(standingLines(order).map((line) => line.ticketId));
      for (const ticket of order.tickets) {
        const state = s.tickets.get(ticket.code);
        // A code admits while its order stands for its seat.
        const voided = order.status === 'cancelled' || !standing.has(ticket.ticketId);
        if (!state || state.orderId !== order.orderId) problems.push(`ticket ${ticket.code} of ${order.orderId} not issued`);
        else if (state.voided !== voided) problems.push(`ticket ${ticket.code} voided=${state.voided} but order ${order.status}${voided && order.status === 'confirmed' ? ', its event refunded' : ''}`);
      }
      if (order.email) {
        const confirmations = [...sent].filter(([id]) => id.startsWith(`<order-${order.orderId}.confirmation@`));
        if (confirmations.length !== 1) problems.push(`${order.orderId}: ${confirmations.length} distinct confirmation mails`);
        redelivered += confirmations.reduce((n, [, count]) => n + count - 1, 0);
      }
    }
    results.push(
      result('I4 tickets issued and one confirmation per order', problems, `${sent.size} distinct mails; ${redelivered} confirmation(s) redelivered after a crash, same Message-ID`),
    );
  }

  // Every purchase a client was told succeeded is still there (and cancelled only if the client, or an event admin
  // on its behalf, cancelled it).
  {
    const problems: string[] = [];
    for (const ack of s.acknowledged) {
      const order = s.orders.get(ack.orderId);
      const expected = ack.cancelled === 'unknown' ? ['confirmed', 'cancelled'] : [ack.cancelled ? 'cancelled' : 'confirmed'];
      if (!order) problems.push(`acknowledged order ${ack.orderId} is missing`);
      else if (!expected.includes(order.status)) problems.push(`acknowledged order ${ack.orderId} is ${order.status}, expected ${expected.join(' or ')}`);
      else if (order.userId !== ack.userId) problems.push(`order ${ack.orderId} belongs to ${order.userId}, not ${ack.userId}`);
    }
    results.push(result('I5 every acknowledged purchase survived', problems, `${s.acknowledged.length} acknowledged`));
  }

  // I6: each buyer's own records agree with the orders, whoever cancelled them (the buyer, or an event admin's
  // refund, which tells the buyer's UserSession one-way): every order sold to them is listed with its status, and
  // what counts against the per-user limit is the seats of their confirmed orders.
  {
    const problems: string[] = [];
    const expectedBought = new Map<string, Record<string, number>>();
    for (const order of s.orders.values()) {
      // A refunded order is a checkout that did not go through: it was never the buyer's.
      if (order.status === 'refunded') continue;
      const listed = s.buyers.get(order.userId)?.orders.find((summary) => summary.orderId === order.orderId);
      if (!listed) problems.push(`${order.orderId} is missing from ${order.userId}'s orders`);
      else if (listed.status !== order.status) problems.push(`${order.orderId} is ${order.status}, but ${order.userId}'s orders say ${listed.status}`);
      if (order.status !== 'confirmed') continue;
      const counts = expectedBought.get(order.userId) ?? {};
      for (const line of standingLines(order)) {
        const eventId = parseSeatId(line.ticketId)?.eventId ?? line.ticketId;
        counts[eventId] = (counts[eventId] ?? 0) + 1;
      }
      expectedBought.set(order.userId, counts);
    }
    // And the other way: a buyer lists only orders that are theirs and went through.
    for (const [userId, buyer] of s.buyers) {
      for (const summary of buyer.orders) {
        const order = s.orders.get(summary.orderId);
        if (!order || order.userId !== userId || order.status === 'refunded') {
          problems.push(`${userId}'s orders list ${summary.orderId}, which is ${order ? `${order.status}, of ${order.userId}` : 'missing'}`);
        }
      }
    }
    for (const userId of new Set([...s.buyers.keys(), ...expectedBought.keys()])) {
      const expected = expectedBought.get(userId) ?? {};
      const counted = s.buyers.get(userId)?.bought ?? {};
      for (const eventId of new Set([...Object.keys(expected), ...Object.keys(counted)])) {
        if ((expected[eventId] ?? 0) !== (counted[eventId] ?? 0)) problems.push(`${userId} has ${expected[eventId] ?? 0} seats of ${eventId} in confirmed orders, counted ${counted[eventId] ?? 0}`);
      }
    }
    results.push(result("I6 buyers' orders and per-user counts agree with the orders", problems, `${s.buyers.size} buyers`));
  }

  // The availability projection converged on TicketDb.
  {
    const problems: string[] = [];
    for (const [ticketId, shown] of s.availability) {
      const truth = stateAt(s.seats.get(ticketId), s.takenAt);
      if (shown !== truth) problems.push(`${ticketId} shows ${shown}, TicketDb says ${truth}`);
    }
    results.push(result('availability matches TicketDb', problems, `${s.availability.size} seats compared`));
  }
  return results;
}
