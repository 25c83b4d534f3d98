import * as restate from '@restatedev/restate-sdk';
import { parseSeatId, rowKey, RowAvailability, TicketDb, TicketId } from '@tickets/contracts';
import { validKey } from '@tickets/service-runtime';
import { AVAILABLE, cancelSale, isHandWritten, markAsSold, publicStatus, release, reserve, seatChange, type Seat, type StoredSeat, type Transition } from './seat.js';

const SEAT = 'seat';

async function loadSeat(ctx: restate.ObjectSharedContext): Promise<StoredSeat> {
  return (await ctx.get<StoredSeat>(SEAT)) ?? AVAILABLE;
}

/**
 * The version of the seat's next change. A seat stored without one was written by hand (an operator's edit through
 * the admin API), and the seat map may know it by versions higher than a count restarted from 1, so it would ignore
 * every change until the count caught up. So the count goes on from the clock instead (in ms, above any count); an
 * edit is rare, and only then is the clock read.
 */
async function nextVersion(ctx: restate.ObjectContext, stored: StoredSeat | null): Promise<number> {
  return isHandWritten(stored) ? await ctx.date.now() : (stored?.version ?? 0) + 1;
}

/** Tell the seat's row shard, one-way, so availability follows without the reserve path waiting for it. */
function publishChange(ctx: restate.ObjectContext, seat: Seat, version: number): void {
  const address = parseSeatId(ctx.key);
  if (!address) return;
  ctx.sendClient(RowAvailability, rowKey(address.eventId, address.row)).seatChanged({ number: address.number, version, ...seatChange(seat) });
}

// The journaled clock, even for a read: the answer is journaled too, and a retry after a crash that came between
// answering and finishing must give the same answer, or the invocation is stuck on a journal mismatch.
const currentStatus = async (ctx: restate.ObjectSharedContext, ticketId: string) => publicStatus(ticketId, await loadSeat(ctx), await ctx.date.now());

/** Load the seat, apply one pure transition, store the result with its version and publish it. */
async function apply<R>(ctx: restate.ObjectContext, transition: (seat: Seat) => Transition<R>): Promise<R> {
  const stored = await ctx.get<StoredSeat>(SEAT);
  const before = stored ?? AVAILABLE;
  const { seat, result } = transition(before);
  if (seat !== before) {
    const version = await nextVersion(ctx, stored);
    ctx.set(SEAT, { ...seat, version });
    publishChange(ctx, seat, version);
  }
  return result;
}

export const ticketDb = restate.implement(TicketDb, {
  handlers: {
    reserve: (ctx, request) => apply(ctx, (seat) => reserve(seat, request)),
    release: (ctx, hold) => apply(ctx, (seat) => release(seat, hold)),
    markAsSold: (ctx, sale) => apply(ctx, (seat) => markAsSold(seat, sale)),
    cancelSale: (ctx, sale) => apply(ctx, (seat) => cancelSale(seat, sale)),
    status: async (ctx) => currentStatus(ctx, validKey(TicketId, ctx.key)),
    recheck: (ctx) => currentStatus(ctx, ctx.key),
  },
  options: {
    // Seats change often and their journals are not needed once done; keeping them cost disk per reservation.
    journalRetention: 0,
    handlers: {
      // Reserve calls carry an idempotency key shared by everyone asking for the seat in the same second; their
      // answers are needed only that long, and each one kept is partition-store space per reservation.
      reserve: { ingressPrivate: true, idempotencyRetention: 10_000 },
      // The losers of a hot seat share a status read per 50 ms the same way (user-session's statusCallKey).
      recheck: { ingressPrivate: true, idempotencyRetention: 10_000 },
      // A client's own idempotency keys for a read need not be kept long either.
      status: { idempotencyRetention: 10_000 },
      release: { ingressPrivate: true },
      markAsSold: { ingressPrivate: true },
      cancelSale: { ingressPrivate: true },
    },
  },
});
