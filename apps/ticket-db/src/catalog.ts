import type { Availability, EventDefinition, EventSummary, Offer, OfferRequest, SaleStatus, SeatCounts, Section } from '@tickets/contracts';

export const seatCount = (event: EventDefinition): number =>
  event.sections.reduce((sum, section) => sum + section.rows.reduce((rows, row) => rows + row.seats, 0), 0);

/** JSON with object keys sorted, so two equal definitions compare equal whatever order their fields came in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const sameDefinition = (a: EventDefinition, b: EventDefinition): boolean => canonical(a) === canonical(b);

export type SaleAction = 'open' | 'close';

/** Sales can be opened, closed and reopened; closing stops new holds only. */
export function nextStatus(_current: SaleStatus, action: SaleAction): SaleStatus {
  return action === 'open' ? 'on_sale' : 'closed';
}

export const summarize = (eventId: string, definition: EventDefinition, status: SaleStatus): EventSummary => ({
  eventId,
  status,
  seatCount: seatCount(definition),
  definition,
});

function sectionOfRow(event: EventDefinition, row: string): Section | undefined {
  return event.sections.find((section) => section.rows.some((r) => r.label === row));
}

/** May these seats be held now, and at what price each. */
export function offerSeats(
  eventId: string,
  event: EventDefinition | undefined,
  status: SaleStatus | undefined,
  request: OfferRequest,
): Offer {
  if (!event || !status) return { ok: false, reason: 'no_such_event', message: `No such event: ${eventId}.` };
  if (status !== 'on_sale') {
    const message = status === 'closed' ? `Sales for ${eventId} are closed.` : `${eventId} is not on sale yet.`;
    return { ok: false, reason: 'not_on_sale', message };
  }
  const pricesCents: number[] = [];
  const missing: string[] = [];
  for (const seat of request.seats) {
    const section = sectionOfRow(event, seat.row);
    const row = section?.rows.find((r) => r.label === seat.row);
    if (!section || !row || seat.number > row.seats) missing.push(`${seat.row}${seat.number}`);
    else pricesCents.push(section.priceCents);
  }
  if (missing.length > 0) return { ok: false, reason: 'no_such_seat', message: `${eventId} has no seat ${missing.join(', ')}.` };
  return { ok: true, currency: event.currency, maxSeatsPerUser: event.maxSeatsPerUser, holdSeconds: event.holdSeconds, pricesCents };
}

function countStates(states: string): SeatCounts {
  const counts = { available: 0, held: 0, sold: 0 };
  for (const state of states) {
    if (state === 'h') counts.held++;
    else if (state === 's') counts.sold++;
    else counts.available++;
  }
  return counts;
}

const addCounts = (a: SeatCounts, b: SeatCounts): SeatCounts => ({
  available: a.available + b.available,
  held: a.held + b.held,
  sold: a.sold + b.sold,
});

/** Put the per-row states back together into the event's seat map with counts per section and in total. */
export function assembleAvailability(
  eventId: string,
  event: EventDefinition,
  status: SaleStatus,
  rowStates: ReadonlyMap<string, string>,
  asOf: number,
): Availability {
  const zero: SeatCounts = { available: 0, held: 0, sold: 0 };
  const sections = event.sections.map((section) => {
    const rows = section.rows.map((row) => ({ label: row.label, seats: rowStates.get(row.label) ?? 'a'.repeat(row.seats) }));
    const counts = rows.map((row) => countStates(row.seats)).reduce(addCounts, zero);
    return { id: section.id, name: section.name, priceCents: section.priceCents, counts, rows };
  });
  const totals = sections.map((section) => section.counts).reduce(addCounts, zero);
  return { eventId, status, currency: event.currency, totals, sections, asOf };
}
