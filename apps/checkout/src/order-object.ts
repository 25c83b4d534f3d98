import * as restate from '@restatedev/restate-sdk';
import { Event, Order, parseSeatId, Ticket, TicketDb, type OrderRecord } from '@tickets/contracts';
import { untilDone, zip } from '@tickets/service-runtime';
import { mailLater } from './email/mail-later.js';
import { cancellationEmail, cancellationRefusal } from './order.js';
import { abandonLater } from './payment/abandon-later.js';

const ORDER = 'order';

async function loadOrder(ctx: restate.ObjectSharedContext): Promise<OrderRecord> {
  const order = await ctx.get<OrderRecord>(ORDER);
  if (!order) throw new restate.TerminalError(`no order ${ctx.key}`, { errorCode: 404 });
  return order;
}

export function createOrderObject({ mailDomain }: { mailDomain: string }) {
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
        const eventIds = new Set(order.lines.flatMap((line) => parseSeatId(line.ticketId)?.eventId ?? []));
        const events = await restate.RestatePromise.all([...eventIds].map((eventId) => ctx.client(Event, eventId).get()));
        const refusal = cancellationRefusal(events.map((event) => event.definition.startsAt), now);
        if (refusal) throw new restate.TerminalError(refusal, { errorCode: 409 });
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
        const cancelled: OrderRecord = { ...order, status: 'cancelled', cancelledAt: new Date(now).toISOString() };
        ctx.set(ORDER, cancelled);
        mailLater(ctx, cancellationEmail(cancelled, mailDomain));
        return cancelled;
      },
    },
    options: { ingressPrivate: true },
  });
}
