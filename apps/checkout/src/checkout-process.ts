import * as restate from '@restatedev/restate-sdk';
import { CheckoutProcess, Order, Ticket, TicketDb, type CheckoutResult, type OrderRecord, type PlaceOrder } from '@tickets/contracts';
import type { Mailer } from './email/mailer.js';
import { sendEmail } from './email/send-email.js';
import { confirmationEmail, orderTotalCents, paymentFailedEmail, refundedEmail, ticketCode } from './order.js';
import type { ConfirmOutcome, PaymentGateway } from './payment/payment-gateway.js';

export interface CheckoutDeps {
  payments: PaymentGateway;
  mailer: Mailer;
  /** Domain used in Message-IDs. */
  mailDomain: string;
  /** How long to keep retrying the provider while the user waits, before giving up on this payment. */
  paymentMaxRetryMillis: number;
}

const failure = (reason: Extract<CheckoutResult, { ok: false }>['reason'], message: string): CheckoutResult => ({ ok: false, reason, message });

export function createCheckoutProcess({ payments, mailer, mailDomain, paymentMaxRetryMillis }: CheckoutDeps) {
  /** While the user waits: retried with backoff, then given up with a TerminalError. */
  const whileUserWaits = { maxRetryDuration: paymentMaxRetryMillis, initialRetryInterval: 200, maxRetryInterval: 2_000 };

  /**
   * Charge once. The keys derive from one journaled random value, so a replay after a crash sends the same keys and
   * the provider answers with the first result. A provider that does not answer in time is given up: the payment is
   * cancelled in the background (and refunded if it went through after all).
   */
  async function pay(ctx: restate.Context, order: PlaceOrder, key: string): Promise<(ConfirmOutcome & { paymentId?: string }) | 'unavailable'> {
    try {
      const { paymentId } = await ctx.run(
        'create payment',
        () =>
          payments.createPayment({
            idempotencyKey: `${key}:create`,
            amountCents: orderTotalCents(order.lines),
            currency: order.currency,
            paymentMethod: order.paymentMethod,
            description: `Order ${order.orderId}`,
            metadata: { orderId: order.orderId, userId: order.userId },
          }),
        whileUserWaits,
      );
      try {
        const outcome = await ctx.run('confirm payment', () => payments.confirmPayment({ paymentId, idempotencyKey: `${key}:confirm` }), whileUserWaits);
        return { ...outcome, paymentId };
      } catch (error) {
        if (!(error instanceof restate.TerminalError)) throw error;
        ctx.sendClient(CheckoutProcess).abandonPayment({ orderId: order.orderId, paymentId, idempotencyKey: `${key}:cancel` });
        return 'unavailable';
      }
    } catch (error) {
      if (!(error instanceof restate.TerminalError)) throw error;
      return 'unavailable';
    }
  }

  return restate.implement(CheckoutProcess, {
    handlers: {
      placeOrder: async (ctx, order): Promise<CheckoutResult> => {
        const key = ctx.rand.uuidv4();
        const payment = await pay(ctx, order, key);
        if (payment === 'unavailable') {
          await sendEmail(ctx, mailer, 'payment failed', paymentFailedEmail(order, 'the payment provider did not answer', mailDomain));
          return failure('payment_unavailable', 'The payment provider did not answer in time; nothing was charged. Your seats stay held: try again.');
        }
        if (payment.status === 'declined' || !payment.paymentId) {
          const reason = payment.status === 'declined' ? payment.reason : 'no payment reference';
          await sendEmail(ctx, mailer, 'payment failed', paymentFailedEmail(order, reason, mailDomain));
          return failure('payment_declined', `Payment declined (${reason}); your seats stay held.`);
        }
        const paymentId = payment.paymentId;

        // Paid. From here on every step is retried until it is done: no path leaves a paid order without tickets.
        const createdAt = new Date(await ctx.date.now()).toISOString();
        const base = {
          orderId: order.orderId,
          userId: order.userId,
          email: order.email,
          currency: order.currency,
          totalCents: orderTotalCents(order.lines),
          lines: order.lines.map(({ ticketId, priceCents }) => ({ ticketId, priceCents })),
          paymentId,
          createdAt,
        };
        const sold = await restate.RestatePromise.all(
          order.lines.map((line) => ctx.client(TicketDb, line.ticketId).markAsSold({ userId: order.userId, holdId: line.holdId, orderId: order.orderId })),
        );
        if (sold.includes(false)) {
          // Only a bug or an operator could take a held seat away: give back what was sold and refund in full.
          await restate.RestatePromise.all(
            order.lines.filter((_, index) => sold[index]).map((line) => ctx.client(TicketDb, line.ticketId).cancelSale({ orderId: order.orderId })),
          );
          await ctx.run('refund', () => payments.refund({ paymentId, idempotencyKey: `${key}:refund`, reason: 'seats_unavailable' }));
          const refunded: OrderRecord = { ...base, status: 'refunded', tickets: [] };
          await ctx.client(Order, order.orderId).record(refunded);
          await sendEmail(ctx, mailer, 'refunded', refundedEmail(refunded, mailDomain));
          return failure('seats_unavailable', 'Some seats could not be sold; your payment was refunded in full.');
        }

        const tickets = order.lines.map((line) => ({ ticketId: line.ticketId, code: ticketCode(ctx.rand.uuidv4()) }));
        await restate.RestatePromise.all(tickets.map((t) => ctx.client(Ticket, t.code).issue({ orderId: order.orderId, ticketId: t.ticketId })));
        const confirmed: OrderRecord = { ...base, status: 'confirmed', tickets };
        await ctx.client(Order, order.orderId).record(confirmed);
        await sendEmail(ctx, mailer, 'confirmation', confirmationEmail(confirmed, mailDomain));
        return { ok: true, orderId: order.orderId, tickets, totalCents: confirmed.totalCents, currency: order.currency, createdAt };
      },

      abandonPayment: async (ctx, { paymentId, idempotencyKey }) => {
        // Retried for as long as it takes: this payment must end up cancelled or refunded.
        const { status } = await ctx.run('cancel payment', () => payments.cancelPayment({ paymentId, idempotencyKey }));
        if (status === 'succeeded') {
          await ctx.run('refund', () => payments.refund({ paymentId, idempotencyKey: `${idempotencyKey}:refund`, reason: 'abandoned' }));
        }
      },
    },
    options: { ingressPrivate: true },
  });
}
