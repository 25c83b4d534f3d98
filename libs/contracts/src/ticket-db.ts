import { iface } from '@restatedev/restate-sdk-core';
import { z } from 'zod';
import { EpochMillis, HoldId, OrderId, TicketId, UserId } from './ids.js';

/**
 * Hold the seat until `until`. A hold ends by itself at its `until`: `now` is the caller's journaled clock, against
 * which an older hold is judged to have run out. The holder asking again moves its own `until` later, never earlier.
 */
export const ReserveRequest = z.object({ userId: UserId, holdId: HoldId, until: EpochMillis, now: EpochMillis });
export type ReserveRequest = z.infer<typeof ReserveRequest>;

/**
 * A reserve's answer. Callers for the same seat in the same second may share one reserve call (see UserSession), so
 * a success names the hold that got the seat: only the caller with that hold id has it.
 */
export const ReserveResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), holdId: HoldId }),
  z.object({ ok: z.literal(false), reason: z.enum(['held', 'sold']) }),
]);
export type ReserveResult = z.infer<typeof ReserveResult>;

/**
 * The one rule for when a hold ends, shared by TicketDb, the availability map and the cart: at its `until`, exactly.
 * Nothing has to run then; whoever looks at the hold afterwards sees it over.
 */
export const holdIsOver = (until: number, now: number): boolean => until <= now;

export const HoldRef = z.object({ userId: UserId, holdId: HoldId });
export type HoldRef = z.infer<typeof HoldRef>;

export const SaleRequest = HoldRef.extend({ orderId: OrderId });
export type SaleRequest = z.infer<typeof SaleRequest>;

export const SaleRef = z.object({ orderId: OrderId });
export type SaleRef = z.infer<typeof SaleRef>;

/** What anyone may see about a seat: never who holds or bought it. */
export const SeatStatus = z.object({
  ticketId: TicketId,
  state: z.enum(['available', 'reserved', 'sold']),
  heldUntil: EpochMillis.optional(),
});
export type SeatStatus = z.infer<typeof SeatStatus>;

/**
 * TicketDb: one virtual object per seat (key: ticket id). Single-writer per key makes every seat change a
 * serial, exactly-once state transition.
 */
export const TicketDb = iface.object('TicketDb', {
  /** Internal: hold the seat for `userId` under `holdId` until `until` (or, for the holder, keep it that long). */
  reserve: iface.schemas({ input: ReserveRequest, output: ReserveResult }),
  /** Internal: end the hold, only if it is this user's hold with this id. */
  release: iface.schemas({ input: HoldRef, output: z.boolean() }),
  /** Internal: turn this user's hold into a sale for `orderId`. Idempotent per order. */
  markAsSold: iface.schemas({ input: SaleRequest, output: z.boolean() }),
  /** Internal: put a seat sold to `orderId` back on sale (refund, failed checkout). */
  cancelSale: iface.schemas({ input: SaleRef, output: z.boolean() }),
  /** Public: the seat's state; a hold whose time is up reads as available. */
  status: iface.shared.schemas({ output: SeatStatus }),
  /**
   * Internal: the same read, for the buyers told "taken" who share it per 50 ms (user-session's statusCallKey). Not
   * `status` itself: anyone outside could call that with the same idempotency key ahead of time, and the buyers
   * sharing the key would get that older answer.
   */
  recheck: iface.shared.schemas({ output: SeatStatus }),
});

export const TICKET_DB_INTERNAL_HANDLERS = ['reserve', 'release', 'markAsSold', 'cancelSale', 'recheck'] as const;
