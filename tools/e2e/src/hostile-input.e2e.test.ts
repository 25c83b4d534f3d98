import {
  CHECKOUT_INTERNAL_HANDLERS,
  EVENT_ADMIN_HANDLERS,
  ROW_AVAILABILITY_INTERNAL_HANDLERS,
  ORDER_INTERNAL_HANDLERS,
  TICKET_INTERNAL_HANDLERS,
  TICKET_DB_INTERNAL_HANDLERS,
  USER_SESSION_INTERNAL_HANDLERS,
} from '@tickets/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startShop, testEventDefinition, type Shop } from './shop.js';

/** Every handler a client may call through ingress (some of them only with an admin or staff token). */
const PUBLIC_HANDLERS = [
  'Event/availability',
  'Event/close', // admin token
  'Event/create', // admin token
  'Event/get',
  'Event/open', // admin token
  'Order/refund', // admin token
  'Ticket/checkIn', // staff token
  'TicketDb/status',
  'UserSession/addTicket',
  'UserSession/addTickets',
  'UserSession/cancelOrder',
  'UserSession/checkout',
  'UserSession/getCart',
  'UserSession/getOrder',
  'UserSession/getOrders',
  'UserSession/removeTicket',
];

const EVENT = 'Demo';
const HELD = `${EVENT}-A1`;
const SOLD = `${EVENT}-A2`;

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
  await shop.openEvent({}, EVENT);
  // Some state to protect: a held seat and a sold one.
  await shop.user('victim').addTicket({ ticketId: HELD });
  await shop.user('buyer').addTicket({ ticketId: SOLD });
  await shop.user('buyer').checkout({ paymentMethod: 'pm_card_visa' });
});
afterAll(() => shop?.stop());

const json = (value: unknown) => JSON.stringify(value);
const BAD_TICKET_BODIES: [string, string | undefined][] = [
  ['a number', '42'],
  ['an empty string', json('')],
  ['a 10 KB id', json('x'.repeat(10_240))],
  ['malformed JSON', '{"ticketId": '],
  ['null', 'null'],
  ['an array', json([HELD])],
  ['an object with a wrong field', json({ seat: HELD })],
  ['an id with spaces and slashes', json('../Held 1')],
  ['no body', undefined],
];

describe('bad input is refused with a readable 4xx and changes nothing', () => {
  for (const handler of ['addTicket', 'removeTicket', 'addTickets']) {
    it.each(BAD_TICKET_BODIES)(`${handler} with %s`, async (_, body) => {
      const before = await shop.snapshot();
      const response = await shop.post(`/UserSession/victim/${handler}`, body, { 'content-type': 'application/json' });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(JSON.parse(response.text).message).toMatch(/\w{4,}/);
      expect(await shop.snapshot()).toBe(before);
    });
  }

  it.each([
    ['an invalid email', json({ email: 'not-an-email' })],
    ['an unknown field', json({ coupon: 'FREE' })],
    ['a bad payment method', json({ paymentMethod: 'visa; DROP TABLE' })],
    ['malformed JSON', '{'],
    ['a string', json('pay')],
  ])('checkout with %s', async (_, body) => {
    const before = await shop.snapshot();
    const response = await shop.post('/UserSession/victim/checkout', body, { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect(await shop.snapshot()).toBe(before);
  });

  it.each([
    ['too long', 'u'.repeat(300)],
    ['with a space', 'bad%20user'],
  ])('a user key %s', async (_, key) => {
    const before = await shop.snapshot();
    for (const handler of ['addTicket', 'removeTicket', 'getCart']) {
      const response = await shop.post(`/UserSession/${key}/${handler}`, json(HELD));
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/userId/);
    }
    expect(await shop.snapshot()).toBe(before);
  });

  it.each([
    ['an empty list', json({ ticketIds: [] })],
    ['21 seats', json({ ticketIds: Array.from({ length: 21 }, (_, i) => `${EVENT}-B${i + 1}`) })],
    ['one bad id among good ones', json({ ticketIds: [`${EVENT}-B1`, 'bad id'] })],
  ])('addTickets with %s', async (_, body) => {
    const before = await shop.snapshot();
    const response = await shop.post('/UserSession/victim/addTickets', body);
    expect(response.status).toBe(400);
    expect(await shop.snapshot()).toBe(before);
  });

  it.each([
    ['a seat that does not exist', `${EVENT}-A101`, 404],
    ['a row that does not exist', `${EVENT}-Z1`, 404],
    ['an event that does not exist', 'Nothing-A1', 404],
    ['an id that is no seat id', 'A22', 404],
  ])('addTicket of %s is refused, not true', async (_, seat, status) => {
    const before = await shop.snapshot();
    const response = await shop.post('/UserSession/victim/addTicket', json(seat));
    expect(response.status).toBe(status);
    expect(JSON.parse(response.text).message).toMatch(/[Nn]o (such )?(seat|event)|has no seat/);
    expect(await shop.snapshot()).toBe(before);
  });

  it('a wrong content type', async () => {
    const response = await shop.post('/UserSession/victim/addTicket', HELD, { 'content-type': 'text/plain' });
    expect(response.status).toBe(400);
  });

  it('an unknown handler', async () => {
    expect((await shop.post('/UserSession/victim/stealTicket', json(HELD))).status).toBe(404);
  });
});

describe('admin handlers', () => {
  it.each(EVENT_ADMIN_HANDLERS)('%s refuses a missing or wrong token and changes nothing', async (handler) => {
    const before = await shop.snapshot();
    const body = handler === 'create' ? json(testEventDefinition()) : undefined;
    const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
    expect((await shop.post(`/Event/${EVENT}/${handler}`, body, headers)).status).toBe(401);
    expect((await shop.post(`/Event/${EVENT}/${handler}`, body, { ...headers, authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await shop.post(`/Event/fresh-event/${handler}`, body, headers)).status).toBe(401);
    expect(await shop.snapshot()).toBe(before);
  });

  it.each([
    ['no sections', { ...testEventDefinition(), sections: [] }],
    ['a negative price', { ...testEventDefinition(), sections: [{ id: 's', name: 'S', priceCents: -1, rows: [{ label: 'A', seats: 1 }] }] }],
    ['a lowercase row label', { ...testEventDefinition(), sections: [{ id: 's', name: 'S', priceCents: 100, rows: [{ label: 'a', seats: 1 }] }] }],
    ['a row twice', { ...testEventDefinition(), sections: [{ id: 's', name: 'S', priceCents: 100, rows: [{ label: 'A', seats: 1 }, { label: 'A', seats: 2 }] }] }],
    ['no start time', { ...testEventDefinition(), startsAt: 'tomorrow' }],
    ['an unknown currency', { ...testEventDefinition(), currency: 'XXX' }],
    ['an unknown field', { ...testEventDefinition(), discount: 100 }],
  ])('create with %s is a 400 and creates nothing', async (_, definition) => {
    const before = await shop.snapshot();
    const response = await shop.post('/Event/new-event/create', json(definition), { 'content-type': 'application/json', ...ADMIN });
    expect(response.status).toBe(400);
    expect(await shop.snapshot()).toBe(before);
  });

  it('a redefinition with different content is refused with 409; the same one is a no-op', async () => {
    const before = await shop.snapshot();
    const same = await shop.post(`/Event/${EVENT}/create`, json(testEventDefinition()), { 'content-type': 'application/json', ...ADMIN });
    expect(same.status).toBe(200);
    expect(JSON.parse(same.text)).toMatchObject({ eventId: EVENT, status: 'on_sale' });
    const different = await shop.post(`/Event/${EVENT}/create`, json(testEventDefinition({ venue: 'Elsewhere' })), {
      'content-type': 'application/json',
      ...ADMIN,
    });
    expect(different.status).toBe(409);
    expect(different.text).toMatch(/different definition/);
    expect(await shop.snapshot()).toBe(before);
  });

  it('reading an event that does not exist is a 404', async () => {
    expect((await shop.post('/Event/no-such-event/get', undefined)).status).toBe(404);
    expect((await shop.post('/Event/no-such-event/availability', undefined)).status).toBe(404);
  });
});

describe('internal handlers are not reachable through ingress', () => {
  const hold = { userId: 'victim', holdId: '11111111-1111-4111-8111-111111111111' };
  const calls: [string, unknown][] = [
    ...TICKET_DB_INTERNAL_HANDLERS.map((h): [string, unknown] => [`/TicketDb/${HELD}/${h}`, { ...hold, until: 0, orderId: hold.holdId }]),
    ...USER_SESSION_INTERNAL_HANDLERS.map((h): [string, unknown] => [`/UserSession/victim/${h}`, { ticketId: HELD, holdId: hold.holdId }]),
    ...CHECKOUT_INTERNAL_HANDLERS.map((h): [string, unknown] => [`/CheckoutProcess/${h}`, {}]),
    ...ORDER_INTERNAL_HANDLERS.map((h): [string, unknown] => [`/Order/${hold.holdId}/${h}`, {}]),
    ...TICKET_INTERNAL_HANDLERS.map((h): [string, unknown] => [`/Ticket/0000-0000-0000-0000-0000-0000-0000-0000/${h}`, { orderId: hold.holdId, ticketId: HELD }]),
    ...ROW_AVAILABILITY_INTERNAL_HANDLERS.map((h): [string, unknown] => [`/RowAvailability/${EVENT}:A/${h}`, { number: 3, state: 's', version: 99, seats: 3 }]),
  ];

  it.each(calls)('%s (call and send)', async (path, body) => {
    const before = await shop.snapshot();
    for (const suffix of ['', '/send']) {
      const response = await shop.post(`${path}${suffix}`, json(body));
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/not public/);
    }
    expect(await shop.snapshot()).toBe(before);
  });

  it('the public surface is exactly the handlers meant for clients, as the engine has them registered', async () => {
    // A new handler must be put on one side on purpose: in this list, or ingress-private (and in its contract's
    // list of internal handlers, which the calls above probe).
    const response = await fetch(`${shop.system.adminUrl}/services`);
    const { services } = (await response.json()) as { services: { name: string; public: boolean; handlers: { name: string; public?: boolean }[] }[] };
    const reachable = services.flatMap((service) =>
      service.public ? service.handlers.filter((handler) => handler.public !== false).map((handler) => `${service.name}/${handler.name}`) : [],
    );
    expect(reachable.sort()).toEqual(PUBLIC_HANDLERS);
  });

  it('the state they would have changed is intact', async () => {
    expect((await shop.seat(HELD).status()).state).toBe('reserved');
    expect((await shop.seat(SOLD).status()).state).toBe('sold');
    expect((await shop.user('victim').getCart()).tickets.map((t) => t.ticketId)).toEqual([HELD]);
  });
});
