import { iface } from '@restatedev/restate-sdk-core';
import { z } from 'zod';
import { Cents, EpochMillis, MAX_ID_LENGTH } from './ids.js';
import { Currency, MIN_CHARGE_CENTS } from './money.js';

/**
 * Seat ids are `<eventId>-<row><number>`, e.g. `Rolling-stones-A22`: event ids may contain dashes, row labels
 * are 1–3 capital letters and seat numbers are digits, so every seat id parses back unambiguously.
 */
export const EventId = z
  .string({ error: 'eventId must be a string' })
  .min(1, 'eventId must not be empty')
  .max(64, 'eventId must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'eventId may contain only letters, digits and -');
export type EventId = z.infer<typeof EventId>;

export const RowLabel = z.string().regex(/^[A-Z]{1,3}$/, 'row labels are 1 to 3 capital letters');

const SEAT_ID = /^(.+)-([A-Z]{1,3})([1-9]\d{0,2})$/;

export interface SeatAddress {
  eventId: string;
  row: string;
  number: number;
}

export function parseSeatId(ticketId: string): SeatAddress | undefined {
  const [, eventId, row, number] = SEAT_ID.exec(ticketId) ?? [];
  if (!eventId || !row || !number || eventId.length > MAX_ID_LENGTH) return undefined;
  return { eventId, row, number: Number(number) };
}

export const seatId = ({ eventId, row, number }: SeatAddress): string => `${eventId}-${row}${number}`;

/** The events the seats of `lines` (an order's, say) belong to, each once. */
export const eventIdsOf = (lines: readonly { ticketId: string }[]): string[] => [
  ...new Set(lines.flatMap((line) => parseSeatId(line.ticketId)?.eventId ?? [])),
];

export const MAX_SEATS_PER_ROW = 500;
export const MAX_SEATS_PER_EVENT = 100_000;

export const SeatRow = z.object({
  label: RowLabel,
  seats: z.number().int().min(1).max(MAX_SEATS_PER_ROW, `a row has at most ${MAX_SEATS_PER_ROW} seats`),
});

export const Section = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,32}$/, 'section ids are 1 to 32 of a-z, 0-9 and -'),
  name: z.string().min(1).max(80),
  /** Price of every seat in the section, in minor units of the event's currency. */
  priceCents: Cents,
  rows: z.array(SeatRow).min(1).max(1_000),
});
export type Section = z.infer<typeof Section>;

export const EventDefinition = z
  .object({
    name: z.string().min(1).max(200),
    venue: z.string().min(1).max(200),
    startsAt: z.iso.datetime({ offset: true, error: 'startsAt must be an ISO 8601 date-time' }),
    currency: Currency,
    sections: z.array(Section).min(1).max(100),
    /** How many seats of this event one user may hold and buy in all. */
    maxSeatsPerUser: z.number().int().min(1).max(100).default(8),
    /** How long a hold lasts; without it, the user-session app's HOLD_DURATION (15 minutes by default). */
    holdSeconds: z.number().int().min(1).max(24 * 3600).optional(),
  })
  .strict()
  .superRefine((event, ctx) => {
    const seen = new Set<string>();
    for (const row of event.sections.flatMap((section) => section.rows)) {
      if (seen.has(row.label)) ctx.addIssue({ code: 'custom', message: `row ${row.label} appears twice`, path: ['sections'] });
      seen.add(row.label);
    }
    const sectionIds = new Set(event.sections.map((section) => section.id));
    if (sectionIds.size !== event.sections.length) ctx.addIssue({ code: 'custom', message: 'section ids must be unique', path: ['sections'] });
    const seats = event.sections.flatMap((section) => section.rows).reduce((sum, row) => sum + row.seats, 0);
    if (seats > MAX_SEATS_PER_EVENT) ctx.addIssue({ code: 'custom', message: `at most ${MAX_SEATS_PER_EVENT} seats per event`, path: ['sections'] });
  });
export type EventDefinition = z.infer<typeof EventDefinition>;
export type EventDefinitionInput = z.input<typeof EventDefinition>;

/**
 * A definition as `Event/create` takes it: every price either free or chargeable by card. Checked on the way in
 * only, so that a definition stored before a rule was added still reads back.
 */
export const NewEventDefinition = EventDefinition.superRefine((event, ctx) => {
  const minimum = MIN_CHARGE_CENTS[event.currency];
  for (const section of event.sections.filter(({ priceCents }) => priceCents > 0 && priceCents < minimum)) {
    ctx.addIssue({ code: 'custom', message: `section ${section.id}: a price is 0 (free) or at least ${minimum} ${event.currency} cents, the least a card can be charged`, path: ['sections'] });
  }
});

export const SaleStatus = z.enum(['scheduled', 'on_sale', 'closed']);
export type SaleStatus = z.infer<typeof SaleStatus>;

export const EventSummary = z.object({
  eventId: EventId,
  status: SaleStatus,
  seatCount: z.number().int(),
  definition: EventDefinition,
});
export type EventSummary = z.infer<typeof EventSummary>;

export const SeatCounts = z.object({ available: z.number().int(), held: z.number().int(), sold: z.number().int() });
export type SeatCounts = z.infer<typeof SeatCounts>;

/** One character per seat, seat 1 first: `a` available, `h` held, `s` sold. 20,000 seats are 20 KB. */
export const RowStates = z.string().regex(/^[ahs]*$/);

export const Availability = z.object({
  eventId: EventId,
  status: SaleStatus,
  currency: Currency,
  totals: SeatCounts,
  sections: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      priceCents: Cents,
      counts: SeatCounts,
      rows: z.array(z.object({ label: RowLabel, seats: RowStates })),
    }),
  ),
  /** When the server assembled this answer. */
  asOf: EpochMillis,
});
export type Availability = z.infer<typeof Availability>;

export const OfferRequest = z.object({ seats: z.array(z.object({ row: RowLabel, number: z.number().int().min(1) })).min(1) });
export type OfferRequest = z.infer<typeof OfferRequest>;

/** What UserSession needs to hold seats of an event: whether it may, and at what price and terms (see `offerSeats`). */
export const Offer = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    currency: Currency,
    maxSeatsPerUser: z.number().int(),
    holdSeconds: z.number().int().optional(),
    /** Price of each requested seat, in request order. */
    pricesCents: z.array(Cents),
  }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(['no_such_event', 'not_on_sale', 'no_such_seat']),
    message: z.string(),
  }),
]);
export type Offer = z.infer<typeof Offer>;

/**
 * May these seats of `eventId` be held now, and at what price each: the event's definition and sale status decide.
 * Pure, so any process that knows both can answer without asking the Event object.
 */
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
    const section = event.sections.find((candidate) => candidate.rows.some((row) => row.label === seat.row));
    const row = section?.rows.find((candidate) => candidate.label === seat.row);
    if (!section || !row || seat.number > row.seats) missing.push(`${seat.row}${seat.number}`);
    else pricesCents.push(section.priceCents);
  }
  if (missing.length > 0) return { ok: false, reason: 'no_such_seat', message: `${eventId} has no seat ${missing.join(', ')}.` };
  return { ok: true, currency: event.currency, maxSeatsPerUser: event.maxSeatsPerUser, holdSeconds: event.holdSeconds, pricesCents };
}

/**
 * Event: the catalog entry of one event (key: event id) — its definition, seat map and sale status. Admin
 * handlers need `authorization: Bearer <ADMIN_TOKEN>`.
 */
export const Event = iface.object('Event', {
  /** Admin: define the event. The same definition again is a no-op; a different one is refused (409). */
  create: iface.schemas({ input: NewEventDefinition, output: EventSummary }),
  /** Admin: put the event on sale. */
  open: iface.schemas({ output: EventSummary }),
  /** Admin: stop new holds; seats already held can still be bought until their holds expire. */
  close: iface.schemas({ output: EventSummary }),
  /** Public: the definition and sale status. */
  get: iface.shared.schemas({ output: EventSummary }),
  /** Public: every seat's state and counts per section (eventually consistent, see docs/architecture.md). */
  availability: iface.shared.schemas({ output: Availability }),
});

export const EVENT_ADMIN_HANDLERS = ['create', 'open', 'close'] as const;

/** Seat state as the availability shards see it; `version` orders changes of one seat. */
/** A seat's new state; a hold (`h`) says until when, after which the seat shows as available without another change. */
export const SeatChange = z.object({
  number: z.number().int().min(1),
  state: z.enum(['a', 'h', 's']),
  version: z.number().int(),
  until: EpochMillis.optional(),
});
export type SeatChange = z.infer<typeof SeatChange>;

/**
 * RowAvailability: the seat states of one row (key: `<eventId>:<row>`), fed by TicketDb with one-way messages.
 * Sharded by row so that 20,000 holds do not queue behind one object, and so that a read of the whole event is one
 * concurrent call per row.
 */
export const RowAvailability = iface.object('RowAvailability', {
  /** Internal: a seat of this row changed state. */
  seatChanged: iface.schemas({ input: SeatChange, output: z.void() }),
  /** Internal: the row's seat states at `now`. */
  states: iface.shared.schemas({ input: z.object({ seats: z.number().int().min(1), now: EpochMillis }), output: RowStates }),
});

export const ROW_AVAILABILITY_INTERNAL_HANDLERS = ['seatChanged', 'states'] as const;

export const rowKey = (eventId: string, row: string): string => `${eventId}:${row}`;
