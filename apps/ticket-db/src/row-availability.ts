import { holdIsOver, type SeatChange } from '@tickets/contracts';

type MapState = SeatChange['state'];

/**
 * The last known state of every seat of one row that has ever changed, with the version of that change (and, for a
 * hold, until when). Seats never seen are available. Keeping the version of released seats too means a late, older
 * "held" is ignored.
 */
export type Row = Readonly<Record<number, readonly [state: MapState, version: number, until?: number]>>;

export const EMPTY_ROW: Row = {};

/** Apply one seat change unless a newer change of the same seat was already applied. */
export function applyChange(row: Row, change: SeatChange): Row {
  if ((row[change.number]?.[1] ?? 0) >= change.version) return row;
  return { ...row, [change.number]: change.until === undefined ? [change.state, change.version] : [change.state, change.version, change.until] };
}

/** One letter per seat at `now`, seat 1 first: a hold whose time is up shows as available, as TicketDb treats it. */
export function renderRow(row: Row, seatCount: number, now: number): string {
  let out = '';
  for (let number = 1; number <= seatCount; number++) {
    const [state = 'a', , until = Infinity] = row[number] ?? [];
    out += state === 'h' && holdIsOver(until, now) ? 'a' : state;
  }
  return out;
}
