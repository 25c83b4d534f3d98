import { iface, serde } from '@restatedev/restate-sdk-core';
import { z } from 'zod';
import { CheckoutResult, Currency, DEFAULT_PAYMENT_METHOD, Email, PaymentMethod } from './checkout.js';
import { Cents, EpochMillis, HoldId, TicketId } from './ids.js';

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

export const ExpireHold = z.object({ ticketId: TicketId, holdId: HoldId });
export type ExpireHold = z.infer<typeof ExpireHold>;

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


/** UserSession: one virtual object per user (key: user id) holding the cart and its seat holds. */
export const UserSession = iface.object('UserSession', {
  /** Hold a seat: true if this user now holds it, false if someone else holds or bought it. */
  addTicket: iface.schemas({ input: TicketRef, output: z.boolean() }),
  /** Give a held seat back at once; false if it was not in the cart. */
  removeTicket: iface.schemas({ input: TicketRef, output: z.boolean() }),
  /** Internal: the delayed self-call that ends a hold; a no-op unless the hold id still matches. */
  expireTicket: iface.schemas({ input: ExpireHold, output: z.boolean() }),
  /** Pay for every held seat and receive the tickets. */
  checkout: iface.serdes({ input: checkoutRequestSerde, output: serde.schema(CheckoutResult) }),
  /** The cart: seats, prices, hold expiry times, total and the server time. */
  getCart: iface.shared.schemas({ output: CartView }),
});

export const USER_SESSION_INTERNAL_HANDLERS = ['expireTicket'] as const;
