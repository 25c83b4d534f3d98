import { EventDefinition } from '@tickets/contracts';
import { describe, expect, it } from 'vitest';
import { assembleAvailability, nextStatus, sameDefinition, seatCount } from './catalog.js';

const concert = EventDefinition.parse({
  name: 'Rolling Stones',
  venue: 'Olympiastadion',
  startsAt: '2027-06-01T20:00:00+02:00',
  currency: 'EUR',
  sections: [
    { id: 'floor', name: 'Floor', priceCents: 9000, rows: [{ label: 'A', seats: 3 }, { label: 'B', seats: 2 }] },
    { id: 'balcony', name: 'Balcony', priceCents: 4000, rows: [{ label: 'K', seats: 4 }] },
  ],
});

describe('event definitions', () => {
  it('counts seats and defaults the per-user limit', () => {
    expect(seatCount(concert)).toBe(9);
    expect(concert.maxSeatsPerUser).toBe(8);
  });

  it('compares definitions by content, not field order', () => {
    const reordered = EventDefinition.parse(JSON.parse(JSON.stringify({ ...concert, sections: concert.sections, name: concert.name })));
    expect(sameDefinition(concert, reordered)).toBe(true);
    expect(sameDefinition(concert, { ...concert, venue: 'Elsewhere' })).toBe(false);
  });

  it('refuses duplicate rows and sections', () => {
    const dupRow = { ...concert, sections: [...concert.sections, { id: 'x', name: 'X', priceCents: 100, rows: [{ label: 'A', seats: 1 }] }] };
    expect(EventDefinition.safeParse(dupRow).error?.issues[0]?.message).toBe('row A appears twice');
    expect(EventDefinition.safeParse({ ...concert, sections: [concert.sections[0], concert.sections[0]] }).success).toBe(false);
  });

  it('opens, closes and reopens', () => {
    expect(nextStatus('scheduled', 'open')).toBe('on_sale');
    expect(nextStatus('on_sale', 'close')).toBe('closed');
    expect(nextStatus('closed', 'open')).toBe('on_sale');
  });
});

describe('assembleAvailability', () => {
  it('fills rows not reported yet as available and counts per section and in total', () => {
    const view = assembleAvailability('rs', concert, 'on_sale', new Map([['A', 'ahs'], ['K', 'hhaa']]), 42);
    expect(view.sections.map((s) => [s.id, s.counts])).toEqual([
      ['floor', { available: 3, held: 1, sold: 1 }],
      ['balcony', { available: 2, held: 2, sold: 0 }],
    ]);
    expect(view.sections[0]!.rows).toEqual([{ label: 'A', seats: 'ahs' }, { label: 'B', seats: 'aa' }]);
    expect(view.totals).toEqual({ available: 5, held: 3, sold: 1 });
    expect(view).toMatchObject({ eventId: 'rs', status: 'on_sale', currency: 'EUR', asOf: 42 });
  });
});
