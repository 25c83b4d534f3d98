import { holdIsOver, type SeatChange } from '@tickets/contracts';

type MapState = SeatChange['state'];

/**
 * The last known state of every seat of one row that has ever changed, with the version of that change (and, for a
 * hold, until when). Seats never seen are available. Keeping the version of released seats too means a late, older
 * "held" is ignored.
 */
export type Row = Readonly<Record<number, readonly [state: MapState, version: number, until?: number]>>;

export const EMPTY_ROW: Row = {};

/**
 * A row is stored in chunks of this many seats, one state entry each, so a change rewrites one chunk rather than
 * the whole row: a 500-seat row as one value meant about 15 KB written to the log and the store per change. A read
 * gets every chunk, and each get is a journal entry, so a chunk per seat would make the seat map slow instead.
 */
export const SEATS_PER_CHUNK = 50;

/** The state key of the chunk holding seat `number` (1-based). */
export const chunkKey = (number: number): string => `seats-${Math.floor((number - 1) / SEATS_PER_CHUNK)}`;

/** The state keys of every chunk of a row of `seatCount` seats, seat 1's first. */
export const chunkKeys = (seatCount: number): string[] =>
  Array.from({ length: Math.ceil(seatCount / SEATS_PER_CHUNK) }, (_, index) => chunkKey(index * SEATS_PER_CHUNK + 1));

/** The row made of its chunks (missing chunks: no seat of theirs has changed yet). */
export const joinChunks = (chunks: readonly (Row | null | undefined)[]): Row => Object.assign({}, ...chunks);

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
