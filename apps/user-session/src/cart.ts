import {
  HOLD_REFUSAL_STATUS,
  holdIsOver,
  parseSeatId,
  type CartView,
  type Currency,
  type HoldRefusal,
  type Offer,
  type OrderLine,
  type OrderPartRefunded,
  type OrderSummary,
  type ReserveResult,
  type SeatAddress,
} from '@tickets/contracts';
import { zip } from '@tickets/service-runtime';

/**
 * One held seat in the cart, under the hold id TicketDb knows it by. The hold ends by itself at `expiresAt`, in
 * TicketDb as here: a line whose time is up is no longer a hold, whether or not the tidy-up call has removed it yet.
 */
export interface CartItem {
  ticketId: string;
  eventId: string;
  holdId: string;
  priceCents: number;
  currency: Currency;
  expiresAt: number;
  /** Set once a checkout has kept this hold longer (`needMoreTime`): it is not kept longer again. */
  keptForCheckout?: true;
}

export type Cart = readonly CartItem[];

export const EMPTY_CART: Cart = [];

/** Seats of each event this user has bought, for the per-user limit. */
export type Bought = Readonly<Record<string, number>>;

export const findItem = (cart: Cart, ticketId: string): CartItem | undefined =>
  cart.find((item) => item.ticketId === ticketId);

export function addItems(cart: Cart, items: readonly CartItem[]): Cart {
  for (const item of items) if (findItem(cart, item.ticketId)) throw new Error(`seat ${item.ticketId} is already in the cart`);
  return [...cart, ...items];
}

/**
 * The idempotency key of a reserve call made at `now`. Restate runs one call per seat and key and gives every caller
 * its answer, so on a hot seat everyone asking within the same second shares one turn of the seat's lock instead of
 * queueing for a turn each. The answer can be up to a second old, so a "taken" is checked again (`reserveAll`).
 */
export const reserveCallKey = (now: number): string => `reserve-${Math.floor(now / 1_000)}`;

/**
 * The idempotency key of that check: callers told "taken" about one seat within the same 50 ms share one read of its
 * status, so a thousand losers of a hot seat cost its partition a few dozen reads, not a thousand. A seat given back
 * is still seen as free by the next buyer at once, unless someone else read that seat's status in the same 50 ms.
 */
export const statusCallKey = (now: number): string => `status-${Math.floor(now / 50)}`;

/** Whether a reserve answer, possibly shared with other callers, gave the seat to this hold. */
export const gotSeat = (result: ReserveResult, holdId: string): boolean => result.ok && result.holdId === holdId;

/** Take a seat out of the cart, whatever its hold. */
export function removeItem(cart: Cart, ticketId: string): { cart: Cart; removed?: CartItem } {
  const removed = findItem(cart, ticketId);
  return removed ? { cart: cart.filter((item) => item !== removed), removed } : { cart };
}

/**
 * Seats this user removed from the cart while their hold still ran, with when it would have ended (and whether a
 * checkout had kept it already). Removing a seat frees it for anyone at once; re-adding it must not also give its
 * remover a fresh hold, or remove-and-add-again would keep a seat from everybody else for the whole sale.
 */
export type Released = Readonly<Record<string, { expiresAt: number; keptForCheckout?: true }>>;

const stillRunning = (released: Released, now: number): Released =>
  Object.fromEntries(Object.entries(released).filter(([, hold]) => !holdIsOver(hold.expiresAt, now)));

/** Remember `item`'s hold as it was removed at `now`, forgetting the holds that have ended by then. */
export function rememberRelease(released: Released, item: CartItem, now: number): Released {
  const { expiresAt, keptForCheckout } = item;
  return { ...stillRunning(released, now), [item.ticketId]: { expiresAt, ...(keptForCheckout ? { keptForCheckout } : {}) } };
}

/**
 * The end of a hold of `ticketId` made at `now` that would end at `fresh`: no later than this user's own earlier
 * hold of the seat, had they removed it while it ran, and kept for a checkout no more than that one was.
 */
export function resumedHold(released: Released, ticketId: string, now: number, fresh: number): Pick<CartItem, 'expiresAt' | 'keptForCheckout'> {
  const earlier = released[ticketId];
  if (!earlier || holdIsOver(earlier.expiresAt, now)) return { expiresAt: fresh };
  // Kept once is kept for good, even where the fresh hold ends sooner (a hold time shorter than the checkout
  // grace): or a checkout, a removal and an add, over and over, would keep the seat from everyone else.
  return { expiresAt: Math.min(earlier.expiresAt, fresh), ...(earlier.keptForCheckout ? { keptForCheckout: true } : {}) };
}

/** What stays remembered once `held` are in the cart again, at `now`. */
export function forgetReleased(released: Released, held: readonly string[], now: number): Released {
  const running = stillRunning(released, now);
  return Object.fromEntries(Object.entries(running).filter(([ticketId]) => !held.includes(ticketId)));
}

/**
 * Tidy away the lines of `holds` whose time is up at `now`. A line held since under another hold id (removed and
 * re-added) is not this call's business; a listed hold that a checkout kept longer is not due yet, and is returned
 * in `later` so that it can be tidied when it is.
 */
export function tidyExpired(cart: Cart, holds: readonly HoldRef[], now: number): { cart: Cart; expired: CartItem[]; later: CartItem[] } {
  const listed = cart.filter((item) => holds.some((hold) => hold.ticketId === item.ticketId && hold.holdId === item.holdId));
  const { live: later, expired } = partitionByExpiry(listed, now);
  return { cart: cart.filter((item) => !expired.includes(item)), expired, later };
}

/** Split the cart at `now`: holds whose time is up are over, even if their tidy-up call has not run yet. */
export function partitionByExpiry(cart: Cart, now: number): { live: CartItem[]; expired: CartItem[] } {
  const live: CartItem[] = [];
  const expired: CartItem[] = [];
  for (const item of cart) (holdIsOver(item.expiresAt, now) ? expired : live).push(item);
  return { live, expired };
}

/**
 * The holds that would run out within `graceMillis` of `now`: a checkout keeps them that much longer first, so that
 * nobody can take a seat while its buyer is paying for it. Only once per hold: a buyer whose payment fails has the
 * grace to try again, but checkouts that keep failing cannot keep a seat away from everybody else for good.
 */
export const needMoreTime = (items: readonly CartItem[], now: number, graceMillis: number): CartItem[] =>
  items.filter((item) => !item.keptForCheckout && item.expiresAt < now + graceMillis);

/**
 * What a buyer is told when a checkout finds seats of the cart no longer held for them (`lost`): which, that nothing
 * was charged, and until when the rest of the cart (`rest`) is held, so that they can choose to buy it alone.
 */
export function lostSeatsMessage(lost: readonly CartItem[], rest: readonly CartItem[]): string {
  const seats = lost.map((item) => item.ticketId).join(', ');
  const message = `Seats ${seats} are no longer held for you and left your cart; nothing was charged.`;
  if (rest.length === 0) return message;
  const heldUntil = new Date(Math.min(...rest.map((item) => item.expiresAt))).toISOString();
  return `${message} The rest are held until ${heldUntil}: check out again soon to buy them.`;
}

/**
 * When the first of a checkout's holds ends, as kept for it (see needMoreTime), if it has any: CheckoutProcess
 * starts no payment that could not finish before then. With CHECKOUT_GRACE above the longest payment, only a hold
 * an earlier checkout kept already (and this one cannot keep again) can end that soon. With CHECKOUT_GRACE set
 * lower, this checkout's own are too short as well, and it charges nothing rather than risk a seat running out
 * mid-payment.
 */
export function holdsEnd(items: readonly CartItem[]): number | undefined {
  return items.length > 0 ? Math.min(...items.map((item) => item.expiresAt)) : undefined;
}

export const cartTotalCents = (items: readonly CartItem[]): number =>
  items.reduce((sum, item) => sum + item.priceCents, 0);

export const cartCurrency = (items: readonly CartItem[]): Currency | undefined => items[0]?.currency;

export const toOrderLines = (items: readonly CartItem[]): OrderLine[] =>
  items.map(({ ticketId, holdId, priceCents }) => ({ ticketId, holdId, priceCents }));

/** Count the seats just bought, per event. */
export function recordPurchase(bought: Bought, items: readonly CartItem[]): Bought {
  const next = { ...bought };
  for (const item of items) next[item.eventId] = (next[item.eventId] ?? 0) + 1;
  return next;
}

/**
 * An order of `orders` loses the seats `ticketIds` to a refund of their event, and `amountCents` with them: the seats
 * to give back to the per-user limit, and the orders as they are then. Nothing if the order is no longer confirmed,
 * or has lost those seats already (told twice).
 */
export function recordPartRefund(
  orders: readonly OrderSummary[],
  { orderId, ticketIds, amountCents }: OrderPartRefunded,
): { released: string[]; orders: OrderSummary[] } | undefined {
  const order = orders.find((candidate) => candidate.orderId === orderId);
  const released = ticketIds.filter((ticketId) => order?.ticketIds.includes(ticketId));
  if (order?.status !== 'confirmed' || released.length === 0) return undefined;
  const after: OrderSummary = {
    ...order,
    ticketIds: order.ticketIds.filter((ticketId) => !released.includes(ticketId)),
    partRefundedCents: (order.partRefundedCents ?? 0) + amountCents,
  };
  return { released, orders: orders.map((candidate) => (candidate === order ? after : candidate)) };
}

/** Give back the seats of a cancelled order to the per-user limit. */
export function releasePurchase(bought: Bought, ticketIds: readonly string[]): Bought {
  const next = { ...bought };
  for (const ticketId of ticketIds) {
    const eventId = parseSeatId(ticketId)?.eventId;
    if (eventId && next[eventId]) next[eventId] -= 1;
  }
  return next;
}

/** The cart as its owner sees it at `now`: holds whose time is up are gone. */
export function viewCart(stored: Cart, now: number, defaultCurrency: Currency): CartView {
  const cart = partitionByExpiry(stored, now).live;
  return {
    tickets: cart.map(({ ticketId, eventId, priceCents, expiresAt }) => ({ ticketId, eventId, priceCents, holdExpiresAt: expiresAt })),
    totalCents: cartTotalCents(cart),
    currency: cartCurrency(cart) ?? defaultCurrency,
    serverTime: now,
  };
}

/** A seat and the hold id it is (or was) held under. */
export type HoldRef = Pick<CartItem, 'ticketId' | 'holdId'>;

/** A seat to hold: its id and where it is. */
export interface WantedSeat {
  ticketId: string;
  address: SeatAddress;
}

/** A seat the plan says to reserve, with the terms its event set. */
export interface PlannedHold {
  ticketId: string;
  eventId: string;
  priceCents: number;
  currency: Currency;
  holdMillis: number;
}

export type HoldPlan =
  | { ok: true; holds: PlannedHold[] }
  | { ok: false; refusal: HoldRefusal; status: (typeof HOLD_REFUSAL_STATUS)[HoldRefusal]; message: string };

/** Seats per event, in first-seen order (Map.groupBy needs Node 21). */
export function groupByEvent<T extends { address: SeatAddress }>(seats: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const seat of seats) groups.set(seat.address.eventId, [...(groups.get(seat.address.eventId) ?? []), seat]);
  return groups;
}

const refuse = (refusal: HoldRefusal, message: string): HoldPlan => ({ ok: false, refusal, status: HOLD_REFUSAL_STATUS[refusal], message });

/**
 * Decide whether `wanted` (seats not yet in the cart) may be held, given each event's offer: every event must be on
 * sale and have the seats, the per-user limit (held + bought + new) must hold, and a cart is paid in one currency.
 */
export function planHold(
  cart: Cart,
  bought: Bought,
  wanted: readonly WantedSeat[],
  offers: ReadonlyMap<string, Offer>,
  defaultHoldMillis: number,
): HoldPlan {
  const byEvent = groupByEvent(wanted);
  let currency = cartCurrency(cart);
  const holds: PlannedHold[] = [];
  for (const [eventId, seats] of byEvent) {
    const offer = offers.get(eventId);
    if (!offer) return refuse('no_such_event', `No such event: ${eventId}.`);
    if (!offer.ok) return refuse(offer.reason, offer.message);

    const alreadyHeld = cart.filter((item) => item.eventId === eventId).length;
    const total = alreadyHeld + (bought[eventId] ?? 0) + seats.length;
    if (total > offer.maxSeatsPerUser) {
      return refuse('limit_reached', `At most ${offer.maxSeatsPerUser} seats per person for ${eventId}; you would have ${total}.`);
    }
    currency ??= offer.currency;
    if (offer.currency !== currency) {
      return refuse('currency_mismatch', `Your cart is in ${currency}; seats of ${eventId} are sold in ${offer.currency}. Check out first.`);
    }
    const holdMillis = offer.holdSeconds ? offer.holdSeconds * 1000 : defaultHoldMillis;
    for (const [seat, priceCents] of zip(seats, offer.pricesCents)) {
      holds.push({ ticketId: seat.ticketId, eventId, priceCents, currency: offer.currency, holdMillis });
    }
  }
  return { ok: true, holds };
}
