import http2 from 'node:http2';
import {
  AddTicketsRequest,
  CheckoutRequest,
  EventDefinition,
  OperatorRefund,
  OrderRef,
  TicketCode,
  TicketRef,
  UserId,
  EventId,
  TicketId,
} from '@tickets/contracts';
import { SHOP_APPS } from '@tickets/local-restate';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startShop, type Shop } from './shop.js';

let shop: Shop;
const EVENT = 'Sec';
/** A confirmed order, so that a refund that skipped its input check would change something. */
let orderId = '';
beforeAll(async () => {
  shop = await startShop();
  await shop.openEvent({}, EVENT);
  await shop.user('victim').addTicket({ ticketId: `${EVENT}-A1` });
  await shop.user('buyer').addTicket({ ticketId: `${EVENT}-A2` });
  const bought = await shop.user('buyer').checkout({ paymentMethod: 'pm_card_visa' });
  if (!bought.ok) throw new Error(bought.message);
  orderId = bought.orderId;
});
afterAll(() => shop?.stop());

/** One request straight to an app's endpoint, bypassing Restate (h2c, as Restate itself speaks to it). */
function direct(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const request = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/vnd.restate.invocation.v5', ...headers });
    request.on('response', (response) => {
      resolve(Number(response[':status']));
      session.close();
    });
    request.on('error', reject);
    request.end(Buffer.alloc(16));
  });
}

describe('endpoints accept only requests signed by their Restate server', () => {
  const targets: Record<(typeof SHOP_APPS)[number]['name'], string> = {
    'user-session': '/invoke/UserSession/expireHolds',
    'ticket-db': '/invoke/TicketDb/markAsSold',
    checkout: '/invoke/CheckoutProcess/placeOrder',
  };

  it.each(SHOP_APPS.map((app) => app.name))('%s refuses unsigned and forged requests', async (name) => {
    const { port } = shop.system.app(name);
    expect(await direct(port, targets[name])).toBe(401);
    expect(await direct(port, '/discover', { accept: 'application/vnd.restate.endpointmanifest.v3+json' })).toBe(401);
    const forged = { 'x-restate-signature-scheme': 'v1', 'x-restate-jwt-v1': 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' };
    expect(await direct(port, targets[name], forged)).toBe(401);
  });

  it('while requests through Restate are served', async () => {
    expect((await shop.seat(`${EVENT}-A1`).status()).state).toBe('reserved');
  });
});

/** Anything JSON-shaped, plus oversized strings and deep nesting. */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ minLength: 1000, maxLength: 12_000 }),
  fc.array(fc.string(), { minLength: 30, maxLength: 60 }),
  fc.constantFrom(null, 0, -1, 1e308, true, '', ' ', '\u0000', '../../etc/passwd', '<script>', "'; DROP TABLE x; --"),
);
const notValid = (schema: { safeParse(v: unknown): { success: boolean } }) => anyJson.filter((value) => !schema.safeParse(value).success);
/** Bodies that are not JSON at all (an empty body is "no body", which checkout accepts). */
const notJson = fc.oneof(fc.constantFrom('{', '[1,', '{"a":}', 'undefined', 'NaN', '\u0000\u0001'), fc.string({ minLength: 1 }).filter((s) => {
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
}));

async function expectRefused(path: string, body: string | undefined, headers: Record<string, string> = {}) {
  const response = await fetch(`${shop.system.ingressUrl}${path}`, {
    method: 'POST',
    body,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  expect(response.status, `${path} ${body?.slice(0, 80)} → ${response.status} ${text}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${path} → ${text}`).toBeLessThan(500);
  expect(JSON.parse(text).message).toMatch(/\w{3,}/);
}

const cases: [string, string, fc.Arbitrary<unknown>, Record<string, string>?][] = [
  ['UserSession addTicket', '/UserSession/victim/addTicket', notValid(TicketRef)],
  ['UserSession addTickets', '/UserSession/victim/addTickets', notValid(AddTicketsRequest)],
  ['UserSession removeTicket', '/UserSession/victim/removeTicket', notValid(TicketRef)],
  ['UserSession checkout', '/UserSession/victim/checkout', notValid(CheckoutRequest).filter((v) => v !== null)],
  ['UserSession cancelOrder', '/UserSession/victim/cancelOrder', notValid(OrderRef)],
  ['Event create', `/Event/${EVENT}/create`, notValid(EventDefinition), ADMIN],
  ['Order refund', '/Order/:orderId/refund', notValid(OperatorRefund), ADMIN],
];

describe('property: malformed input to every public handler is a readable 4xx and changes nothing', () => {
  it.each(cases)('%s', async (_, path, arbitrary, headers) => {
    const before = await shop.snapshot();
    await fc.assert(
      fc.asyncProperty(fc.oneof(arbitrary.map((v) => JSON.stringify(v)), notJson), (body) => expectRefused(path.replace(':orderId', orderId), body, headers)),
      { numRuns: 40, seed: 20261124 },
    );
    expect(await shop.snapshot()).toBe(before);
  });

  const badKey = (schema: { safeParse(v: unknown): { success: boolean } }) =>
    fc.oneof(fc.string({ minLength: 1, maxLength: 300 }), fc.string({ minLength: 129, maxLength: 2000 })).filter((key) => !schema.safeParse(key).success && key.trim() !== '');

  it.each([
    ['UserSession', UserId, ['addTicket', 'removeTicket', 'getCart', 'getOrders', 'getOrder', 'checkout']],
    ['TicketDb', TicketId, ['status']],
    ['Event', EventId, ['get', 'availability']],
  ] as const)('%s with malformed keys', async (service, schema, handlers) => {
    const before = await shop.snapshot();
    await fc.assert(
      fc.asyncProperty(badKey(schema), fc.constantFrom(...handlers), async (key, handler) => {
        const body = service === 'UserSession' && handler.endsWith('Ticket') ? JSON.stringify(`${EVENT}-A2`) : undefined;
        await expectRefused(`/${service}/${encodeURIComponent(key)}/${handler}`, body);
      }),
      { numRuns: 40, seed: 20261124 },
    );
    expect(await shop.snapshot()).toBe(before);
  });

  it('opening or closing an event under a malformed key, with the admin token: a 400 naming the key, not a 404', async () => {
    const before = await shop.snapshot();
    await fc.assert(
      fc.asyncProperty(badKey(EventId), fc.constantFrom('open', 'close'), async (key, handler) => {
        const response = await fetch(`${shop.system.ingressUrl}/Event/${encodeURIComponent(key)}/${handler}`, { method: 'POST', headers: ADMIN });
        const text = await response.text();
        expect(response.status, text).toBe(400);
        expect(JSON.parse(text).message).toMatch(/^invalid key/);
      }),
      { numRuns: 20, seed: 20261124 },
    );
    expect(await shop.snapshot()).toBe(before);
  });

  it('check-in with malformed codes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 200 }).filter((code) => !TicketCode.safeParse(code).success), async (code) =>
        expectRefused(`/Ticket/${encodeURIComponent(code)}/checkIn`, undefined, { authorization: 'Bearer local-staff-token-0123456789' }),
      ),
      { numRuns: 40, seed: 20261124 },
    );
  });
});
