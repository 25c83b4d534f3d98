import { describe, expect, it } from 'vitest';
import { EventDefinition, eventIdsOf, NewEventDefinition, offerSeats, parseSeatId, seatId } from './event.js';

describe('seat ids', () => {
  it('parses the seed’s style: event id with dashes, row letters, seat number', () => {
    expect(parseSeatId('Rolling-stones-A22')).toEqual({ eventId: 'Rolling-stones', row: 'A', number: 22 });
    expect(parseSeatId('cup-final-2027-ABC7')).toEqual({ eventId: 'cup-final-2027', row: 'ABC', number: 7 });
  });

  it('names the events of a list of seats, each once', () => {
    expect(eventIdsOf([{ ticketId: 'ev-1-A1' }, { ticketId: 'other-B2' }, { ticketId: 'ev-1-A2' }])).toEqual(['ev-1', 'other']);
  });

  it('round-trips', () => {
    const address = { eventId: 'ev-1', row: 'K', number: 305 };
    expect(parseSeatId(seatId(address))).toEqual(address);
  });

  it.each(['A22', 'ev-a22', 'ev-A0', 'ev-A07', 'ev-ABCD1', 'ev-A1000', '-A1', 'ev-22'])('refuses %s', (id) => {
    expect(parseSeatId(id)).toBeUndefined();
  });
});

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

describe('offerSeats', () => {
  it('prices seats from their section', () => {
    expect(offerSeats('rs', concert, 'on_sale', { seats: [{ row: 'K', number: 4 }, { row: 'A', number: 1 }] })).toEqual({
      ok: true,
      currency: 'EUR',
      maxSeatsPerUser: 8,
      holdSeconds: undefined,
      pricesCents: [4000, 9000],
    });
  });

  it('refuses unknown events, events not on sale and seats that do not exist', () => {
    const seats = { seats: [{ row: 'A', number: 1 }] };
    expect(offerSeats('rs', undefined, undefined, seats)).toMatchObject({ ok: false, reason: 'no_such_event', message: 'No such event: rs.' });
    expect(offerSeats('rs', concert, 'scheduled', seats)).toMatchObject({ ok: false, reason: 'not_on_sale', message: 'rs is not on sale yet.' });
    expect(offerSeats('rs', concert, 'closed', seats)).toMatchObject({ ok: false, reason: 'not_on_sale', message: 'Sales for rs are closed.' });
    expect(offerSeats('rs', concert, 'on_sale', { seats: [{ row: 'A', number: 4 }, { row: 'Z', number: 1 }] })).toEqual({
      ok: false,
      reason: 'no_such_seat',
      message: 'rs has no seat A4, Z1.',
    });
  });
});


describe('EventDefinition prices', () => {
  const withPrice = (currency: 'USD' | 'GBP', priceCents: number) =>
    NewEventDefinition.safeParse({ ...concert, currency, sections: [{ ...concert.sections[0]!, priceCents }] });

  it('takes free seats and any price a card can be charged', () => {
    expect(withPrice('USD', 0).success).toBe(true);
    expect(withPrice('USD', 50).success).toBe(true);
    expect(withPrice('GBP', 30).success).toBe(true);
  });

  it('refuses a price above zero but below the least a card can be charged in its currency', () => {
    const refused = withPrice('USD', 49);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('section floor: a price is 0 (free) or at least 50 USD cents, the least a card can be charged');
    expect(withPrice('GBP', 29).success).toBe(false);
  });

  it('still reads back a stored definition that predates the rule', () => {
    expect(EventDefinition.safeParse({ ...concert, sections: [{ ...concert.sections[0]!, priceCents: 25 }] }).success).toBe(true);
  });
});
