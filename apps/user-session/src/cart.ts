import type { CartView, Currency, OrderLine } from '@tickets/contracts';

/** One held seat in the cart, with the id of the hold and of the delayed call that will end it. */
export interface CartItem {
  ticketId: string;
  holdId: string;
  priceCents: number;
  expiresAt: number;
  /** Invocation id of the pending expireTicket call, so checkout and remove can cancel it. */
  expiryTimerId: string;
}

export type Cart = readonly CartItem[];

export const EMPTY_CART: Cart = [];

export const findItem = (cart: Cart, ticketId: string): CartItem | undefined =>
  cart.find((item) => item.ticketId === ticketId);

export function addItem(cart: Cart, item: CartItem): Cart {
  if (findItem(cart, item.ticketId)) throw new Error(`seat ${item.ticketId} is already in the cart`);
  return [...cart, item];
}

/** Take a seat out of the cart, whatever its hold. */
export function removeItem(cart: Cart, ticketId: string): { cart: Cart; removed?: CartItem } {
  const removed = findItem(cart, ticketId);
  return removed ? { cart: cart.filter((item) => item !== removed), removed } : { cart };
}

/**
 * Take a seat out only if it is still held under `holdId`. A timer from an older hold of the same seat (removed
 * and re-added since) finds a different hold id and does nothing.
 */
export function expireHold(cart: Cart, ticketId: string, holdId: string): { cart: Cart; expired?: CartItem } {
  const item = findItem(cart, ticketId);
  return item?.holdId === holdId ? { cart: cart.filter((other) => other !== item), expired: item } : { cart };
}

/** Holds whose time is up are not sold even if their expiry call has not run yet (it may be queued behind us). */
export function partitionByExpiry(cart: Cart, now: number): { live: CartItem[]; expired: CartItem[] } {
  const live: CartItem[] = [];
  const expired: CartItem[] = [];
  for (const item of cart) (item.expiresAt > now ? live : expired).push(item);
  return { live, expired };
}

export const cartTotalCents = (items: readonly CartItem[]): number =>
  items.reduce((sum, item) => sum + item.priceCents, 0);

export const toOrderLines = (items: readonly CartItem[]): OrderLine[] =>
  items.map(({ ticketId, holdId, priceCents }) => ({ ticketId, holdId, priceCents }));

export function viewCart(cart: Cart, now: number, currency: Currency): CartView {
  return {
    tickets: cart.map(({ ticketId, priceCents, expiresAt }) => ({ ticketId, priceCents, holdExpiresAt: expiresAt })),
    totalCents: cartTotalCents(cart),
    currency,
    serverTime: now,
  };
}
