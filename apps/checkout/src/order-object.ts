import * as restate from '@restatedev/restate-sdk';
import { Order, OrderId, Ticket, TicketDb, type OrderRecord } from '@tickets/contracts';
import { validKey } from '@tickets/service-runtime';
import type { Mailer } from './email/mailer.js';
import { sendEmail } from './email/send-email.js';
import { cancellationEmail } from './order.js';
import type { PaymentGateway } from './payment/payment-gateway.js';

const ORDER = 'order';

async function loadOrder(ctx: restate.ObjectSharedContext): Promise<OrderRecord> {
  const order = await ctx.get<OrderRecord>(ORDER);
  if (!order) throw new restate.TerminalError(`no order ${ctx.key}`, { errorCode: 404 });
  return order;
}

export function createOrderObject({ payments, mailer, mailDomain }: { payments: PaymentGateway; mailer: Mailer; mailDomain: string }) {
  return restate.implement(Order, {
    handlers: {
      record: async (ctx, order) => {
        ctx.set(ORDER, order);
      },
      get: async (ctx) => {
        validKey(OrderId, ctx.key);
        return loadOrder(ctx);
      },
      cancel: async (ctx) => {
        const order = await loadOrder(ctx);
        // Exclusive per order, and only a confirmed order is cancelled: a second cancel refunds nothing.
        if (order.status !== 'confirmed') return order;
        await ctx.run('refund', () => payments.refund({ paymentId: order.paymentId, idempotencyKey: `${order.orderId}:cancel`, reason: 'cancelled' }));
        await restate.RestatePromise.all(order.lines.map((line) => ctx.client(TicketDb, line.ticketId).cancelSale({ orderId: order.orderId })));
        await restate.RestatePromise.all(order.tickets.map((ticket) => ctx.client(Ticket, ticket.code).void()));
        const cancelled: OrderRecord = { ...order, status: 'cancelled', cancelledAt: new Date(await ctx.date.now()).toISOString() };
        ctx.set(ORDER, cancelled);
        await sendEmail(ctx, mailer, 'cancellation', cancellationEmail(cancelled, mailDomain));
        return cancelled;
      },
    },
    options: { handlers: { record: { ingressPrivate: true }, cancel: { ingressPrivate: true } } },
  });
}
