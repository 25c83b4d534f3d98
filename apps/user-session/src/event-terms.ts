import { offerSeats, type EventSummary, type Offer, type OfferRequest, type SaleStatus } from '@tickets/contracts';

/** Whether a sale status read at `readAt` may still be trusted at `now`: only "on sale", and only for `ttlMillis`. */
export const trustedStatus = (status: SaleStatus, readAt: number, now: number, ttlMillis: number): boolean =>
  status === 'on_sale' && now - readAt < ttlMillis;

/**
 * The events this process has read, so that holding a seat does not cost a call to the Event object every time.
 * A definition never changes once created (a different one is refused), so it is kept; the sale status is what
 * changes. "On sale" is trusted for `ttlMillis` after it was read and anything else is asked again each time, so an
 * opening is seen at once and a closing reaches new holds within `ttlMillis`.
 */
export class EventTerms {
  private readonly known = new Map<string, { summary: EventSummary; readAt: number }>();

  constructor(
    private readonly ttlMillis: number,
    /** Events kept at most; the least recently read goes first. */
    private readonly capacity = 1_000,
  ) {}

  /** The event's offer for `request`, if this process knows its terms well enough at `now`; otherwise ask the event. */
  offer(eventId: string, request: OfferRequest, now: number): Offer | undefined {
    const entry = this.known.get(eventId);
    if (!entry || !trustedStatus(entry.summary.status, entry.readAt, now, this.ttlMillis)) return undefined;
    return offerSeats(eventId, entry.summary.definition, entry.summary.status, request);
  }

  /**
   * Keep what was read at `readAt`, unless something read later is kept already: a replayed add hands back the
   * answer of its first attempt, which may be older than a "closed" read since.
   */
  remember(summary: EventSummary, readAt: number): void {
    const kept = this.known.get(summary.eventId);
    if (kept && kept.readAt > readAt) return;
    this.known.delete(summary.eventId);
    this.known.set(summary.eventId, { summary, readAt });
    const oldest = this.known.keys().next();
    if (this.known.size > this.capacity && !oldest.done) this.known.delete(oldest.value);
  }
}
