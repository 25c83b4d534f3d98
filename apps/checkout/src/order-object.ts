import * as restate from '@restatedev/restate-sdk';
import { Order, Ticket, TicketDb, type OrderRecord } from '@tickets/contracts';
import { mailLater } from './email/send-email.js';
import { cancellationEmail } from './order.js';
import type { PaymentGateway } from './payment/payment-gateway.js';
import { whileUserWaits } from './payment/while-user-waits.js';

const ORDER = 'order';

async function loadOrder(ctx: restate.ObjectSharedContext): Promise<OrderRecord> {
  const order = await ctx.get<OrderRecord>(ORDER);
  if (!order) throw new restate.TerminalError(`no order ${ctx.key}`, { errorCode: 404 });
  return order;
}

export interface OrderDeps {
  payments: PaymentGateway;
  mailDomain: string;
  /** How long a cancellation keeps retrying the refund while the user waits, before saying to try again later. */
  paymentMaxRetryMillis: number;
}

export function createOrderObject({ payments, mailDomain, paymentMaxRetryMillis }: OrderDeps) {
  const userWaits = whileUserWaits(paymentMaxRetryMillis);

  /** The refund of a cancellation, before anything else changes: if the provider does not answer, the order stands. */
  async function refund(ctx: restate.ObjectContext, orderId: string, paymentId: string): Promise<void> {
    try {
      await ctx.run('refund', () => payments.refund({ paymentId, idempotencyKey: `${orderId}:cancel`, reason: 'cancelled' }), userWaits);
    } catch (error) {
      if (!(error instanceof restate.TerminalError)) throw error;
      throw new restate.TerminalError('The payment provider could not refund the order just now; it still stands. Try again later.', { errorCode: 503 });
    }
  }

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
        if (order.paymentId) await refund(ctx, order.orderId, order.paymentId);
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
