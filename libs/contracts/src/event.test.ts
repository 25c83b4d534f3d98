import { describe, expect, it } from 'vitest';
import { parseSeatId, seatId } from './event.js';

describe('seat ids', () => {
  it('parses the seed’s style: event id with dashes, row letters, seat number', () => {
    expect(parseSeatId('Rolling-stones-A22')).toEqual({ eventId: 'Rolling-stones', row: 'A', number: 22 });
    expect(parseSeatId('cup-final-2027-ABC7')).toEqual({ eventId: 'cup-final-2027', row: 'ABC', number: 7 });
  });

  it('round-trips', () => {
    const address = { eventId: 'ev-1', row: 'K', number: 305 };
    expect(parseSeatId(seatId(address))).toEqual(address);
  });

  it.each(['A22', 'ev-a22', 'ev-A0', 'ev-A07', 'ev-ABCD1', 'ev-A1000', '-A1', 'ev-22'])('refuses %s', (id) => {
    expect(parseSeatId(id)).toBeUndefined();
  });
});
