import type { HoldRef, ReserveRequest, ReserveResult, SaleRef, SaleRequest, SeatStatus } from '@tickets/contracts';

/**
 * The life of one seat. Only the holder's hold id can release or sell a reserved seat, so a late or duplicated
 * message from an older hold can never touch a newer one.
 */
export type Seat =
  | { state: 'available' }
  | { state: 'reserved'; userId: string; holdId: string; until: number }
  | { state: 'sold'; userId: string; orderId: string };

export const AVAILABLE: Seat = { state: 'available' };

export interface Transition<R> {
  seat: Seat;
  result: R;
}

const unchanged = <R>(seat: Seat, result: R): Transition<R> => ({ seat, result });

const isHolder = (seat: Seat, hold: HoldRef): seat is Extract<Seat, { state: 'reserved' }> =>
  seat.state === 'reserved' && seat.userId === hold.userId && seat.holdId === hold.holdId;

export function reserve(seat: Seat, request: ReserveRequest): Transition<ReserveResult> {
  switch (seat.state) {
    case 'available':
      return {
        seat: { state: 'reserved', userId: request.userId, holdId: request.holdId, until: request.until },
        result: { ok: true, holdId: request.holdId },
      };
    case 'reserved':
      // A retried reserve of the very same hold is a success; anyone else (even the same user under another hold) waits.
      return isHolder(seat, request) ? unchanged(seat, { ok: true, holdId: seat.holdId }) : unchanged(seat, { ok: false, reason: 'held' });
    case 'sold':
      return unchanged(seat, { ok: false, reason: 'sold' });
  }
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

/** The public view: the state, never who holds or bought the seat. */
export function publicStatus(ticketId: string, seat: Seat): SeatStatus {
  return seat.state === 'reserved' ? { ticketId, state: seat.state, heldUntil: seat.until } : { ticketId, state: seat.state };
}

/** The one-letter state the availability map shows. */
export const mapState = (seat: Seat): 'a' | 'h' | 's' => (seat.state === 'available' ? 'a' : seat.state === 'reserved' ? 'h' : 's');
