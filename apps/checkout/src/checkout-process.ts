import * as restate from '@restatedev/restate-sdk';
import { CheckoutProcess, TicketDb, type CheckoutResult, type PlaceOrder } from '@tickets/contracts';
import type { Mailer } from './email/mailer.js';
import { confirmationEmail, orderTotalCents, ticketCode } from './order.js';
import type { PaymentGateway } from './payment/payment-gateway.js';

export interface CheckoutDeps {
  payments: PaymentGateway;
  mailer: Mailer;
  /** Domain used in Message-IDs. */
  mailDomain: string;
}

export function createCheckoutProcess({ payments, mailer, mailDomain }: CheckoutDeps) {
  /** Give back seats already sold under this order and refund it: the order cannot be completed. */
  async function undoOrder(ctx: restate.Context, order: PlaceOrder, soldLines: PlaceOrder['lines'], paymentId: string, key: string) {
    await restate.RestatePromise.all(
      soldLines.map((line) => ctx.client(TicketDb, line.ticketId).cancelSale({ orderId: order.orderId })),
    );
    await ctx.run('refund', () => payments.refund({ idempotencyKey: `${key}:refund`, paymentId }));
  }

  return restate.implement(CheckoutProcess, {
    handlers: {
      placeOrder: async (ctx, order): Promise<CheckoutResult> => {
        const totalCents = orderTotalCents(order.lines);
        // From the journaled RNG: the same key on every retry of this step, so the provider charges once.
        const idempotencyKey = ctx.rand.uuidv4();
        const charge = await ctx.run('charge', () =>
          payments.charge({
            idempotencyKey,
            amountCents: totalCents,
            currency: order.currency,
            paymentMethod: order.paymentMethod,
            description: `Order ${order.orderId}`,
          }),
        );
        if (charge.status === 'declined') {
          return { ok: false, reason: 'payment_declined', message: `Payment declined (${charge.reason}); your seats stay held.` };
        }

        // Paid: the seats are sold before anyone is told so.
        const sold = await restate.RestatePromise.all(
          order.lines.map((line) =>
            ctx.client(TicketDb, line.ticketId).markAsSold({ userId: order.userId, holdId: line.holdId, orderId: order.orderId }),
          ),
        );
        if (sold.includes(false)) {
          await undoOrder(ctx, order, order.lines.filter((_, index) => sold[index]), charge.paymentId, idempotencyKey);
          return { ok: false, reason: 'seats_unavailable', message: 'Some seats could not be sold; your payment was refunded.' };
        }

        const tickets = order.lines.map((line) => ({ ticketId: line.ticketId, code: ticketCode(ctx.rand.uuidv4()) }));
        await ctx.run('send confirmation', () => mailer.send(confirmationEmail(order, tickets, mailDomain)));
        return { ok: true, orderId: order.orderId, tickets, totalCents, currency: order.currency };
      },
    },
    options: { ingressPrivate: true },
  });
}
