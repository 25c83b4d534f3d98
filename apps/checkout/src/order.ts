import { randomBytes } from 'node:crypto';
import { checkoutFailure, parseSeatId, partRefundedCents, standingLines } from '@tickets/contracts';
import type { CheckInResult, CheckoutResult, EmailMessage, OrderLine, OrderRecord, PartRefund, PlaceOrder, VoidResult } from '@tickets/contracts';

export const orderTotalCents = (lines: readonly Pick<OrderLine, 'priceCents'>[]): number =>
  lines.reduce((sum, line) => sum + line.priceCents, 0);

/**
 * A door code: 128 bits from the operating system's CSPRNG, grouped for reading aloud at the door (`9F3C-1A2B-…`).
 * Not from `ctx.rand`: that is seeded from the invocation id, which is in logs and traces and, for a call under an
 * idempotency key, derived from the key. The caller journals the codes (`ctx.run`), so a replay issues the same ones.
 */
export const newTicketCode = (): string => ticketCode(randomBytes(16).toString('hex'));

/** 32 hex digits, upper case, in groups of four. */
export function ticketCode(hex: string): string {
  return (hex.toUpperCase().match(/.{4}/g) ?? []).join('-');
}

export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}

/** `part-refund-<eventId>`: one event's seats taken out of the order; an order may lose several events, one mail each. */
export type EmailKind = 'confirmation' | 'payment-failed' | 'refunded' | 'cancellation' | `part-refund-${string}`;

/** One Message-ID per order and kind: a send retried after a crash is recognisably the same message. */
export const messageId = (orderId: string, kind: EmailKind, domain: string) => `<order-${orderId}.${kind}@${domain}>`;

/** The one shape of every order mail: none without an address; a Message-ID per order and kind. */
function orderEmail(
  order: Pick<PlaceOrder, 'orderId' | 'email'>,
  kind: EmailKind,
  domain: string,
  subject: string,
  lines: string[],
): EmailMessage | undefined {
  if (!order.email) return undefined;
  return { messageId: messageId(order.orderId, kind, domain), to: order.email, subject, text: lines.join('\n') };
}

const seatList = (lines: readonly Pick<OrderLine, 'ticketId'>[]) => lines.map((line) => line.ticketId).join(', ');

export const confirmationEmail = (order: OrderRecord, domain: string) =>
  orderEmail(order, 'confirmation', domain, `Your tickets, order ${order.orderId}`, [
    `Thank you for your order ${order.orderId}.`,
    order.paymentId ? `Total paid: ${formatMoney(order.totalCents, order.currency)}` : 'Free of charge.',
    '',
    'Your tickets (show the code at the entrance):',
    ...order.tickets.map((ticket) => `  ${ticket.ticketId}: ${ticket.code}`),
  ]);

/** `mayStillSettle`: a payment given up while still on its way, which is refunded should it go through after all. */
export const paymentFailedEmail = (order: PlaceOrder, why: string, domain: string, mayStillSettle = false) =>
  orderEmail(order, 'payment-failed', domain, 'Your payment did not go through', [
    `We could not take the payment for your order (${why}). ${mayStillSettle ? 'Should it go through after all, it is refunded in full.' : 'Nothing was charged.'}`,
    `Your seats stay held until their hold runs out: ${seatList(order.lines)}.`,
    'You can try again with another payment method.',
  ]);

export const refundedEmail = (order: OrderRecord, domain: string) =>
  orderEmail(order, 'refunded', domain, `We could not complete order ${order.orderId}`, [
    `We could not issue the seats of your order: ${seatList(order.lines)}.`,
    order.paymentId ? `Your payment of ${formatMoney(order.totalCents, order.currency)} is refunded in full. We are sorry.` : 'Nothing was charged. We are sorry.',
  ]);

/**
 * How a checkout ended, as its order's record says: the answer when placeOrder runs again for an order it placed
 * before (`askedAgain`). An order cancelled since was placed all the same (the buyer's session is told of the
 * cancellation on its own); one recorded `refunded` was undone.
 */
export const recordedCheckout = (order: OrderRecord): CheckoutResult =>
  order.status === 'refunded'
    ? checkoutFailure('seats_unavailable', 'Your order could not be completed; anything paid is refunded in full.')
    : { ok: true, orderId: order.orderId, tickets: order.tickets, totalCents: order.totalCents, currency: order.currency, createdAt: order.createdAt };

/** The order's tickets for the seats `ticketIds`. */
export const ticketsOf = (order: OrderRecord, ticketIds: readonly string[]) => {
  const seats = new Set(ticketIds);
  return order.tickets.filter((ticket) => seats.has(ticket.ticketId));
};

/** The codes an order still stands for: not those of an event refunded on its own. */
export const standingTickets = (order: OrderRecord) => ticketsOf(order, standingLines(order).map((line) => line.ticketId));

/** What an order still stands for in money: its total, less what refunds of single events gave back. */
export const standingCents = (order: OrderRecord): number => order.totalCents - partRefundedCents(order);

/**
 * What `Order.record` keeps. A checkout records its order once, and again as refunded if an operator's cancellation
 * cut it short after that. By then the order may have been undone already: cancelled (by an event admin, say),
 * which record stands, with its reason; or one event of it refunded on its own, which refund stays on the record,
 * as money given back before the rest was.
 */
export function recordOver(stored: OrderRecord | null, incoming: OrderRecord): OrderRecord {
  if (stored?.status === 'cancelled') return stored;
  return stored?.partRefunds && !incoming.partRefunds ? { ...incoming, partRefunds: stored.partRefunds } : incoming;
}

export const cancellationEmail = (order: OrderRecord, domain: string) =>
  orderEmail(order, 'cancellation', domain, `Order ${order.orderId} is cancelled`, [
    order.paymentId && standingCents(order) > 0
      ? `Your order ${order.orderId} is cancelled and ${formatMoney(standingCents(order), order.currency)} refunded.`
      : `Your order ${order.orderId} is cancelled.`,
    ...(order.operatorReason ? [`The organiser cancelled it: ${order.operatorReason}`] : []),
    `These tickets no longer admit: ${standingTickets(order).map((ticket) => ticket.code).join(', ')}.`,
  ]);

export const partRefundEmail = (order: OrderRecord, part: PartRefund, domain: string) =>
  orderEmail(order, `part-refund-${part.eventId}`, domain, `Order ${order.orderId}: your tickets for ${part.eventId} are refunded`, [
    order.paymentId && part.amountCents > 0
      ? `Your tickets for ${part.eventId} in order ${order.orderId} are cancelled and ${formatMoney(part.amountCents, order.currency)} refunded.`
      : `Your tickets for ${part.eventId} in order ${order.orderId} are cancelled.`,
    `The organiser cancelled them: ${part.reason}`,
    `These tickets no longer admit: ${ticketsOf(order, part.ticketIds).map((ticket) => ticket.code).join(', ')}.`,
    `The rest of your order stands: ${seatList(standingLines(order))}.`,
  ]);

/**
 * The provider's idempotency keys for the refunds of part of an order: one per event taken out of it, and one for
 * what is left when it is cancelled after that. `/` cannot be in an event id, so no event's key is the rest's.
 */
export const eventRefundKey = (orderId: string, eventId: string) => `${orderId}:refund/event/${eventId}`;
export const restRefundKey = (orderId: string) => `${orderId}:refund/rest`;

/**
 * What refunding event `eventId` alone takes out of an order: the seats of it the order still stands for, and what
 * they cost. `nothing`: those seats are refunded already. `whole`: they are all the order stands for, so the order
 * is cancelled as a whole. An order with no seat of the event at all is `none`.
 */
export type EventPart = { kind: 'part'; lines: OrderRecord['lines']; amountCents: number } | { kind: 'whole' } | { kind: 'nothing' } | { kind: 'none' };

export function eventPart(order: OrderRecord, eventId: string): EventPart {
  const ofEvent = (lines: OrderRecord['lines']) => lines.filter((line) => parseSeatId(line.ticketId)?.eventId === eventId);
  const standing = standingLines(order);
  const lines = ofEvent(standing);
  if (lines.length === 0) return { kind: ofEvent(order.lines).length > 0 ? 'nothing' : 'none' };
  if (lines.length === standing.length) return { kind: 'whole' };
  return { kind: 'part', lines, amountCents: orderTotalCents(lines) };
}

/** An issued ticket as its own object keeps it. */
export interface TicketState {
  orderId: string;
  ticketId: string;
  voided: boolean;
  checkedInAt?: string;
}

/** A code admits once; a second scan is told when the first one was; a voided code never admits. */
export function checkIn(ticket: TicketState, now: string): { ticket: TicketState; result: CheckInResult } {
  if (ticket.voided) return { ticket, result: { admitted: false, reason: 'voided', ticketId: ticket.ticketId } };
  if (ticket.checkedInAt) {
    return { ticket, result: { admitted: false, reason: 'already_checked_in', ticketId: ticket.ticketId, firstCheckedInAt: ticket.checkedInAt } };
  }
  return {
    ticket: { ...ticket, checkedInAt: now },
    result: { admitted: true, ticketId: ticket.ticketId, orderId: ticket.orderId, checkedInAt: now },
  };
}

/** Void a code for a cancellation, unless it has admitted someone already: a used ticket is not undone after the fact. */
export function voidTicket(ticket: TicketState): { ticket: TicketState; result: VoidResult } {
  if (ticket.checkedInAt) return { ticket, result: 'used' };
  return { ticket: ticket.voided ? ticket : { ...ticket, voided: true }, result: 'voided' };
}

/**
 * Why a buyer can no longer cancel an order at `now`, if they cannot: an order stands once any of its events has
 * begun (`startsAt`, ISO 8601), as at a box office. A ticket used at the door is the other reason (`voidTicket`).
 */
export function cancellationRefusal(eventStarts: readonly string[], now: number): string | undefined {
  if (eventStarts.some((startsAt) => Date.parse(startsAt) <= now)) return 'The event has begun: an order can be cancelled only until its event starts.';
  return undefined;
}

/**
 * The longest a payment can take: creating and confirming it are each retried for up to `maxRetryMillis`, and an
 * attempt begun just before that runs one more `requestTimeoutMillis`.
 */
export const longestPaymentMillis = (maxRetryMillis: number, requestTimeoutMillis: number): number => 2 * (maxRetryMillis + requestTimeoutMillis);

/**
 * What a buyer is told when a hold ends too soon to pay, `leftMillis` from now: usually one an earlier checkout kept
 * already, or any hold when CHECKOUT_GRACE is set below the longest payment.
 */
export function holdsEndingMessage(leftMillis: number): string {
  const seconds = Math.max(0, Math.ceil(leftMillis / 1000));
  return `A seat in your cart is held for only ${seconds} s more, less than a payment can take: too soon to pay for it safely. Nothing was charged; remove it from your cart to buy the rest.`;
}
