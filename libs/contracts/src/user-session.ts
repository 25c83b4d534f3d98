import { iface, serde } from '@restatedev/restate-sdk-core';
import { z } from 'zod';
import { CheckoutResult, DEFAULT_PAYMENT_METHOD, Email, OrderRecord, OrderStatus, PaymentMethod } from './checkout.js';
import { Cents, EpochMillis, HoldId, OrderId, TicketId } from './ids.js';
import { Currency } from './money.js';

/**
 * A seat reference from outside: the seed's bare string (`"Rolling-stones-A22"`) or `{"ticketId": "..."}`.
 * Both arrive in handlers as `{ ticketId }`.
 */
export const TicketRef = z
  .union([TicketId, z.object({ ticketId: TicketId }).strict()], {
    error: 'expected a ticket id string or {"ticketId": "..."}',
  })
  .transform((ref) => (typeof ref === 'string' ? { ticketId: ref } : ref));
export type TicketRef = z.infer<typeof TicketRef>;

export const MAX_SEATS_PER_CALL = 20;

export const AddTicketsRequest = z
  .object({
    ticketIds: z
      .array(TicketId)
      .min(1, 'ticketIds must name at least one seat')
      .max(MAX_SEATS_PER_CALL, `at most ${MAX_SEATS_PER_CALL} seats per call`),
  })
  .strict();

/** All or nothing: either every seat is now held by this user, or none was taken and `taken` says which blocked. */
export const AddTicketsResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), held: z.array(TicketId) }),
  z.object({ ok: z.literal(false), reason: z.literal('taken'), taken: z.array(TicketId) }),
]);
export type AddTicketsResult = z.infer<typeof AddTicketsResult>;

/**
 * HTTP status of each way a hold can be refused (besides "taken", which is an answer, not an error). They reach
 * the client as `{"code": <status>, "message": "..."}`.
 */
export const HOLD_REFUSAL_STATUS = {
  no_such_event: 404,
  no_such_seat: 404,
  not_on_sale: 409,
  limit_reached: 409,
  currency_mismatch: 409,
} as const;
export type HoldRefusal = keyof typeof HOLD_REFUSAL_STATUS;

/** The holds one delayed call ends: every seat taken in one add call shares one timer. */
export const ExpireHolds = z.object({
  holds: z.array(z.object({ ticketId: TicketId, holdId: HoldId })).min(1).max(MAX_SEATS_PER_CALL),
});
export type ExpireHolds = z.infer<typeof ExpireHolds>;

/** The body of checkout is optional, so the seed's `curl -X POST .../checkout` works. */
export const CheckoutRequest = z
  .object({
    email: Email.optional(),
    paymentMethod: PaymentMethod.default(DEFAULT_PAYMENT_METHOD),
  })
  .strict()
  .optional()
  .transform((req) => req ?? { paymentMethod: DEFAULT_PAYMENT_METHOD });
export type CheckoutRequest = z.input<typeof CheckoutRequest>;

/**
 * The SDK treats a schema that accepts `undefined` as "no body" and would then send and accept no content type.
 * Checkout takes an optional JSON body, so say so explicitly: clients send JSON, and an empty body still works.
 */
const checkoutRequestSerde = Object.assign(serde.schema(CheckoutRequest), { contentType: 'application/json' });

export const CartLine = z.object({
  ticketId: TicketId,
  eventId: z.string(),
  priceCents: Cents,
  holdExpiresAt: EpochMillis,
});

export const CartView = z.object({
  tickets: z.array(CartLine),
  totalCents: Cents,
  currency: Currency,
  /** The server's clock when the cart was read, so a client can render an accurate countdown. */
  serverTime: EpochMillis,
});
export type CartView = z.infer<typeof CartView>;


export const OrderSummary = z.object({
  orderId: OrderId,
  status: OrderStatus,
  totalCents: Cents,
  currency: Currency,
  /** The seats the order stands for: those of an event refunded on its own are gone. */
  ticketIds: z.array(TicketId),
  createdAt: z.iso.datetime(),
  /** What refunds of single events (`Order.refund` with an event) gave back of `totalCents`. */
  partRefundedCents: Cents.optional(),
});
export type OrderSummary = z.infer<typeof OrderSummary>;

export const OrderRef = z.object({ orderId: OrderId }).strict();

export const OrderPartRefunded = z.object({ orderId: OrderId, ticketIds: z.array(TicketId).min(1), amountCents: Cents });
export type OrderPartRefunded = z.infer<typeof OrderPartRefunded>;

/** UserSession: one virtual object per user (key: user id) holding the cart and its seat holds. */
export const UserSession = iface.object('UserSession', {
  /**
   * Hold a seat: true if this user now holds it, false if someone else holds or bought it. A seat that does not
   * exist, an event not on sale or the per-user limit is refused with 404/409 and a message.
   */
  addTicket: iface.schemas({ input: TicketRef, output: z.boolean() }),
  /** Hold several seats, all or nothing. Refusals as for addTicket. */
  addTickets: iface.schemas({ input: AddTicketsRequest, output: AddTicketsResult }),
  /** Give a held seat back at once; false if it was not in the cart. */
  removeTicket: iface.schemas({ input: TicketRef, output: z.boolean() }),
  /**
   * Internal: the delayed self-call that tidies holds out of the cart once they have run out (they end by themselves
   * in TicketDb), each only if its hold id still matches. Answers how many it tidied away.
   */
  expireHolds: iface.schemas({ input: ExpireHolds, output: z.number().int() }),
  /** Pay for every held seat and receive the tickets. */
  checkout: iface.serdes({ input: checkoutRequestSerde, output: serde.schema(CheckoutResult) }),
  /** The cart: seats, prices, hold expiry times, total and the server time. */
  getCart: iface.shared.schemas({ output: CartView }),
  /** This user's orders, newest last. */
  getOrders: iface.shared.schemas({ output: z.array(OrderSummary) }),
  /** One of this user's orders in full, with its ticket codes. 404 if it is not theirs. */
  getOrder: iface.shared.schemas({ input: OrderRef, output: OrderRecord }),
  /** Cancel one of this user's orders: refunded once, seats back on sale, tickets void, email sent. 404 if not theirs. */
  cancelOrder: iface.schemas({ input: OrderRef, output: OrderRecord }),
  /**
   * Internal, sent one-way by `Order` once it has cancelled one of this user's orders (for cancelOrder, or an event
   * admin's refund). Its seats no longer count against the per-user limit, and the list of orders says so.
   */
  orderCancelled: iface.schemas({ input: OrderRef, output: z.void() }),
  /**
   * Internal, sent one-way by `Order` once an event admin has taken one event's seats out of an order and refunded
   * them: they no longer count against the per-user limit, and the list of orders shows what the order still holds.
   */
  orderPartRefunded: iface.schemas({ input: OrderPartRefunded, output: z.void() }),
});

export const USER_SESSION_INTERNAL_HANDLERS = ['expireHolds', 'orderCancelled', 'orderPartRefunded'] as const;
