import * as restate from '@restatedev/restate-sdk';
import {
  CheckoutProcess,
  Email,
  TicketDb,
  UserId,
  UserSession,
  type CheckoutFailureReason,
  type CheckoutResult,
  type Currency,
} from '@tickets/contracts';
import { validKey } from '@tickets/service-runtime';
import {
  addItem,
  EMPTY_CART,
  expireHold,
  findItem,
  partitionByExpiry,
  removeItem,
  toOrderLines,
  viewCart,
  type Cart,
  type CartItem,
} from './cart.js';

export interface UserSessionConfig {
  /** How long a seat stays held before its expiry call releases it. */
  holdMillis: number;
  currency: Currency;
}

const CART = 'cart';

const loadCart = async (ctx: restate.ObjectSharedContext): Promise<Cart> => (await ctx.get<Cart>(CART)) ?? EMPTY_CART;

function saveCart(ctx: restate.ObjectContext, cart: Cart): void {
  if (cart.length === 0) ctx.clear(CART);
  else ctx.set(CART, cart);
}

const failure = (reason: CheckoutFailureReason, message: string): CheckoutResult => ({ ok: false, reason, message });

/** Until checkout takes an address (it may), a user id that is an email address is used, else a placeholder. */
const contactEmail = (userId: string, given?: string): string =>
  given ?? (Email.safeParse(userId).success ? userId : `${userId}@example.com`);

export function createUserSession(config: UserSessionConfig) {
  /** End holds now: the expiry calls no longer need to run, and TicketDb frees the seats. */
  function endHolds(ctx: restate.ObjectContext, userId: string, items: readonly CartItem[]) {
    for (const item of items) ctx.invocation(restate.InvocationIdParser.fromString(item.expiryTimerId)).cancel();
    return restate.RestatePromise.all(
      items.map((item) => ctx.client(TicketDb, item.ticketId).release({ userId, holdId: item.holdId })),
    );
  }

  return restate.implement(UserSession, {
    handlers: {
      addTicket: async (ctx, { ticketId }) => {
        const userId = validKey(UserId, ctx.key);
        const cart = await loadCart(ctx);
        // Re-adding a seat you hold succeeds but does not extend the hold.
        if (findItem(cart, ticketId)) return true;

        const holdId = ctx.rand.uuidv4();
        const expiresAt = (await ctx.date.now()) + config.holdMillis;
        const reservation = await ctx.client(TicketDb, ticketId).reserve({ userId, holdId, until: expiresAt });
        if (!reservation.ok) return false;

        const expiry = ctx
          .sendClient(UserSession, userId)
          .expireTicket({ ticketId, holdId }, restate.rpc.sendOpts({ delay: config.holdMillis }));
        const expiryTimerId = await expiry.invocationId;
        saveCart(ctx, addItem(cart, { ticketId, holdId, priceCents: reservation.priceCents, expiresAt, expiryTimerId }));
        return true;
      },

      removeTicket: async (ctx, { ticketId }) => {
        const userId = validKey(UserId, ctx.key);
        const { cart, removed } = removeItem(await loadCart(ctx), ticketId);
        if (!removed) return false;
        // Wait for TicketDb so the seat is free for the next buyer by the time this call returns.
        await endHolds(ctx, userId, [removed]);
        saveCart(ctx, cart);
        return true;
      },

      expireTicket: async (ctx, { ticketId, holdId }) => {
        const userId = validKey(UserId, ctx.key);
        const { cart, expired } = expireHold(await loadCart(ctx), ticketId, holdId);
        if (!expired) return false; // a stale timer: the seat was removed, bought or re-held since
        await ctx.client(TicketDb, ticketId).release({ userId, holdId });
        saveCart(ctx, cart);
        return true;
      },

      checkout: async (ctx, request) => {
        const userId = validKey(UserId, ctx.key);
        const cart = await loadCart(ctx);
        if (cart.length === 0) return failure('empty_cart', 'Your cart is empty.');

        const { live, expired } = partitionByExpiry(cart, await ctx.date.now());
        if (expired.length > 0) {
          await endHolds(ctx, userId, expired);
          saveCart(ctx, live);
        }
        if (live.length === 0) return failure('holds_expired', 'Your holds expired before checkout; add the seats again.');

        const result = await ctx.client(CheckoutProcess).placeOrder({
          orderId: ctx.rand.uuidv4(),
          userId,
          email: contactEmail(userId, request.email),
          paymentMethod: request.paymentMethod,
          currency: config.currency,
          lines: toOrderLines(live),
        });
        if (result.ok) {
          // The seats are sold: their expiry calls must never run.
          for (const item of live) ctx.invocation(restate.InvocationIdParser.fromString(item.expiryTimerId)).cancel();
          saveCart(ctx, EMPTY_CART);
        } else if (result.reason === 'seats_unavailable') {
          // CheckoutProcess refunded; the holds are in an unknown state, so give them all back.
          await endHolds(ctx, userId, live);
          saveCart(ctx, EMPTY_CART);
        }
        // A declined payment keeps the seats held until their expiry, so the user can retry.
        return result;
      },

      getCart: async (ctx) => {
        validKey(UserId, ctx.key);
        return viewCart(await loadCart(ctx), await ctx.date.now(), config.currency);
      },
    },
    options: { handlers: { expireTicket: { ingressPrivate: true } } },
  });
}
