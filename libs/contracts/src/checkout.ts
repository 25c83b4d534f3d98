import { iface } from '@restatedev/restate-sdk-core';
import { z } from 'zod';
import { Cents, HoldId, OrderId, TicketId, UserId } from './ids.js';

export const Email = z.email('email must be a valid address').max(254, 'email must be at most 254 characters');

/** Stripe-style payment method ids; `pm_card_visa` succeeds, `pm_card_chargeDeclined` is declined. */
export const PaymentMethod = z
  .string()
  .max(64, 'paymentMethod must be at most 64 characters')
  .regex(/^pm_[A-Za-z0-9_]+$/, 'paymentMethod must look like pm_…');
export const DEFAULT_PAYMENT_METHOD = 'pm_card_visa';

export const Currency = z.enum(['USD', 'EUR', 'GBP']);
export type Currency = z.infer<typeof Currency>;

export const OrderLine = z.object({ ticketId: TicketId, holdId: HoldId, priceCents: Cents });
export type OrderLine = z.infer<typeof OrderLine>;

export const PlaceOrder = z.object({
  orderId: OrderId,
  userId: UserId,
  email: Email,
  paymentMethod: PaymentMethod,
  currency: Currency,
  lines: z.array(OrderLine).min(1),
});
export type PlaceOrder = z.infer<typeof PlaceOrder>;

export const IssuedTicket = z.object({ ticketId: TicketId, code: z.string() });
export type IssuedTicket = z.infer<typeof IssuedTicket>;

export const CheckoutFailureReason = z.enum([
  'empty_cart',
  'holds_expired',
  'payment_declined',
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
  }),
  z.object({ ok: z.literal(false), reason: CheckoutFailureReason, message: z.string() }),
]);
export type CheckoutResult = z.infer<typeof CheckoutResult>;

/** CheckoutProcess: charge once, sell the seats, issue tickets, then confirm by email. */
export const CheckoutProcess = iface.service('CheckoutProcess', {
  /** Internal: called by UserSession.checkout while it holds the user's lock. */
  placeOrder: iface.schemas({ input: PlaceOrder, output: CheckoutResult }),
});

export const CHECKOUT_INTERNAL_HANDLERS = ['placeOrder'] as const;

