import type { EventDefinition } from '@tickets/contracts';

/** The seed's concert: seat `Rolling-stones-A22` is on the floor at the seed's 40 USD. */
export const DEMO_EVENT_ID = 'Rolling-stones';

const rows = (labels: string, seats: number) => [...labels].map((label) => ({ label, seats }));

export const DEMO_EVENT: EventDefinition = {
  name: 'The Rolling Stones — Hackney Diamonds Tour',
  venue: 'Olympiastadion, Berlin',
  startsAt: '2027-07-10T20:00:00+02:00',
  currency: 'USD',
  sections: [
    { id: 'floor', name: 'Floor', priceCents: 4000, rows: rows('ABCDEFGH', 30) },
    { id: 'tribune', name: 'Tribune', priceCents: 6500, rows: rows('JKLMN', 40) },
    { id: 'balcony', name: 'Balcony', priceCents: 2500, rows: rows('PQRS', 50) },
  ],
  maxSeatsPerUser: 8,
};
