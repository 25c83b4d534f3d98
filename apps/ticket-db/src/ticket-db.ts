import * as restate from '@restatedev/restate-sdk';
import { parseSeatId, rowKey, RowAvailability, TicketDb, TicketId } from '@tickets/contracts';
import { readOnlyNow, validKey } from '@tickets/service-runtime';
import { AVAILABLE, cancelSale, markAsSold, publicStatus, release, reserve, seatChange, type Seat, type Transition } from './seat.js';

const SEAT = 'seat';
/** Counts this seat's state changes; survives the seat becoming available again, so it only ever grows. */
const VERSION = 'version';

async function loadSeat(ctx: restate.ObjectSharedContext): Promise<Seat> {
  return (await ctx.get<Seat>(SEAT)) ?? AVAILABLE;
}

/** Tell the seat's row shard, one-way, so availability follows without the reserve path waiting for it. */
async function publishChange(ctx: restate.ObjectContext, seat: Seat): Promise<void> {
  const address = parseSeatId(ctx.key);
  if (!address) return;
  const version = ((await ctx.get<number>(VERSION)) ?? 0) + 1;
  ctx.set(VERSION, version);
  ctx.sendClient(RowAvailability, rowKey(address.eventId, address.row)).seatChanged({ number: address.number, version, ...seatChange(seat) });
}

/** Load the seat, apply one pure transition, store the result; an available seat keeps no seat state at all. */
async function apply<R>(ctx: restate.ObjectContext, transition: (seat: Seat) => Transition<R>): Promise<R> {
  const before = await loadSeat(ctx);
  const { seat, result } = transition(before);
  if (seat !== before) {
    if (seat.state === 'available') ctx.clear(SEAT);
    else ctx.set(SEAT, seat);
    await publishChange(ctx, seat);
  }
  return result;
}

export const ticketDb = restate.implement(TicketDb, {
  handlers: {
    reserve: (ctx, request) => apply(ctx, (seat) => reserve(seat, request)),
    release: (ctx, hold) => apply(ctx, (seat) => release(seat, hold)),
    markAsSold: (ctx, sale) => apply(ctx, (seat) => markAsSold(seat, sale)),
    cancelSale: (ctx, sale) => apply(ctx, (seat) => cancelSale(seat, sale)),
    status: async (ctx) => publicStatus(validKey(TicketId, ctx.key), await loadSeat(ctx), readOnlyNow()),
  },
  options: {
    // Seats change often and their journals are not needed once done; keeping them cost disk per reservation.
    journalRetention: 0,
    handlers: {
      // Reserve calls carry an idempotency key shared by everyone asking for the seat in the same second; their
      // answers are needed only that long, and each one kept is partition-store space per reservation.
      reserve: { ingressPrivate: true, idempotencyRetention: 10_000 },
      release: { ingressPrivate: true },
      markAsSold: { ingressPrivate: true },
      cancelSale: { ingressPrivate: true },
    },
  },
});
