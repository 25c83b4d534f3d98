import * as restate from '@restatedev/restate-sdk';
import { Order, Ticket, TicketDb, type OrderRecord } from '@tickets/contracts';
import { mailLater } from './email/mail-later.js';
import { cancellationEmail } from './order.js';
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
        // The refund is an obligation from here on: sent first, made in the background and retried until it is
        // done (abandonPayment finds the payment succeeded and refunds it), so no provider outage holds the user.
        if (order.paymentId) abandonLater(ctx, order.orderId, order.paymentId, order.orderId);
        await restate.RestatePromise.all(order.lines.map((line) => ctx.client(TicketDb, line.ticketId).cancelSale({ orderId: order.orderId })));
        await restate.RestatePromise.all(order.tickets.map((ticket) => ctx.client(Ticket, ticket.code).void()));
        const cancelled: OrderRecord = { ...order, status: 'cancelled', cancelledAt: new Date(await ctx.date.now()).toISOString() };
        ctx.set(ORDER, cancelled);
        mailLater(ctx, cancellationEmail(cancelled, mailDomain));
        return cancelled;
      },
    },
    options: { ingressPrivate: true },
  });
}
