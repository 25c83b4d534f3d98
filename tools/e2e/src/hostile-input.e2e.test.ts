import { CHECKOUT_INTERNAL_HANDLERS, TICKET_DB_INTERNAL_HANDLERS, USER_SESSION_INTERNAL_HANDLERS } from '@tickets/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShop, type Shop } from './shop.js';

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
  // Some state to protect: a held seat and a sold one.
  await shop.user('victim').addTicket({ ticketId: 'Held-1' });
  await shop.user('buyer').addTicket({ ticketId: 'Sold-1' });
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
  ['an array', json(['Held-1'])],
  ['an object with a wrong field', json({ seat: 'Held-1' })],
  ['an id with spaces and slashes', json('../Held 1')],
  ['no body', undefined],
];

describe('bad input is refused with a readable 4xx and changes nothing', () => {
  for (const handler of ['addTicket', 'removeTicket']) {
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
      const response = await shop.post(`/UserSession/${key}/${handler}`, json('Held-1'));
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/userId/);
    }
    expect(await shop.snapshot()).toBe(before);
  });

  it('a wrong content type', async () => {
    const response = await shop.post('/UserSession/victim/addTicket', 'Held-1', { 'content-type': 'text/plain' });
    expect(response.status).toBe(400);
  });

  it('an unknown handler', async () => {
    expect((await shop.post('/UserSession/victim/stealTicket', json('Held-1'))).status).toBe(404);
  });
});

describe('internal handlers are not reachable through ingress', () => {
  const hold = { userId: 'victim', holdId: '11111111-1111-4111-8111-111111111111' };
  const calls: [string, unknown][] = [
    ...TICKET_DB_INTERNAL_HANDLERS.map((h): [string, unknown] => [`/TicketDb/Held-1/${h}`, { ...hold, until: 0, orderId: hold.holdId }]),
    ...USER_SESSION_INTERNAL_HANDLERS.map((h): [string, unknown] => [`/UserSession/victim/${h}`, { ticketId: 'Held-1', holdId: hold.holdId }]),
    ...CHECKOUT_INTERNAL_HANDLERS.map((h): [string, unknown] => [`/CheckoutProcess/${h}`, {}]),
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

  it('the state they would have changed is intact', async () => {
    expect((await shop.seat('Held-1').status()).state).toBe('reserved');
    expect((await shop.seat('Sold-1').status()).state).toBe('sold');
    expect((await shop.user('victim').getCart()).tickets.map((t) => t.ticketId)).toEqual(['Held-1']);
  });
});
