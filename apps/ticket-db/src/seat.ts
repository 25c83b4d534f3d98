import { holdIsOver, type HoldRef, type ReserveRequest, type ReserveResult, type SaleRef, type SaleRequest, type SeatStatus } from '@tickets/contracts';

/**
 * The life of one seat. Only the holder's hold id can release or sell a reserved seat, so a late or duplicated
 * message from an older hold can never touch a newer one. A hold ends by itself at `until`: from then on the seat is
 * free for anyone, with no call needed to free it (so thousands of holds ending together cost nothing). Until someone
 * else takes it, the old holder may still buy it.
 */
export type Seat =
  | { state: 'available' }
  | { state: 'reserved'; userId: string; holdId: string; until: number }
  | { state: 'sold'; userId: string; orderId: string };

export const AVAILABLE: Seat = { state: 'available' };

/**
 * A seat's one state value: the seat, and how many changes it has had (`version`, which the availability map orders
 * changes by). An available seat keeps its version, so it only ever grows. One value instead of two saves a state
 * read and a write on every change.
 */
export type StoredSeat = Seat & { version?: number };

/** Whether a stored seat lacks the version TicketDb always writes with it: someone else wrote it. */
export const isHandWritten = (stored: StoredSeat | null | undefined): boolean => stored != null && stored.version === undefined;

export interface Transition<R> {
  seat: Seat;
  result: R;
}

const unchanged = <R>(seat: Seat, result: R): Transition<R> => ({ seat, result });

const isHolder = (seat: Seat, hold: HoldRef): seat is Extract<Seat, { state: 'reserved' }> =>
  seat.state === 'reserved' && seat.userId === hold.userId && seat.holdId === hold.holdId;

/** Whether the seat is held at `now`: a hold whose `until` has come is over. */
export const isHeld = (seat: Seat, now: number): seat is Extract<Seat, { state: 'reserved' }> => seat.state === 'reserved' && !holdIsOver(seat.until, now);

export function reserve(seat: Seat, request: ReserveRequest): Transition<ReserveResult> {
  const granted: ReserveResult = { ok: true, holdId: request.holdId };
  if (isHolder(seat, request)) {
    // A retried reserve of the very same hold is a success; asking again with a later `until` keeps the seat longer.
    return request.until > seat.until ? { seat: { ...seat, until: request.until }, result: granted } : unchanged(seat, granted);
  }
  if (seat.state === 'sold') return unchanged(seat, { ok: false, reason: 'sold' });
  // Anyone else (even the same user under another hold) waits until the hold runs out.
  if (isHeld(seat, request.now)) return unchanged(seat, { ok: false, reason: 'held' });
  return { seat: { state: 'reserved', userId: request.userId, holdId: request.holdId, until: request.until }, result: granted };
}

export function release(seat: Seat, hold: HoldRef): Transition<boolean> {
  return isHolder(seat, hold) ? { seat: AVAILABLE, result: true } : unchanged(seat, false);
}

export function markAsSold(seat: Seat, sale: SaleRequest): Transition<boolean> {
  if (isHolder(seat, sale)) {
    return { seat: { state: 'sold', userId: sale.userId, orderId: sale.orderId }, result: true };
  }
  // Selling twice to the same order is a retry, not a second sale.
  return unchanged(seat, seat.state === 'sold' && seat.orderId === sale.orderId);
}

export function cancelSale(seat: Seat, sale: SaleRef): Transition<boolean> {
  return seat.state === 'sold' && seat.orderId === sale.orderId ? { seat: AVAILABLE, result: true } : unchanged(seat, false);
}

/** The public view at `now`: the state, never who holds or bought the seat. */
export function publicStatus(ticketId: string, seat: Seat, now: number): SeatStatus {
  if (seat.state === 'reserved') return isHeld(seat, now) ? { ticketId, state: seat.state, heldUntil: seat.until } : { ticketId, state: 'available' };
  return { ticketId, state: seat.state };
}

/** The change the availability map is sent: one letter, and until when a hold lasts. */
export function seatChange(seat: Seat): { state: 'a' | 'h' | 's'; until?: number } {
  if (seat.state === 'reserved') return { state: 'h', until: seat.until };
  return { state: seat.state === 'available' ? 'a' : 's' };
}
