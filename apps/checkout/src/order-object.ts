import * as restate from '@restatedev/restate-sdk';
import { Event, eventIdsOf, Order, OrderId, Ticket, TicketDb, UserSession, type OrderRecord } from '@tickets/contracts';
import { requireBearer, untilDone, validKey, zip } from '@tickets/service-runtime';
import { mailLater } from './email/mail-later.js';
import { cancellationEmail, cancellationRefusal } from './order.js';
import { abandonLater } from './payment/abandon-later.js';

const ORDER = 'order';

async function loadOrder(ctx: restate.ObjectSharedContext): Promise<OrderRecord> {
  const order = await ctx.get<OrderRecord>(ORDER);
  if (!order) throw new restate.TerminalError(`no order ${ctx.key}`, { errorCode: 404 });
  return order;
}

/**
 * Void the order's tickets, refund it once (in the background), put its seats back on sale, email the buyer and tell
 * their UserSession. Refused (409) if a ticket has been used at the door; then the order stands with every code.
 */
async function cancelConfirmed(ctx: restate.ObjectContext, order: OrderRecord, now: number, mailDomain: string, operatorReason?: string) {
  // The codes first, each under its own lock against a scan at the door: if one has let someone in, the order
  // stands, and the codes voided here admit again. From here on every step is finished even if an operator's
  // cancellation cuts it short, so that the order ends either standing with every code, or cancelled.
  const voided = await untilDone(() => restate.RestatePromise.all(order.tickets.map((ticket) => ctx.client(Ticket, ticket.code).voidForCancel())));
  if (voided.includes('used')) {
    const undo = zip(order.tickets, voided).filter(([, result]) => result === 'voided');
    await untilDone(() => restate.RestatePromise.all(undo.map(([ticket]) => ctx.client(Ticket, ticket.code).restore())));
    throw new restate.TerminalError('A ticket of this order has been used at the door: the order can no longer be cancelled.', { errorCode: 409 });
  }
  // The refund is an obligation from here on: made in the background and retried until it is done
  // (abandonPayment finds the payment succeeded and refunds it), so no provider outage holds the user.
  if (order.paymentId) abandonLater(ctx, order.orderId, order.paymentId, order.orderId);
  await untilDone(() => restate.RestatePromise.all(order.lines.map((line) => ctx.client(TicketDb, line.ticketId).cancelSale({ orderId: order.orderId }))));
  const cancelled: OrderRecord = { ...order, status: 'cancelled', cancelledAt: new Date(now).toISOString(), ...(operatorReason ? { operatorReason } : {}) };
  ctx.set(ORDER, cancelled);
  mailLater(ctx, cancellationEmail(cancelled, mailDomain));
  // The buyer's own records (per-user limit, list of orders) live in their UserSession. Told one-way whoever
  // cancelled: a buyer's cancelOrder that an operator cut short while this ran would otherwise never record it.
  ctx.sendClient(UserSession, order.userId).orderCancelled({ orderId: order.orderId });
  return cancelled;
}

export function createOrderObject({ mailDomain, adminToken }: { mailDomain: string; adminToken: string | undefined }) {
  return restate.implement(Order, {
    handlers: {
      record: async (ctx, order) => {
        ctx.set(ORDER, order);
      },
      get: (ctx) => loadOrder(ctx),
      cancel: async (ctx) => {
        const order = await loadOrder(ctx);
        // Exclusive per order, and only a confirmed order is cancelled: a second cancel refunds nothing.
        if (order.status !== 'confirmed') return order;
        const now = await ctx.date.now();
        const events = await restate.RestatePromise.all(eventIdsOf(order.lines).map((eventId) => ctx.client(Event, eventId).get()));
        const refusal = cancellationRefusal(events.map((event) => event.definition.startsAt), now);
        if (refusal) throw new restate.TerminalError(refusal, { errorCode: 409 });
        return cancelConfirmed(ctx, order, now, mailDomain);
      },
      refund: async (ctx, { reason }) => {
        validKey(OrderId, ctx.key);
        requireBearer(ctx, adminToken, 'ADMIN_TOKEN');
        const order = await loadOrder(ctx);
        if (order.status !== 'confirmed') return order;
        const cancelled = await cancelConfirmed(ctx, order, await ctx.date.now(), mailDomain, reason);
        ctx.console.info('order refunded by an event admin', { orderId: order.orderId, reason });
        return cancelled;
      },
    },
    options: {
      handlers: { record: { ingressPrivate: true }, get: { ingressPrivate: true }, cancel: { ingressPrivate: true } },
    },
  });
}
