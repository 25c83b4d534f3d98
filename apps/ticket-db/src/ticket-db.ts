import * as restate from '@restatedev/restate-sdk';
import { TicketDb, TicketId } from '@tickets/contracts';
import { validKey } from '@tickets/service-runtime';
import { seatPriceCents } from './pricing.js';
import { AVAILABLE, cancelSale, markAsSold, publicStatus, release, reserve, type Seat, type Transition } from './seat.js';

const SEAT = 'seat';

async function loadSeat(ctx: restate.ObjectSharedContext): Promise<Seat> {
  return (await ctx.get<Seat>(SEAT)) ?? AVAILABLE;
}

/** Load the seat, apply one pure transition, store the result; an available seat keeps no state at all. */
async function apply<R>(ctx: restate.ObjectContext, transition: (seat: Seat) => Transition<R>): Promise<R> {
  const before = await loadSeat(ctx);
  const { seat, result } = transition(before);
  if (seat !== before) {
    if (seat.state === 'available') ctx.clear(SEAT);
    else ctx.set(SEAT, seat);
  }
  return result;
}

export const ticketDb = restate.implement(TicketDb, {
  handlers: {
    reserve: (ctx, request) => apply(ctx, (seat) => reserve(seat, request, seatPriceCents(ctx.key))),
    release: (ctx, hold) => apply(ctx, (seat) => release(seat, hold)),
    markAsSold: (ctx, sale) => apply(ctx, (seat) => markAsSold(seat, sale)),
    cancelSale: (ctx, sale) => apply(ctx, (seat) => cancelSale(seat, sale)),
    status: async (ctx) => publicStatus(validKey(TicketId, ctx.key), await loadSeat(ctx)),
  },
  options: {
    handlers: {
      reserve: { ingressPrivate: true },
      release: { ingressPrivate: true },
      markAsSold: { ingressPrivate: true },
      cancelSale: { ingressPrivate: true },
    },
  },
});
