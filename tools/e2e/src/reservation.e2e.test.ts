import * as clients from '@restatedev/restate-sdk-clients';
import { purgeInvocation, querySql, waitUntil } from '@tickets/local-restate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callsTo, cancelUserCall, cancelWhileWaiting } from './operator.js';
import { sleep, startShop, uniqueId, type Shop, type TestEvent } from './shop.js';

let shop: Shop;
let event: TestEvent;
beforeAll(async () => {
  // Event terms trusted for long, so that an add sent while a test has ticket-db down goes straight to its reserve
  // calls (cancelWhileWaiting) however slowly the machine gets there.
  shop = await startShop({ appEnv: { EVENT_TERMS_TTL: '10m' } });
  event = await shop.openEvent();
});
// A test that failed with ticket-db down would otherwise time out every test after it.
afterEach(() => shop?.restartStopped());
afterAll(() => shop?.stop());

describe('holding seats', () => {
  it('holds a free seat and refuses it to everyone else', async () => {
    const seat = event.seat();
    expect(await shop.user('alice').addTicket({ ticketId: seat })).toBe(true);
    expect(await shop.user('bob').addTicket({ ticketId: seat })).toBe(false);
    expect((await shop.seat(seat).status()).state).toBe('reserved');
    const bobsCart = await shop.user('bob').getCart();
    expect(bobsCart.tickets.map((t) => t.ticketId)).not.toContain(seat);
  });

  it('accepts the seed’s bare-string body', async () => {
    const seat = event.seat();
    const response = await shop.post(`/UserSession/${uniqueId('u')}/addTicket`, JSON.stringify(seat));
    expect(response).toEqual({ status: 200, text: 'true' });
  });

  it('re-adding a seat you hold succeeds without doubling it or extending the hold', async () => {
    const user = uniqueId('u');
    const seat = event.seat();
    await shop.user(user).addTicket({ ticketId: seat });
    const before = await shop.user(user).getCart();
    expect(await shop.user(user).addTicket({ ticketId: seat })).toBe(true);
    const after = await shop.user(user).getCart();
    expect(after.tickets).toEqual(before.tickets);
    expect(after.totalCents).toBe(4000);
  });

  it('shows the cart with prices, expiry times, total and server time', async () => {
    const user = uniqueId('u');
    const [a, b] = [event.seat(), event.seat()];
    await shop.user(user).addTicket({ ticketId: a });
    await shop.user(user).addTicket({ ticketId: b });
    const cart = await shop.user(user).getCart();
    expect(cart.tickets.map((t) => t.ticketId)).toEqual([a, b]);
    expect(cart.totalCents).toBe(8000);
    expect(cart.currency).toBe('USD');
    for (const ticket of cart.tickets) {
      // Default hold: 15 minutes from when it was taken.
      expect(ticket.holdExpiresAt - cart.serverTime).toBeGreaterThan(14 * 60_000);
      expect(ticket.holdExpiresAt - cart.serverTime).toBeLessThanOrEqual(15 * 60_000);
    }
  });

  it('removing a seat frees it for the next buyer at once', async () => {
    const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
    const seat = event.seat();
    await shop.user(alice).addTicket({ ticketId: seat });
    expect(await shop.user(alice).removeTicket({ ticketId: seat })).toBe(true);
    expect(await shop.user(bob).addTicket({ ticketId: seat })).toBe(true);
    expect((await shop.user(alice).getCart()).tickets).toEqual([]);
    expect(await shop.user(alice).removeTicket({ ticketId: seat })).toBe(false);
  });

  it('removing a seat and adding it again does not start a fresh hold: it ends when the first one would have', async () => {
    const user = uniqueId('looper');
    const [seat, other] = [event.seat(), event.seat()];
    await shop.user(user).addTicket({ ticketId: seat });
    const first = (await shop.user(user).getCart()).tickets[0]!.holdExpiresAt;
    await sleep(1_100);
    expect(await shop.user(user).removeTicket({ ticketId: seat })).toBe(true);
    expect(await shop.user(user).addTicket({ ticketId: seat })).toBe(true);
    expect(await shop.user(user).addTicket({ ticketId: other })).toBe(true);
    const again = new Map((await shop.user(user).getCart()).tickets.map((t) => [t.ticketId, t.holdExpiresAt]));
    expect(again.get(seat)).toBe(first);
    // A seat this user had not removed gets a whole hold.
    expect(again.get(other)).toBeGreaterThan(first + 1_000);
    expect((await shop.seat(seat).status())).toMatchObject({ state: 'reserved', heldUntil: first });
  });

  it('an operator cancelling an add while its seats are being reserved gets them given back, not held until expiry', async () => {
    const user = uniqueId('cancelled');
    const seats = event.seats(2);
    const outcome = await cancelWhileWaiting(shop, event, { user, handler: 'addTickets', ticketDbHandler: 'reserve', seats }, () => shop.user(user).addTickets({ ticketIds: seats }));
    expect(outcome).toMatchObject({ error: expect.stringMatching(/cancel/i) });
    // The reserves went through after the cancellation (their answers are kept for a while), and were given back.
    expect(await callsTo(shop, 'reserve', seats)).toEqual(['success', 'success']);
    for (const seat of seats) expect((await shop.seat(seat).status()).state).toBe('available');
    expect((await shop.user(user).getCart()).tickets).toEqual([]);
    expect(await shop.user(uniqueId('next')).addTickets({ ticketIds: seats })).toMatchObject({ ok: true });
  });

  it("an operator cancelling one buyer's add does not fail the adds sharing its reserve call", async () => {
    const seat = event.seat();
    const [first, cancelled, sharer] = [uniqueId('first'), uniqueId('cancelled'), uniqueId('sharer')];
    if (!(await shop.user(uniqueId('warm')).addTicket({ ticketId: event.seat() }))) throw new Error('the first add got no seat');
    const waiting = async () => (await callsTo(shop, 'reserve', [seat])).filter((result) => result === undefined).length;
    // A first reserve takes the seat's lock and, with ticket-db down, keeps it; the next second's shared reserve of
    // two more buyers waits in the seat's queue behind it.
    await shop.system.app('ticket-db').process.kill();
    const firstAdd = shop.user(first).addTicket({ ticketId: seat });
    await waitUntil('the first reserve', async () => (await waiting()) === 1, 15_000);
    await sleep(1_100 - (Date.now() % 1_000)); // early in the next second, so that both adds below fall within it
    const [cancelledAdd, sharedAdd] = [cancelled, sharer].map((user) =>
      shop.user(user).addTicket({ ticketId: seat }).then((result) => ({ result }), (error: unknown) => ({ error: String(error) })),
    );
    await waitUntil('the shared reserve in the queue', async () => (await waiting()) === 2, 15_000);
    await sleep(300);
    expect(await waiting()).toBe(2); // one reserve call for both buyers, not one each
    await cancelUserCall(shop, cancelled, 'addTicket');
    await shop.system.startApp('ticket-db');

    expect(await firstAdd).toBe(true);
    expect(await cancelledAdd).toMatchObject({ error: expect.stringMatching(/cancel/i) });
    // Told "taken" by a reserve call of its own, not failed with the other buyer's cancellation.
    expect(await sharedAdd).toEqual({ result: false });
    expect(await shop.seat(seat).status()).toMatchObject({ state: 'reserved' });
    expect((await shop.user(first).getCart()).tickets.map((t) => t.ticketId)).toEqual([seat]);
  });

  it('an operator cancelling a removal while it waits for the seat still removes it from the cart', async () => {
    const user = uniqueId('remover');
    const [seat, kept] = [event.seat(), event.seat()];
    expect(await shop.user(user).addTickets({ ticketIds: [seat, kept] })).toMatchObject({ ok: true });
    const outcome = await cancelWhileWaiting(shop, event, { user, handler: 'removeTicket', ticketDbHandler: 'release', seats: [seat] }, () => shop.user(user).removeTicket({ ticketId: seat }));
    // The release was sent, so the removal is finished: the seat is free and out of the cart, the other one stays.
    expect(outcome).toEqual({ result: true });
    expect((await shop.seat(seat).status()).state).toBe('available');
    expect((await shop.user(user).getCart()).tickets.map((t) => t.ticketId)).toEqual([kept]);
  });

  it('users racing for one seat over several seconds, each second a reserve call of its own: exactly one wins', async () => {
    // Callers within one second share a reserve call (reserveCallKey), so a race inside one second tests Restate
    // more than TicketDb. Waves over three seconds send TicketDb reserve after reserve for a seat that is held.
    const seat = event.seat();
    const waves = await Promise.all(
      Array.from({ length: 6 }, async (_, wave) => {
        await sleep(wave * 500);
        const users = Array.from({ length: 10 }, (_, i) => `wave-${seat}-${wave}-${i}`);
        return Promise.all(users.map(async (user) => ({ user, won: await shop.user(user).addTicket({ ticketId: seat }) })));
      }),
    );
    const winners = waves.flat().filter(({ won }) => won);
    expect(winners).toHaveLength(1);
    const reserves = await querySql<{ n: number }>(shop.system.adminUrl, `SELECT count(*) AS n FROM sys_invocation WHERE target = 'TicketDb/${seat}/reserve'`);
    expect(Number(reserves[0]?.n)).toBeGreaterThanOrEqual(3);
    expect(await shop.seat(seat).status()).toMatchObject({ state: 'reserved' });
    expect((await shop.user(winners[0]!.user).getCart()).tickets.map((t) => t.ticketId)).toEqual([seat]);
  });

  it('200 users racing for one seat: exactly one wins', async () => {
    const seat = event.seat();
    const users = Array.from({ length: 200 }, (_, i) => `racer-${seat}-${i}`);
    const results = await Promise.all(users.map((user) => shop.user(user).addTicket({ ticketId: seat })));
    const winners = users.filter((_, i) => results[i]);
    expect(winners).toHaveLength(1);
    const [winner] = winners;
    const carts = await Promise.all(users.map((user) => shop.user(user).getCart()));
    expect(carts.filter((cart) => cart.tickets.some((t) => t.ticketId === seat))).toHaveLength(1);
    expect((await shop.user(winner!).getCart()).tickets.map((t) => t.ticketId)).toEqual([seat]);
  });
});

describe('checkout', () => {
  it('an empty cart gives a clear result', async () => {
    expect(await shop.user(uniqueId('u')).checkout({ paymentMethod: 'pm_card_visa' })).toEqual({
      ok: false,
      reason: 'empty_cart',
      message: 'Your cart is empty.',
    });
  });

  it('pays, sells the seats, issues tickets and clears the cart', async () => {
    const user = uniqueId('buyer');
    const seats = [event.seat(), event.seat(), event.seat()];
    for (const ticketId of seats) expect(await shop.user(user).addTicket({ ticketId })).toBe(true);

    const result = await shop.user(user).checkout({ email: 'buyer@example.org', paymentMethod: 'pm_card_visa' });
    if (!result.ok) throw new Error(`checkout failed: ${result.message}`);
    expect(result.totalCents).toBe(12_000);
    expect(result.tickets.map((t) => t.ticketId)).toEqual(seats);
    expect(new Set(result.tickets.map((t) => t.code)).size).toBe(3);
    for (const ticket of result.tickets) expect(ticket.code).toMatch(/^([0-9A-F]{4}-){7}[0-9A-F]{4}$/);

    for (const ticketId of seats) expect((await shop.seat(ticketId).status()).state).toBe('sold');
    expect((await shop.user(user).getCart()).tickets).toEqual([]);
    expect(await shop.user(uniqueId('late')).addTicket({ ticketId: seats[0]! })).toBe(false);
  });

  it('a declined card keeps the seats held, and a retry with a good card succeeds', async () => {
    const user = uniqueId('u');
    const seat = event.seat();
    await shop.user(user).addTicket({ ticketId: seat });

    const declined = await shop.user(user).checkout({ paymentMethod: 'pm_card_chargeDeclined' });
    expect(declined).toMatchObject({ ok: false, reason: 'payment_declined' });
    expect((await shop.user(user).getCart()).tickets.map((t) => t.ticketId)).toEqual([seat]);
    expect((await shop.seat(seat).status()).state).toBe('reserved');
    expect(await shop.user(uniqueId('other')).addTicket({ ticketId: seat })).toBe(false);

    const paid = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
    expect(paid).toMatchObject({ ok: true, totalCents: 4000 });
    expect((await shop.seat(seat).status()).state).toBe('sold');
  });

  it('the seed’s bare `curl -X POST …/checkout` works without a body', async () => {
    const user = uniqueId('u');
    await shop.user(user).addTicket({ ticketId: event.seat() });
    const response = await shop.post(`/UserSession/${user}/checkout`);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ ok: true, totalCents: 4000 });
  });

  it('replaying a checkout with the same idempotency key returns the first result and charges once', async () => {
    const user = uniqueId('u');
    await shop.user(user).addTicket({ ticketId: event.seat() });
    const idempotencyKey = uniqueId('idem');
    const first = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' }, clients.rpc.opts({ idempotencyKey }));
    const again = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' }, clients.rpc.opts({ idempotencyKey }));
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
    // A new key is a new checkout: the cart is empty by now.
    expect(await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' })).toMatchObject({ reason: 'empty_cart' });
    const placed = await querySql(
      shop.system.adminUrl,
      `SELECT id FROM sys_invocation WHERE target_service_name = 'CheckoutProcess' AND target_handler_name = 'placeOrder' AND invoked_by_target LIKE 'UserSession/${user}%'`,
    );
    expect(placed).toHaveLength(1);
    // And at the provider: one charge for this user, and no second payment begun.
    const intents = shop.fakes.stripe.paymentIntents().filter((intent) => intent.metadata.userId === user);
    expect(intents).toHaveLength(1);
    expect(shop.fakes.stripe.ledger().filter((entry) => entry.paymentIntent === intents[0]?.id)).toEqual([expect.objectContaining({ kind: 'charge' })]);
  });

  it('a checkout key used again once its first answer is forgotten is a new order, not the first one made again', async () => {
    // Restate derives an idempotent invocation's id, and so its ctx.rand, from the key: once the retention has
    // dropped the first answer (purged here, rather than waiting a day), the same key starts the same invocation.
    const user = uniqueId('u');
    const idempotencyKey = uniqueId('idem');
    await shop.user(user).addTicket({ ticketId: event.seat() });
    const first = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' }, clients.rpc.opts({ idempotencyKey }));
    const [call] = await querySql<{ id: string }>(shop.system.adminUrl, `SELECT id FROM sys_invocation WHERE target = 'UserSession/${user}/checkout' AND idempotency_key = '${idempotencyKey}'`);
    await purgeInvocation(shop.system.adminUrl, call!.id);
    await shop.user(user).addTicket({ ticketId: event.seat() });
    const second = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' }, clients.rpc.opts({ idempotencyKey }));
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.orderId).not.toBe(first.orderId);
    expect(second.tickets[0]?.ticketId).not.toBe(first.tickets[0]?.ticketId);
    // Two orders, each with its own seat and charge.
    const orders = await shop.user(user).getOrders();
    expect(new Set(orders.map((order) => order.orderId)).size).toBe(2);
    const intents = shop.fakes.stripe.paymentIntents().filter((intent) => intent.metadata.userId === user);
    expect(new Set(intents.map((intent) => intent.id)).size).toBe(2);
  });

  it('replaying addTicket with the same idempotency key returns the first answer even after the seat changed hands', async () => {
    const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
    const seat = event.seat();
    const idempotencyKey = uniqueId('idem');
    expect(await shop.user(alice).addTicket({ ticketId: seat }, clients.rpc.opts({ idempotencyKey }))).toBe(true);
    await shop.user(alice).removeTicket({ ticketId: seat });
    await shop.user(bob).addTicket({ ticketId: seat });
    expect(await shop.user(alice).addTicket({ ticketId: seat }, clients.rpc.opts({ idempotencyKey }))).toBe(true);
    expect((await shop.user(alice).getCart()).tickets).toEqual([]);
  });
});
