import { iface } from '@restatedev/restate-sdk-core';
import { z } from 'zod';
import { EventId } from './event.js';
import { Cents, HoldId, OrderId, TicketId, UserId } from './ids.js';
import { Currency } from './money.js';

export const Email = z.email('email must be a valid address').max(254, 'email must be at most 254 characters');

/** Stripe-style payment method ids; `pm_card_visa` succeeds, `pm_card_chargeDeclined` is declined. */
export const PaymentMethod = z
  .string()
  .max(64, 'paymentMethod must be at most 64 characters')
  .regex(/^pm_[A-Za-z0-9_]+$/, 'paymentMethod must look like pm_…');
export const DEFAULT_PAYMENT_METHOD = 'pm_card_visa';

export const OrderLine = z.object({ ticketId: TicketId, holdId: HoldId, priceCents: Cents });
export type OrderLine = z.infer<typeof OrderLine>;

export const PlaceOrder = z.object({
  orderId: OrderId,
  userId: UserId,
  /** Where the confirmation goes; without one the tickets are in the response only. */
  email: Email.optional(),
  paymentMethod: PaymentMethod,
  currency: Currency,
  lines: z.array(OrderLine).min(1),
  /**
   * When the first of the order's holds ends, as kept through this checkout: no payment is started that could not
   * finish before then. Optional, so that an older caller still checks out.
   */
  keptHoldsEndAt: z.number().int().optional(),
  /**
   * Set when the caller asks again how the order ended (its wait was cancelled). The same idempotency key attaches
   * to the first run while Restate keeps it; after placeOrder's retention it starts a new run, which answers from
   * the order's record rather than place the order a second time, and without one (the first run ended unpaid or
   * undone) fails as cancelled (409).
   */
  askedAgain: z.literal(true).optional(),
});
export type PlaceOrder = z.infer<typeof PlaceOrder>;

export const IssuedTicket = z.object({ ticketId: TicketId, code: z.string() });
export type IssuedTicket = z.infer<typeof IssuedTicket>;

export const CheckoutFailureReason = z.enum([
  'empty_cart',
  'holds_expired',
  /** A hold ends too soon for a payment to finish in time (kept for an earlier checkout already, or CHECKOUT_GRACE is set too low). */
  'holds_ending',
  'payment_declined',
  'payment_unavailable',
  'seats_unavailable',
]);
export type CheckoutFailureReason = z.infer<typeof CheckoutFailureReason>;

export const CheckoutResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    orderId: OrderId,
    tickets: z.array(IssuedTicket),
    totalCents: Cents,
    currency: Currency,
    /** When the order was paid for, as its record says. */
    createdAt: z.iso.datetime(),
  }),
  z.object({ ok: z.literal(false), reason: CheckoutFailureReason, message: z.string() }),
]);
export type CheckoutResult = z.infer<typeof CheckoutResult>;

export const checkoutFailure = (reason: CheckoutFailureReason, message: string): CheckoutResult => ({ ok: false, reason, message });

export const AbandonPayment = z.object({ orderId: OrderId, paymentId: z.string(), idempotencyKey: z.string() });

/** Give back part of a succeeded payment: what one event's seats of an order cost, or what is left of it. */
export const RefundPart = z.object({
  orderId: OrderId,
  paymentId: z.string(),
  amountCents: Cents.min(1),
  idempotencyKey: z.string(),
  reason: z.string(),
});

export const EmailMessage = z.object({
  /** Stable per order and kind, so a retried send is recognisably the same message. */
  messageId: z.string().min(3),
  to: Email,
  subject: z.string().min(1),
  text: z.string(),
});
export type EmailMessage = z.infer<typeof EmailMessage>;

/** CheckoutProcess: charge once, sell the seats, issue tickets, then confirm by email. */
export const CheckoutProcess = iface.service('CheckoutProcess', {
  /** Internal: called by UserSession.checkout while it holds the user's lock. */
  placeOrder: iface.schemas({ input: PlaceOrder, output: CheckoutResult }),
  /** Internal: cancel a payment the provider did not answer in time, refunding it if it went through after all. */
  abandonPayment: iface.schemas({ input: AbandonPayment, output: z.void() }),
  /** Internal, sent one-way by `Order`: refund part of a payment, retried until it is done, once per key. */
  refundPart: iface.schemas({ input: RefundPart, output: z.void() }),
  /** Internal, sent one-way: deliver one message, retried until the mail server takes it or refuses it for good. */
  sendMail: iface.schemas({ input: EmailMessage, output: z.void() }),
});

export const CHECKOUT_INTERNAL_HANDLERS = ['placeOrder', 'abandonPayment', 'refundPart', 'sendMail'] as const;

export const OrderStatus = z.enum(['confirmed', 'cancelled', 'refunded']);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** The seats of one event taken out of an order that otherwise stands (an event called off), and their refund. */
export const PartRefund = z.object({
  eventId: EventId,
  ticketIds: z.array(TicketId).min(1),
  amountCents: Cents,
  refundedAt: z.iso.datetime(),
  reason: z.string(),
});
export type PartRefund = z.infer<typeof PartRefund>;

export const OrderRecord = z.object({
  orderId: OrderId,
  userId: UserId,
  email: Email.optional(),
  status: OrderStatus,
  currency: Currency,
  totalCents: Cents,
  lines: z.array(z.object({ ticketId: TicketId, priceCents: Cents })),
  tickets: z.array(IssuedTicket),
  /** The provider's reference for the payment (a Stripe PaymentIntent id); none for a free order. */
  paymentId: z.string().optional(),
  createdAt: z.iso.datetime(),
  cancelledAt: z.iso.datetime().optional(),
  /** Set when an event admin cancelled the order (`Order.refund`): why, as the buyer is told. */
  operatorReason: z.string().optional(),
  /** Events whose seats were taken out of the order and refunded while the rest of it stands, oldest first. */
  partRefunds: z.array(PartRefund).optional(),
});
export type OrderRecord = z.infer<typeof OrderRecord>;

/** The seats of an order that it still stands for: all of them, but those of events refunded on their own. */
export function standingLines<Line extends { ticketId: string }>(order: { lines: readonly Line[]; partRefunds?: readonly Pick<PartRefund, 'ticketIds'>[] }): Line[] {
  const refunded = new Set(order.partRefunds?.flatMap((part) => part.ticketIds));
  return order.lines.filter((line) => !refunded.has(line.ticketId));
}

/** What the order's refunds of single events have given back so far. */
export const partRefundedCents = (order: { partRefunds?: readonly Pick<PartRefund, 'amountCents'>[] }): number =>
  (order.partRefunds ?? []).reduce((sum, part) => sum + part.amountCents, 0);

/**
 * Why an event admin refunds an order, and optionally which event: then only that event's seats are taken out of the
 * order and refunded, and its other seats stand (an order spanning several events, one of them called off).
 */
export const OperatorRefund = z
  .object({
    reason: z.string().trim().min(3, 'reason must be at least 3 characters').max(300, 'reason must be at most 300 characters'),
    eventId: EventId.optional(),
  })
  .strict();

/** Order: one order (key: order id) — what was bought, paid and issued, and whether it still stands. */
export const Order = iface.object('Order', {
  /** Internal: store the order as CheckoutProcess completed it. */
  record: iface.schemas({ input: OrderRecord, output: z.void() }),
  /**
   * Internal (through UserSession.getOrder): the order. Not public: an order id travels in mail subjects and logs,
   * and the record holds the ticket codes, so only the user whose order it is may read it.
   */
  get: iface.shared.schemas({ output: OrderRecord }),
  /**
   * Internal (through UserSession.cancelOrder): void the tickets, refund once, put the seats back on sale, email.
   * Refused (409) once the event has begun or a ticket of the order has been used at the door.
   */
  cancel: iface.schemas({ output: OrderRecord }),
  /**
   * Event admins (`authorization: Bearer <ADMIN_TOKEN>`): cancel and refund an order as `cancel` does, at any time
   * (customer service, an event called off). With an `eventId`, only that event's seats: their codes are voided,
   * their seats put back and their price refunded, and the rest of the order stands. Refused (409) if a ticket it
   * would void has been used at the door; 404 if the order has no seat of that event. An order no longer confirmed, or
   * whose seats of that event are refunded already, is answered as it is: nothing is refunded twice.
   */
  refund: iface.schemas({ input: OperatorRefund, output: OrderRecord }),
});

export const ORDER_INTERNAL_HANDLERS = ['record', 'get', 'cancel'] as const;

export const TicketCode = z.string().regex(/^([0-9A-F]{4}-){7}[0-9A-F]{4}$/, 'not a ticket code');

export const CheckInResult = z.discriminatedUnion('admitted', [
  z.object({ admitted: z.literal(true), ticketId: TicketId, orderId: OrderId, checkedInAt: z.iso.datetime() }),
  z.object({
    admitted: z.literal(false),
    reason: z.enum(['already_checked_in', 'voided']),
    ticketId: TicketId,
    /** When the ticket was first admitted (for `already_checked_in`). */
    firstCheckedInAt: z.iso.datetime().optional(),
  }),
]);
export type CheckInResult = z.infer<typeof CheckInResult>;

/** What voiding a code came to: it no longer admits, or it has admitted already and stays as it was. */
export const VoidResult = z.enum(['voided', 'used']);
export type VoidResult = z.infer<typeof VoidResult>;

/** Ticket: one issued ticket (key: its code). Single writer per code, so a code admits exactly once. */
export const Ticket = iface.object('Ticket', {
  /** Internal: issue this code for a seat of an order. */
  issue: iface.schemas({ input: z.object({ orderId: OrderId, ticketId: TicketId }), output: z.void() }),
  /** Internal: the order did not go through; the code no longer admits. */
  void: iface.schemas({ output: z.void() }),
  /** Internal: the order is being cancelled; the code no longer admits, unless it has admitted already (`used`). */
  voidForCancel: iface.schemas({ output: VoidResult }),
  /** Internal: the cancellation that voided this code could not go through (another code was used): it admits again. */
  restore: iface.schemas({ output: z.void() }),
  /** Door staff (`authorization: Bearer <STAFF_TOKEN>`): admit once. */
  checkIn: iface.schemas({ output: CheckInResult }),
});

export const TICKET_INTERNAL_HANDLERS = ['issue', 'void', 'voidForCancel', 'restore'] as const;

