import * as restate from '@restatedev/restate-sdk';
import {
  checkoutFailure,
  CheckoutProcess,
  Order,
  Ticket,
  TicketDb,
  type CheckoutResult,
  type IssuedTicket,
  type OrderRecord,
  type PlaceOrder,
} from '@tickets/contracts';
import { isCancellation, untilDone } from '@tickets/service-runtime';
import type { Mailer } from './email/mailer.js';
import { mailLater } from './email/mail-later.js';
import { confirmationEmail, holdsEndingMessage, orderTotalCents, paymentFailedEmail, newTicketCode, recordedCheckout, refundedEmail } from './order.js';
import { abandonLater } from './payment/abandon-later.js';
import type { ConfirmOutcome, CreateOutcome, PaymentGateway } from './payment/payment-gateway.js';

export interface CheckoutDeps {
  payments: PaymentGateway;
  mailer: Mailer;
  /** Domain used in Message-IDs. */
  mailDomain: string;
  /** How long to keep retrying the provider while the user waits, before giving up on this payment. */
  paymentMaxRetryMillis: number;
  /** The longest a payment can take (`longestPaymentMillis`): none is started for holds that end sooner. */
  paymentTimeLimitMillis: number;
}

/** What came of asking for the money: paid (with no payment at all for a free order), or why not. */
type Payment =
  | { paid: true; paymentId?: string }
  | {
      paid: false;
      reason: 'payment_declined' | 'payment_unavailable';
      why: string;
      /** Given up while it might still go through (it is then refunded), rather than surely not charged. */
      mayStillSettle: boolean;
    };
type NotPaid = Extract<Payment, { paid: false }>;

/** What the buyer is told when the money was not taken, or is being given back. */
function notPaid({ reason, why, mayStillSettle }: NotPaid): CheckoutResult {
  const charged = mayStillSettle ? 'it is cancelled, or refunded in full should it go through' : 'nothing was charged';
  if (reason === 'payment_unavailable') return checkoutFailure(reason, `The payment provider did not answer in time; ${charged}. Your seats stay held: try again.`);
  return checkoutFailure(reason, `${mayStillSettle ? 'Payment not completed' : 'Payment declined'} (${why}); ${charged}, and your seats stay held.`);
}

const UNAVAILABLE = 'the payment provider did not answer';

/** The order as it is recorded. */
function orderRecord(order: PlaceOrder, paymentId: string | undefined, createdAt: string, status: OrderRecord['status'], tickets: IssuedTicket[]): OrderRecord {
  return {
    orderId: order.orderId,
    userId: order.userId,
    email: order.email,
    currency: order.currency,
    totalCents: orderTotalCents(order.lines),
    lines: order.lines.map(({ ticketId, priceCents }) => ({ ticketId, priceCents })),
    tickets,
    paymentId,
    createdAt,
    status,
  };
}

export function createCheckoutProcess({ payments, mailer, mailDomain, paymentMaxRetryMillis, paymentTimeLimitMillis }: CheckoutDeps) {
  /**
   * A provider call the user waits for: retried with backoff for up to PAYMENT_MAX_RETRY, then given up with a
   * TerminalError, so that the user (and the session, waiting under its lock) gets an answer.
   */
  const userWaits = { maxRetryDuration: paymentMaxRetryMillis, initialRetryInterval: 200, maxRetryInterval: 2_000 };

  /**
   * Charge once. The keys derive from one journaled random value, so a replay after a crash sends the same keys and
   * the provider answers with the first result. A payment that neither succeeds nor is declined in time (no answer,
   * or a state this checkout cannot finish) is given up: cancelled in the background, and refunded if it went
   * through after all. A cancellation is passed on, not taken for an answer.
   */
  async function pay(ctx: restate.Context, order: PlaceOrder, key: string): Promise<Payment> {
    const amountCents = orderTotalCents(order.lines);
    if (amountCents === 0) return { paid: true };
    let created: CreateOutcome;
    try {
      created = await ctx.run(
        'create payment',
        () =>
          payments.createPayment({
            idempotencyKey: `${key}:create`,
            amountCents,
            currency: order.currency,
            paymentMethod: order.paymentMethod,
            description: `Order ${order.orderId}`,
            metadata: { orderId: order.orderId, userId: order.userId },
          }),
        userWaits,
      );
    } catch (error) {
      if (!(error instanceof restate.TerminalError) || isCancellation(error)) throw error;
      return { paid: false, reason: 'payment_unavailable', why: UNAVAILABLE, mayStillSettle: false };
    }
    if ('refused' in created) return { paid: false, reason: 'payment_declined', why: created.refused, mayStillSettle: false };

    const { paymentId } = created;
    let outcome: ConfirmOutcome;
    try {
      outcome = await ctx.run('confirm payment', () => payments.confirmPayment({ paymentId, idempotencyKey: `${key}:confirm` }), userWaits);
    } catch (error) {
      if (!(error instanceof restate.TerminalError)) throw error;
      abandonLater(ctx, order.orderId, paymentId, key);
      if (isCancellation(error)) throw error;
      return { paid: false, reason: 'payment_unavailable', why: UNAVAILABLE, mayStillSettle: true };
    }
    if (outcome.status === 'succeeded') return { paid: true, paymentId };
    if (outcome.status === 'declined') return { paid: false, reason: 'payment_declined', why: outcome.reason, mayStillSettle: false };
    abandonLater(ctx, order.orderId, paymentId, key);
    return { paid: false, reason: 'payment_declined', why: `the payment is ${outcome.state}, which this checkout cannot complete`, mayStillSettle: true };
  }

  /**
   * Undo a paid order that cannot stand. The refund is sent first, so that nothing after it can keep the money;
   * putting back the seats sold to the order and voiding its codes are no-ops where nothing was done yet. A further
   * cancellation that cuts it short starts it again, until it is done; the refund keys are the same every time, so
   * there is one refund.
   */
  const giveBack = (ctx: restate.Context, order: PlaceOrder, paymentId: string | undefined, key: string, codes: readonly IssuedTicket[]) =>
    untilDone(() => giveBackOnce(ctx, order, paymentId, key, codes));

  async function giveBackOnce(ctx: restate.Context, order: PlaceOrder, paymentId: string | undefined, key: string, codes: readonly IssuedTicket[]): Promise<void> {
    if (paymentId) abandonLater(ctx, order.orderId, paymentId, key);
    await restate.RestatePromise.all(order.lines.map((line) => ctx.client(TicketDb, line.ticketId).cancelSale({ orderId: order.orderId })));
    await restate.RestatePromise.all(codes.map((ticket) => ctx.client(Ticket, ticket.code).void()));
    const refunded = orderRecord(order, paymentId, new Date(await ctx.date.now()).toISOString(), 'refunded', []);
    await ctx.client(Order, order.orderId).record(refunded);
    mailLater(ctx, refundedEmail(refunded, mailDomain));
  }

  /** The order's record, if it has one. */
  async function recordedOrder(ctx: restate.Context, orderId: string): Promise<OrderRecord | undefined> {
    try {
      return await ctx.client(Order, orderId).get();
    } catch (error) {
      if (error instanceof restate.TerminalError && error.code === 404) return undefined;
      throw error;
    }
  }

  return restate.implement(CheckoutProcess, {
    handlers: {
      placeOrder: async (ctx, order): Promise<CheckoutResult> => {
        // A run started by asking again past this handler's retention (`askedAgain`): the first run is over, and
        // its order is recorded if it placed one. If not, it ended unpaid or undone, and its caller was cancelled
        // meanwhile: say so, and never pay a second time, which could sell seats whose money is being given back.
        if (order.askedAgain) {
          const recorded = await recordedOrder(ctx, order.orderId);
          if (recorded) return recordedCheckout(recorded);
          throw new restate.TerminalError('This checkout was cancelled before an order was placed; anything charged is refunded.', { errorCode: 409 });
        }
        // A hold that cannot be kept longer and ends before a payment could finish would be lost mid-payment, and the
        // whole order refunded: charge nothing instead. A free order has no payment to outlast.
        if (order.keptHoldsEndAt !== undefined && orderTotalCents(order.lines) > 0) {
          const left = order.keptHoldsEndAt - (await ctx.date.now());
          if (left < paymentTimeLimitMillis) return checkoutFailure('holds_ending', holdsEndingMessage(left));
        }
        const key = ctx.rand.uuidv4();
        const payment = await pay(ctx, order, key);
        if (!payment.paid) {
          mailLater(ctx, paymentFailedEmail(order, payment.why, mailDomain, payment.mayStillSettle));
          return notPaid(payment);
        }

        // Paid. From here on every step is retried until it is done: no path leaves a paid order without tickets.
        const { paymentId } = payment;
        let tickets: IssuedTicket[] = [];
        try {
          tickets = await ctx.run('ticket codes', () => order.lines.map((line) => ({ ticketId: line.ticketId, code: newTicketCode() })));
          const createdAt = new Date(await ctx.date.now()).toISOString();
          const sold = await restate.RestatePromise.all(
            order.lines.map((line) => ctx.client(TicketDb, line.ticketId).markAsSold({ userId: order.userId, holdId: line.holdId, orderId: order.orderId })),
          );
          if (sold.includes(false)) {
            // The holder's hold is gone: an operator took the seat, or the checkout outlasted CHECKOUT_GRACE and
            // someone else did. Give back what was sold and refund in full.
            await giveBack(ctx, order, paymentId, key, []);
            return checkoutFailure('seats_unavailable', 'Some seats could not be sold; your payment is refunded in full.');
          }
          await restate.RestatePromise.all(tickets.map((t) => ctx.client(Ticket, t.code).issue({ orderId: order.orderId, ticketId: t.ticketId })));
          const confirmed = orderRecord(order, paymentId, createdAt, 'confirmed', tickets);
          await ctx.client(Order, order.orderId).record(confirmed);
          mailLater(ctx, confirmationEmail(confirmed, mailDomain));
          return { ok: true, orderId: order.orderId, tickets, totalCents: confirmed.totalCents, currency: order.currency, createdAt };
        } catch (error) {
          // A cancellation (an operator stopping this checkout) ends a paid order early: undo it, then stop.
          if (error instanceof restate.TerminalError) await giveBack(ctx, order, paymentId, key, tickets);
          throw error;
        }
      },

      abandonPayment: async (ctx, { paymentId, idempotencyKey }) => {
        // Retried for as long as it takes: this payment must end up cancelled or refunded.
        try {
          const { status } = await ctx.run('cancel payment', () => payments.cancelPayment({ paymentId, idempotencyKey }));
          if (status === 'succeeded') {
            const refund = await ctx.run('refund', () => payments.refund({ paymentId, idempotencyKey: `${idempotencyKey}:refund`, reason: 'abandoned' }));
            // Another undo of the same order (an admin's refund crossing a cancelled checkout's) got there first.
            if ('alreadyRefunded' in refund) ctx.console.info('payment already refunded in full', { paymentId });
          }
        } catch (error) {
          // The provider refused for good (a disputed charge, say): money a buyer is owed, for a person to settle.
          if (error instanceof restate.TerminalError) ctx.console.error('payment neither cancelled nor refunded: needs an operator', { paymentId, error: error.message });
          throw error;
        }
      },

      refundPart: async (ctx, { paymentId, amountCents, idempotencyKey, reason }) => {
        // Retried for as long as it takes, as abandonPayment is: the buyer is owed this money.
        try {
          const refund = await ctx.run('refund part', () => payments.refundPart({ paymentId, idempotencyKey, amountCents, reason }));
          // An undo of the whole order (a cancelled checkout's) refunded the payment in full first.
          if ('alreadyRefunded' in refund) ctx.console.info('payment already refunded in full', { paymentId, amountCents });
        } catch (error) {
          if (error instanceof restate.TerminalError) ctx.console.error('part of a payment not refunded: needs an operator', { paymentId, amountCents, error: error.message });
          throw error;
        }
      },

      sendMail: async (ctx, message) => {
        try {
          await ctx.run('send', () => mailer.send(message));
        } catch (error) {
          // Refused for good (no such mailbox, say): nothing more to try; the order itself is not affected.
          if (!(error instanceof restate.TerminalError)) throw error;
          ctx.console.warn('mail refused for good', { messageId: message.messageId, error: error.message });
        }
      },
    },
    // UserSession asks a cancelled checkout's placeOrder again under the same key to learn how it ended: minutes
    // at most, so its answer need not be kept for the default day.
    options: { ingressPrivate: true, handlers: { placeOrder: { idempotencyRetention: 10 * 60_000 } } },
  });
}
