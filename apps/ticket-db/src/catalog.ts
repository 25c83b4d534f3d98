import type { Availability, EventDefinition, EventSummary, SaleStatus, SeatCounts } from '@tickets/contracts';

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
