import * as restate from '@restatedev/restate-sdk';
import {
  CheckoutProcess,
  Event,
  eventIdsOf,
  Order,
  OrderId,
  standingLines,
  Ticket,
  TicketDb,
  UserSession,
  type IssuedTicket,
  type OrderRecord,
  type PartRefund,
} from '@tickets/contracts';
import { requireBearer, untilDone, validKey, zip } from '@tickets/service-runtime';
import { mailLater } from './email/mail-later.js';
import { cancellationEmail, cancellationRefusal, eventPart, eventRefundKey, partRefundEmail, recordOver, restRefundKey, standingCents, standingTickets, ticketsOf } from './order.js';
import { abandonLater } from './payment/abandon-later.js';

const ORDER = 'order';

async function loadOrder(ctx: restate.ObjectSharedContext): Promise<OrderRecord> {
  const order = await ctx.get<OrderRecord>(ORDER);
  if (!order) throw new restate.TerminalError(`no order ${ctx.key}`, { errorCode: 404 });
  return order;
}

/**
 * Void codes, each under its own lock against a scan at the door: if one has let someone in, the codes voided here
 * admit again and the call is refused (409), `refusal` saying what stands. From here on every step is finished even
 * if an operator's cancellation cuts it short, so that the codes end either all voided, or as they were.
 */
async function voidCodes(ctx: restate.ObjectContext, tickets: readonly IssuedTicket[], refusal: string): Promise<void> {
  const voided = await untilDone(() => restate.RestatePromise.all(tickets.map((ticket) => ctx.client(Ticket, ticket.code).voidForCancel())));
  if (!voided.includes('used')) return;
  const undo = zip(tickets, voided).filter(([, result]) => result === 'voided');
  await untilDone(() => restate.RestatePromise.all(undo.map(([ticket]) => ctx.client(Ticket, ticket.code).restore())));
  throw new restate.TerminalError(refusal, { errorCode: 409 });
}

/** Put seats sold to the order back on sale; a seat sold to someone else since is left alone. */
const putBack = (ctx: restate.ObjectContext, order: OrderRecord, lines: OrderRecord['lines']) =>
  untilDone(() => restate.RestatePromise.all(lines.map((line) => ctx.client(TicketDb, line.ticketId).cancelSale({ orderId: order.orderId }))));

/**
 * Void the order's tickets, refund what it still stands for once (in the background), put its seats back on sale,
 * email the buyer and tell their UserSession. Refused (409) if a ticket has been used at the door; then the order
 * stands with every code.
 */
async function cancelConfirmed(ctx: restate.ObjectContext, order: OrderRecord, now: number, mailDomain: string, operatorReason?: string) {
  await voidCodes(ctx, standingTickets(order), 'A ticket of this order has been used at the door: the order can no longer be cancelled.');
  // The refund is an obligation from here on: made in the background and retried until it is done, so no provider
  // outage holds the user. In full (abandonPayment finds the payment succeeded and refunds it), or, once an event
  // has been refunded on its own, what is left, as an amount, so that it cannot take that event's refund too.
  if (order.paymentId && !order.partRefunds) abandonLater(ctx, order.orderId, order.paymentId, order.orderId);
  else if (standingCents(order) > 0) refundPartLater(ctx, order, standingCents(order), restRefundKey(order.orderId), operatorReason ?? 'cancelled');
  await putBack(ctx, order, standingLines(order));
  const cancelled: OrderRecord = { ...order, status: 'cancelled', cancelledAt: new Date(now).toISOString(), ...(operatorReason ? { operatorReason } : {}) };
  ctx.set(ORDER, cancelled);
  mailLater(ctx, cancellationEmail(cancelled, mailDomain));
  // The buyer's own records (per-user limit, list of orders) live in their UserSession. Told one-way whoever
  // cancelled: a buyer's cancelOrder that an operator cut short while this ran would otherwise never record it.
  ctx.sendClient(UserSession, order.userId).orderCancelled({ orderId: order.orderId });
  return cancelled;
}

/** Refund `amountCents` of the order's payment in the background, once per key; a free order has nothing to refund. */
function refundPartLater(ctx: restate.ObjectContext, order: OrderRecord, amountCents: number, idempotencyKey: string, reason: string): void {
  if (!order.paymentId) return;
  ctx.sendClient(CheckoutProcess).refundPart({ orderId: order.orderId, paymentId: order.paymentId, amountCents, idempotencyKey, reason });
}

/**
 * Take the seats of one event out of a confirmed order and refund them, as an event admin does for an event called
 * off: the rest of the order stands. Steps and refusals as in `cancelConfirmed`, for that event's seats alone.
 */
async function takeOutEvent(ctx: restate.ObjectContext, order: OrderRecord, eventId: string, reason: string, mailDomain: string): Promise<OrderRecord> {
  const part = eventPart(order, eventId);
  // Not 409: that is "a ticket was used" to refund-event, and a cancellation to `isCancellation`.
  if (part.kind === 'none') throw new restate.TerminalError(`order ${order.orderId} has no seat of event ${eventId}`, { errorCode: 404 });
  if (part.kind === 'nothing') return order;
  const now = await ctx.date.now();
  if (part.kind === 'whole') return cancelConfirmed(ctx, order, now, mailDomain, reason);

  const ticketIds = part.lines.map((line) => line.ticketId);
  await voidCodes(ctx, ticketsOf(order, ticketIds), `A ticket of event ${eventId} in this order has been used at the door: those seats can no longer be refunded.`);
  // One refund per order and event: the event's seats leave the order once, so its key stands for this amount alone.
  if (part.amountCents > 0) refundPartLater(ctx, order, part.amountCents, eventRefundKey(order.orderId, eventId), reason);
  await putBack(ctx, order, part.lines);
  const refunded: PartRefund = { eventId, ticketIds, amountCents: part.amountCents, refundedAt: new Date(now).toISOString(), reason };
  const updated: OrderRecord = { ...order, partRefunds: [...(order.partRefunds ?? []), refunded] };
  ctx.set(ORDER, updated);
  mailLater(ctx, partRefundEmail(updated, refunded, mailDomain));
  ctx.sendClient(UserSession, order.userId).orderPartRefunded({ orderId: order.orderId, ticketIds, amountCents: part.amountCents });
  return updated;
}

export function createOrderObject({ mailDomain, adminToken }: { mailDomain: string; adminToken: string | undefined }) {
  return restate.implement(Order, {
    handlers: {
      record: async (ctx, order) => {
        ctx.set(ORDER, recordOver(await ctx.get<OrderRecord>(ORDER), order));
      },
      get: (ctx) => loadOrder(ctx),
      cancel: async (ctx) => {
        const order = await loadOrder(ctx);
        // Exclusive per order, and only a confirmed order is cancelled: a second cancel refunds nothing.
        if (order.status !== 'confirmed') return order;
        const now = await ctx.date.now();
        // Only the events the order still stands for: one refunded on its own has no say any more.
        const events = await restate.RestatePromise.all(eventIdsOf(standingLines(order)).map((eventId) => ctx.client(Event, eventId).get()));
        const refusal = cancellationRefusal(events.map((event) => event.definition.startsAt), now);
        if (refusal) throw new restate.TerminalError(refusal, { errorCode: 409 });
        return cancelConfirmed(ctx, order, now, mailDomain);
      },
      refund: async (ctx, { reason, eventId }) => {
        validKey(OrderId, ctx.key);
        requireBearer(ctx, adminToken, 'ADMIN_TOKEN');
        const order = await loadOrder(ctx);
        if (order.status !== 'confirmed') return order;
        const refunded = eventId !== undefined ? await takeOutEvent(ctx, order, eventId, reason, mailDomain) : await cancelConfirmed(ctx, order, await ctx.date.now(), mailDomain, reason);
        if (refunded !== order) ctx.console.info('order refunded by an event admin', { orderId: order.orderId, reason, ...(eventId ? { eventId } : {}) });
        return refunded;
      },
    },
    options: {
      handlers: { record: { ingressPrivate: true }, get: { ingressPrivate: true }, cancel: { ingressPrivate: true } },
    },
  });
}
