import { EventDefinition, type EventSummary } from '@tickets/contracts';
import { describe, expect, it } from 'vitest';
import { EventTerms, trustedStatus } from './event-terms.js';

const definition = EventDefinition.parse({
  name: 'Cup final',
  venue: 'Stadium',
  startsAt: '2027-05-01T18:00:00Z',
  currency: 'EUR',
  sections: [{ id: 'north', name: 'North', priceCents: 5000, rows: [{ label: 'A', seats: 10 }] }],
  maxSeatsPerUser: 4,
});
const summary = (eventId: string, status: EventSummary['status']): EventSummary => ({ eventId, status, seatCount: 10, definition });
const seats = { seats: [{ row: 'A', number: 3 }] };

describe('event terms', () => {
  it('trusts only "on sale", and only for the ttl', () => {
    expect(trustedStatus('on_sale', 1_000, 2_999, 2_000)).toBe(true);
    expect(trustedStatus('on_sale', 1_000, 3_000, 2_000)).toBe(false);
    expect(trustedStatus('scheduled', 1_000, 1_000, 2_000)).toBe(false);
    expect(trustedStatus('closed', 1_000, 1_000, 2_000)).toBe(false);
  });

  it('answers from an event it read recently, and asks again after the ttl', () => {
    const terms = new EventTerms(2_000);
    expect(terms.offer('cup', seats, 0)).toBeUndefined();
    terms.remember(summary('cup', 'on_sale'), 0);
    expect(terms.offer('cup', seats, 1_999)).toEqual({ ok: true, currency: 'EUR', maxSeatsPerUser: 4, holdSeconds: undefined, pricesCents: [5000] });
    expect(terms.offer('cup', { seats: [{ row: 'B', number: 1 }] }, 10)).toMatchObject({ ok: false, reason: 'no_such_seat' });
    expect(terms.offer('cup', seats, 2_000)).toBeUndefined();
  });

  it('never answers for a sale that is not on, so an opening is seen at once', () => {
    const terms = new EventTerms(60_000);
    terms.remember(summary('cup', 'scheduled'), 0);
    expect(terms.offer('cup', seats, 1)).toBeUndefined();
    terms.remember(summary('cup', 'on_sale'), 2);
    expect(terms.offer('cup', seats, 3)).toMatchObject({ ok: true });
    terms.remember(summary('cup', 'closed'), 4);
    expect(terms.offer('cup', seats, 5)).toBeUndefined();
  });

  it('keeps at most its capacity, dropping the least recently read', () => {
    const terms = new EventTerms(60_000, 2);
    terms.remember(summary('a', 'on_sale'), 0);
    terms.remember(summary('b', 'on_sale'), 0);
    terms.remember(summary('a', 'on_sale'), 1);
    terms.remember(summary('c', 'on_sale'), 2);
    expect(terms.offer('a', seats, 3)).toBeDefined();
    expect(terms.offer('b', seats, 3)).toBeUndefined();
    expect(terms.offer('c', seats, 3)).toBeDefined();
  });

  it('keeps the later of two reads, so a replayed older answer cannot undo a closing', () => {
    const terms = new EventTerms(2_000);
    terms.remember(summary('cup', 'closed'), 1_000);
    terms.remember(summary('cup', 'on_sale'), 900);
    expect(terms.offer('cup', seats, 1_100)).toBeUndefined();
  });
});
