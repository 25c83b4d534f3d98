import { randomUUID } from 'node:crypto';
import * as restate from '@restatedev/restate-sdk';
import {
  checkoutFailure,
  CheckoutProcess,
  Event,
  EventId,
  offerSeats,
  Order,
  parseSeatId,
  TicketDb,
  UserId,
  UserSession,
  type AddTicketsResult,
  type CheckoutResult,
  type Currency,
  type EventSummary,
  type Offer,
  type OfferRequest,
  type OrderSummary,
  type PlaceOrder,
} from '@tickets/contracts';
import { isCancellation, untilDone, validKey, zip } from '@tickets/service-runtime';
import {
  addItems,
  cartCurrency,
  EMPTY_CART,
  findItem,
  forgetReleased,
  holdsEnd,
  gotSeat,
  lostSeatsMessage,
  groupByEvent,
  needMoreTime,
  partitionByExpiry,
  planHold,
  recordPartRefund,
  recordPurchase,
  releasePurchase,
  rememberRelease,
  removeItem,
  resumedHold,
  reserveCallKey,
  statusCallKey,
  tidyExpired,
  toOrderLines,
  viewCart,
  type Bought,
  type Cart,
  type CartItem,
  type HoldRef,
  type Released,
  type WantedSeat,
} from './cart.js';
import { EventTerms } from './event-terms.js';

export interface UserSessionConfig {
  /** How long a seat stays held when its event sets no hold time. */
  holdMillis: number;
  /** How long a checkout keeps its holds, at least: longer than paying can take, so no seat runs out mid-payment. */
  checkoutGraceMillis: number;
  /** Currency shown for an empty cart. */
  currency: Currency;
  /** How long an event read as "on sale" is trusted before it is read again (see EventTerms). */
  eventTermsMillis: number;
}

const CART = 'cart';
const BOUGHT = 'bought';
const ORDERS = 'orders';
const RELEASED = 'released';

const loadCart = async (ctx: restate.ObjectSharedContext): Promise<Cart> => (await ctx.get<Cart>(CART)) ?? EMPTY_CART;
const loadBought = async (ctx: restate.ObjectSharedContext): Promise<Bought> => (await ctx.get<Bought>(BOUGHT)) ?? {};
const loadOrders = async (ctx: restate.ObjectSharedContext): Promise<OrderSummary[]> => (await ctx.get<OrderSummary[]>(ORDERS)) ?? [];
const loadReleased = async (ctx: restate.ObjectSharedContext): Promise<Released> => (await ctx.get<Released>(RELEASED)) ?? {};

function saveReleased(ctx: restate.ObjectContext, released: Released): void {
  if (Object.keys(released).length === 0) ctx.clear(RELEASED);
  else ctx.set(RELEASED, released);
}

/** Forget the removed holds that have ended by `now`, or whose seats are `held` again; write only if that changed. */
function forgetReleasedHolds(ctx: restate.ObjectContext, released: Released, held: readonly string[], now: number): void {
  const kept = forgetReleased(released, held, now);
  // Forgetting only takes entries away, so the same count means nothing changed.
  if (Object.keys(kept).length !== Object.keys(released).length) saveReleased(ctx, kept);
}

/**
 * One of this user's orders is cancelled: its seats are back on sale and no longer count against the per-user limit.
 * Once only, whether the buyer or an event admin cancelled it, and whichever of them tells this object first.
 */
async function recordCancellation(ctx: restate.ObjectContext, orderId: string): Promise<void> {
  const orders = await loadOrders(ctx);
  const order = orders.find((candidate) => candidate.orderId === orderId);
  if (order?.status !== 'confirmed') return;
  ctx.set(BOUGHT, releasePurchase(await loadBought(ctx), order.ticketIds));
  ctx.set(ORDERS, orders.map((candidate) => (candidate === order ? { ...candidate, status: 'cancelled' as const } : candidate)));
}

/** One of this user's orders; anyone else's, or none, is a 404 whether or not it exists. */
function ownOrder(orders: readonly OrderSummary[], orderId: string): OrderSummary {
  const mine = orders.find((order) => order.orderId === orderId);
  if (!mine) throw new restate.TerminalError(`you have no order ${orderId}`, { errorCode: 404 });
  return mine;
}

function saveCart(ctx: restate.ObjectContext, cart: Cart): void {
  if (cart.length === 0) ctx.clear(CART);
  else ctx.set(CART, cart);
}

/**
 * Give back these holds in TicketDb. A release once sent goes through, so waiting for it is finished even if an
 * operator cancels the call meanwhile: what the cart says next must match what TicketDb did.
 */
const releaseAll = (ctx: restate.ObjectContext, userId: string, items: readonly HoldRef[]) =>
  untilDone(() => restate.RestatePromise.all(items.map((item) => ctx.client(TicketDb, item.ticketId).release({ userId, holdId: item.holdId }))));

/** After a checkout that leaves its holds in an unknown state: give them all back and empty the cart. */
async function giveUpCart(ctx: restate.ObjectContext, userId: string, items: readonly CartItem[]): Promise<void> {
  await releaseAll(ctx, userId, items);
  saveCart(ctx, EMPTY_CART);
}

/** Tidy `items` out of the cart once the last of them has run out. Nothing depends on it but the cart's size. */
function tidyLater(ctx: restate.ObjectContext, userId: string, items: readonly CartItem[], now: number): void {
  const due = Math.max(...items.map((item) => item.expiresAt));
  const holds = items.map(({ ticketId, holdId }) => ({ ticketId, holdId }));
  ctx.sendClient(UserSession, userId).expireHolds({ holds }, restate.rpc.sendOpts({ delay: Math.max(0, due - now) }));
}

/**
 * Place the order and answer how it ended. Cancelling this checkout cancels the call too, but the SDK answers the
 * cancellation at once, without waiting for CheckoutProcess to finish, which may still have sold the seats (a
 * cancellation after its last step) or be undoing the payment. So it is asked again under the same idempotency
 * key, which attaches to the one invocation and gives its real outcome: an order, or its failure. Past placeOrder's
 * retention (a session down for longer) the key starts a new run instead, which `askedAgain` tells to answer from
 * the order's record rather than place the order again (and, with no order recorded, to fail as cancelled).
 */
async function placeOrder(ctx: restate.ObjectContext, order: PlaceOrder): Promise<CheckoutResult> {
  const call = (again: boolean) =>
    ctx.client(CheckoutProcess).placeOrder(again ? { ...order, askedAgain: true } : order, restate.rpc.opts({ idempotencyKey: `order-${order.orderId}` }));
  // However often it is cancelled while it waits (an operator cancelling a stuck checkout again, say): an order
  // that goes through must reach the cart and the list of orders.
  for (let again = false; ; again = true) {
    try {
      return await call(again);
    } catch (error) {
      if (!(error instanceof restate.CancelledError)) throw error;
    }
  }
}

/** Read an event (a shared handler: no lock), remember its terms, and answer the offer from them. */
async function askEvent(ctx: restate.ObjectContext, eventId: string, request: OfferRequest, now: number, terms: EventTerms): Promise<Offer> {
  let summary: EventSummary | undefined;
  if (EventId.safeParse(eventId).success) {
    try {
      summary = await ctx.client(Event, eventId).get();
      terms.remember(summary, now);
    } catch (error) {
      if (!(error instanceof restate.TerminalError && error.code === 404)) throw error;
    }
  }
  return offerSeats(eventId, summary?.definition, summary?.status, request);
}

type PlannedHold = HoldRef & Pick<CartItem, 'expiresAt' | 'keptForCheckout'>;

/**
 * The answers of calls shared with other callers (reserveCallKey, statusCallKey). A shared call is one invocation,
 * and Restate passes an invocation's cancellation on to the calls it made, so an operator cancelling another
 * caller's add cancels the shared call too: that is no answer for this caller, which asks again with a call of its
 * own (`call(item, false)`). This add's own cancellation is a CancelledError, and is thrown as it is.
 */
async function sharedAnswers<I, T>(items: readonly I[], call: (item: I, shared: boolean) => restate.RestatePromise<T>): Promise<T[]> {
  const settled = await restate.RestatePromise.allSettled(items.map((item) => call(item, true)));
  const cancelledForOthers = (reason: unknown) => isCancellation(reason) && !(reason instanceof restate.CancelledError);
  const failed = settled.find((result) => result.status === 'rejected' && !cancelledForOthers(result.reason));
  if (failed?.status === 'rejected') throw failed.reason;
  const again = settled.flatMap((result, index) => (result.status === 'rejected' ? [index] : []));
  const answers = await restate.RestatePromise.all(again.map((index) => call(items[index] as I, false)));
  const byIndex = new Map(zip(again, answers));
  return settled.map((result, index) => (result.status === 'fulfilled' ? result.value : (byIndex.get(index) as T)));
}

/**
 * Reserve every seat of `holds` in TicketDb, and say which this user got. Calls for one seat within the same second
 * share one reserve (see reserveCallKey), so a hot seat's losers don't queue for its lock. A shared answer may be up
 * to a second old, so where it says "taken" the seat's status (a shared read, no lock, itself shared within 50 ms:
 * statusCallKey) is checked, and a seat that is free by now gets a reserve call of its own: a seat given back is free
 * for the next buyer at once.
 */
async function reserveAll(ctx: restate.ObjectContext, userId: string, holds: readonly PlannedHold[], now: number) {
  const reserve = (hold: PlannedHold, at: number, idempotencyKey?: string) =>
    ctx
      .client(TicketDb, hold.ticketId)
      .reserve({ userId, holdId: hold.holdId, until: hold.expiresAt, now: at }, restate.rpc.opts(idempotencyKey ? { idempotencyKey } : {}));
  const idempotencyKey = reserveCallKey(now);
  const answers = await sharedAnswers(holds, (hold, shared) => reserve(hold, now, shared ? idempotencyKey : undefined));
  const outcomes = zip(holds, answers).map(([hold, result]) => ({ hold, got: gotSeat(result, hold.holdId) }));
  const lost = outcomes.filter(({ got }) => !got);
  if (lost.length === 0) return outcomes;
  const recheck = (hold: PlannedHold, idempotencyKey?: string) => ctx.client(TicketDb, hold.ticketId).recheck(restate.rpc.opts(idempotencyKey ? { idempotencyKey } : {}));
  // Keyed by the time of the check, not of the add: the reserve answer may have come long after `now` (a queue at
  // the seat, an event read first), and a key from then could join a read of the seat made as long ago.
  const statusKey = statusCallKey(await ctx.date.now());
  const statuses = await sharedAnswers(lost, ({ hold }, shared) => recheck(hold, shared ? statusKey : undefined));
  const freeAgain = zip(lost, statuses).filter(([, status]) => status.state === 'available').map(([outcome]) => outcome);
  if (freeAgain.length === 0) return outcomes;
  // The check read TicketDb's clock, later than `now`: a hold it saw run out must be over for the retry too.
  const later = await ctx.date.now();
  const retried = await restate.RestatePromise.all(freeAgain.map(({ hold }) => reserve(hold, later)));
  for (const [outcome, result] of zip(freeAgain, retried)) outcome.got = gotSeat(result, outcome.hold.holdId);
  return outcomes;
}

export function createUserSession(config: UserSessionConfig) {
  const terms = new EventTerms(config.eventTermsMillis);

  /**
   * Hold every seat in `ticketIds` or none. Seats already held in the cart count as held (their holds are not
   * extended). Refusals (no such seat or event, not on sale, limit, currency) are terminal 4xx errors.
   */
  async function holdAll(ctx: restate.ObjectContext, ticketIds: readonly string[]): Promise<AddTicketsResult> {
    const userId = validKey(UserId, ctx.key);
    const requested: WantedSeat[] = [];
    for (const ticketId of new Set(ticketIds)) {
      const address = parseSeatId(ticketId);
      if (!address) throw new restate.TerminalError(`No such seat: ${ticketId} (seat ids look like <event>-<row><number>).`, { errorCode: 404 });
      requested.push({ ticketId, address });
    }
    const stored = await loadCart(ctx);
    /**
     * At `now`: the cart's holds, the seats not among them, and what to ask each of their events. Worked out inside
     * the journaled step below (to look up the cached terms) and again after it from the journaled `now`, which a
     * replay gets back without running the step: both give the same answer.
     */
    const toHold = (now: number) => {
      const cart = partitionByExpiry(stored, now).live;
      const wanted = requested.filter((seat) => !findItem(cart, seat.ticketId));
      const requests = [...groupByEvent(wanted)].map(([eventId, seats]): [string, OfferRequest] => [
        eventId,
        { seats: seats.map(({ address }) => ({ row: address.row, number: address.number })) },
      ]);
      return { cart, wanted, requests };
    };
    // Whether and on what terms each event lets these seats be held. One journaled step reads the clock and answers
    // from the terms this process already knows (see EventTerms); only the other events are asked.
    const { now, known } = await ctx.run('clock and known event terms', () => {
      const now = Date.now();
      return { now, known: toHold(now).requests.map(([eventId, request]) => terms.offer(eventId, request, now) ?? null) };
    });
    const { cart, wanted, requests } = toHold(now);
    if (wanted.length === 0) return { ok: true, held: [...ticketIds] };
    const offers = new Map<string, Offer>();
    for (const [[eventId, request], offer] of zip(requests, known)) offers.set(eventId, offer ?? (await askEvent(ctx, eventId, request, now, terms)));
    const plan = planHold(cart, await loadBought(ctx), wanted, offers, config.holdMillis);
    if (!plan.ok) throw new restate.TerminalError(plan.message, { errorCode: plan.status });

    // A seat this user removed while its hold ran gets that hold's end back, not a fresh hold (see Released).
    const released = await loadReleased(ctx);
    const holds = plan.holds.map((hold) => ({ ...hold, holdId: ctx.rand.uuidv4(), ...resumedHold(released, hold.ticketId, now, now + hold.holdMillis) }));
    // An operator cancelling this add while its seats are being reserved does not stop the reserve calls already
    // sent, and the holds they take would be in no cart until they ran out: give back every hold it asked for (a
    // release queues behind the seat's reserve; one of a hold never taken changes nothing).
    const outcomes = await reserveAll(ctx, userId, holds, now).catch(async (error: unknown) => {
      if (isCancellation(error)) await releaseAll(ctx, userId, holds);
      throw error;
    });
    if (outcomes.some(({ got }) => !got)) {
      // All or nothing: give back what this attempt took before answering.
      await releaseAll(ctx, userId, outcomes.filter(({ got }) => got).map(({ hold }) => hold));
      const taken = outcomes.filter(({ got }) => !got).map(({ hold }) => hold.ticketId);
      ctx.console.info('seats taken by others', { userId, seats: taken });
      return { ok: false, reason: 'taken', taken };
    }

    const items = holds.map(({ ticketId, eventId, holdId, priceCents, currency, expiresAt, keptForCheckout }): CartItem => ({
      ticketId,
      eventId,
      holdId,
      priceCents,
      currency,
      expiresAt,
      ...(keptForCheckout ? { keptForCheckout } : {}),
    }));
    tidyLater(ctx, userId, items, now);
    saveCart(ctx, addItems(cart, items));
    forgetReleasedHolds(ctx, released, items.map((item) => item.ticketId), now);
    ctx.console.info('seats held', { userId, seats: items.map((item) => item.ticketId), expiresAt: items[0]?.expiresAt });
    return { ok: true, held: [...ticketIds] };
  }

  /**
   * Make sure no hold of `live` runs out while its buyer pays: any that would within the checkout grace is kept that
   * long (the holder asking TicketDb again), once per hold. Answers the lines to check out, with their new times, and
   * those TicketDb would not keep: their seat is no longer this buyer's (an operator gave it to someone else).
   */
  async function keepThroughCheckout(ctx: restate.ObjectContext, userId: string, live: readonly CartItem[], now: number) {
    const short = needMoreTime(live, now, config.checkoutGraceMillis);
    if (short.length === 0) return { kept: [...live], lost: [] };
    const until = now + config.checkoutGraceMillis;
    const results = await restate.RestatePromise.all(short.map((item) => ctx.client(TicketDb, item.ticketId).reserve({ userId, holdId: item.holdId, until, now })));
    const lost = zip(short, results).filter(([item, result]) => !gotSeat(result, item.holdId)).map(([item]) => item);
    const kept = live
      .filter((item) => !lost.includes(item))
      .map((item): CartItem => (short.includes(item) ? { ...item, expiresAt: until, keptForCheckout: true } : item));
    return { kept, lost };
  }

  return restate.implement(UserSession, {
    handlers: {
      addTicket: async (ctx, { ticketId }) => (await holdAll(ctx, [ticketId])).ok,

      addTickets: (ctx, { ticketIds }) => holdAll(ctx, ticketIds),

      removeTicket: async (ctx, { ticketId }) => {
        const userId = validKey(UserId, ctx.key);
        const { cart, removed } = removeItem(await loadCart(ctx), ticketId);
        if (!removed) return false;
        // Wait for TicketDb so the seat is free for the next buyer by the time this call returns.
        await releaseAll(ctx, userId, [removed]);
        // The seat is free now, so the cart and the memory of the removal must follow, even if a cancellation
        // lands on these reads.
        const [released, now] = await untilDone(async () => [await loadReleased(ctx), await ctx.date.now()] as const);
        saveCart(ctx, cart);
        saveReleased(ctx, rememberRelease(released, removed, now));
        return true;
      },

      expireHolds: async (ctx, { holds }) => {
        const userId = validKey(UserId, ctx.key);
        const now = await ctx.date.now();
        // The seats are already free in TicketDb (a hold ends by itself); this only keeps the cart small. So an
        // on-sale's worth of holds running out together costs one small call per cart, not one per seat.
        const { cart, expired, later } = tidyExpired(await loadCart(ctx), holds, now);
        if (later.length > 0) tidyLater(ctx, userId, later, now);
        // A seat removed from this add's holds is remembered until its hold would have ended: by now, at the latest.
        forgetReleasedHolds(ctx, await loadReleased(ctx), [], now);
        if (expired.length === 0) return 0;
        saveCart(ctx, cart);
        ctx.console.info('holds expired', { userId, seats: expired.map((item) => item.ticketId) });
        return expired.length;
      },

      checkout: async (ctx, request) => {
        const userId = validKey(UserId, ctx.key);
        const cart = await loadCart(ctx);
        if (cart.length === 0) return checkoutFailure('empty_cart', 'Your cart is empty.');

        // Holds whose time is up are over (TicketDb already treats them as free), even if their tidy-up has not run.
        const now = await ctx.date.now();
        const unexpired = partitionByExpiry(cart, now).live;
        const { kept: live, lost } = await keepThroughCheckout(ctx, userId, unexpired, now).catch(async (error: unknown) => {
          // An operator cancelled the checkout while its holds were being kept: some may now last the grace, others
          // not. Give them all back, as when a payment is cancelled, rather than leave seats held that no cart shows.
          if (isCancellation(error)) await giveUpCart(ctx, userId, unexpired);
          throw error;
        });
        const changed = live.length !== cart.length || live.some((item, index) => item !== cart[index]);
        if (changed) saveCart(ctx, live); // run-out or lost lines dropped, or holds kept longer
        if (lost.length > 0) {
          // Buying the rest without asking would sell a group fewer seats than it chose: say so and charge nothing.
          return checkoutFailure('seats_unavailable', lostSeatsMessage(lost, live));
        }
        if (live.length === 0) return checkoutFailure('holds_expired', 'Your holds expired before checkout; add the seats again.');
        const keptHoldsEndAt = holdsEnd(live);

        const order: PlaceOrder = {
          // Not ctx.rand: Restate seeds it from the invocation id, which a client's idempotency key determines, so a
          // key used again once its first answer is forgotten (a day later) would make the first order's id again.
          orderId: await ctx.run('order id', () => randomUUID()),
          userId,
          email: request.email,
          paymentMethod: request.paymentMethod,
          currency: cartCurrency(live) ?? config.currency,
          lines: toOrderLines(live),
          ...(keptHoldsEndAt === undefined ? {} : { keptHoldsEndAt }),
        };
        let result: CheckoutResult;
        try {
          result = await placeOrder(ctx, order);
        } catch (error) {
          // The order did not go through (an operator cancelled the checkout, and CheckoutProcess undid what it had
          // done): the holds are in an unknown state, as after seats_unavailable. Give them back rather than show
          // seats that the next checkout could only pay for and then refund.
          if (error instanceof restate.TerminalError) await giveUpCart(ctx, userId, live);
          throw error;
        }
        if (result.ok) {
          // The order stands, so the cart and the user's records must follow it even if another cancellation lands
          // on these reads: they are finished before anything is written.
          const [bought, orders] = await untilDone(async () => [await loadBought(ctx), await loadOrders(ctx)] as const);
          // The seats are sold; their tidy-up calls will find nothing left to do.
          saveCart(ctx, EMPTY_CART);
          ctx.set(BOUGHT, recordPurchase(bought, live));
          const summary: OrderSummary = {
            orderId: result.orderId,
            status: 'confirmed',
            totalCents: result.totalCents,
            currency: result.currency,
            ticketIds: result.tickets.map((ticket) => ticket.ticketId),
            createdAt: result.createdAt,
          };
          ctx.set(ORDERS, [...orders, summary]);
        } else if (result.reason === 'seats_unavailable') {
          // CheckoutProcess refunded; the holds are in an unknown state, so give them all back.
          await giveUpCart(ctx, userId, live);
        }
        // A declined payment keeps the seats held until their expiry, so the user can retry.
        ctx.console.info('checkout', { userId, seats: live.map((item) => item.ticketId), ...(result.ok ? { orderId: result.orderId } : { reason: result.reason }) });
        return result;
      },

      getCart: async (ctx) => {
        validKey(UserId, ctx.key);
        // The journaled clock, as in TicketDb's status: a retried answer must be the same answer.
        return viewCart(await loadCart(ctx), await ctx.date.now(), config.currency);
      },

      getOrders: async (ctx) => {
        validKey(UserId, ctx.key);
        return loadOrders(ctx);
      },

      getOrder: async (ctx, { orderId }) => {
        validKey(UserId, ctx.key);
        ownOrder(await loadOrders(ctx), orderId);
        return ctx.client(Order, orderId).get();
      },

      cancelOrder: async (ctx, { orderId }) => {
        validKey(UserId, ctx.key);
        ownOrder(await loadOrders(ctx), orderId);
        const cancelled = await ctx.client(Order, orderId).cancel();
        // Recorded now, so the answer and the list agree; Order's orderCancelled message then finds nothing to do.
        if (cancelled.status === 'cancelled') await recordCancellation(ctx, orderId);
        return cancelled;
      },

      orderCancelled: async (ctx, { orderId }) => {
        validKey(UserId, ctx.key);
        await recordCancellation(ctx, orderId);
      },

      orderPartRefunded: async (ctx, refund) => {
        validKey(UserId, ctx.key);
        const recorded = recordPartRefund(await loadOrders(ctx), refund);
        if (!recorded) return;
        ctx.set(BOUGHT, releasePurchase(await loadBought(ctx), recorded.released));
        ctx.set(ORDERS, recorded.orders);
      },
    },
    // Carts change often and their journals are not needed once done; keeping them cost disk per reservation.
    options: {
      journalRetention: 0,
      handlers: { expireHolds: { ingressPrivate: true }, orderCancelled: { ingressPrivate: true }, orderPartRefunded: { ingressPrivate: true } },
    },
  });
}
