import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as clients from '@restatedev/restate-sdk-clients';
import { BOUNCING_DOMAIN, STAFF_TOKEN_FOR_LOCAL_RUNS } from '@tickets/fakes';
import { purgeInvocation, querySql, serviceState, setState, waitUntil } from '@tickets/local-restate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ticket, type OrderRecord } from '@tickets/contracts';
import { cancelUserCall, waitingCallsTo } from './operator.js';
import { ADMIN, ADMIN_TOKEN, sleep, startShop, uniqueId, type Shop, type TestEvent } from './shop.js';

let shop: Shop;
let event: TestEvent;
beforeAll(async () => {
  // Short provider timeouts so the hung-provider case is bounded quickly.
  shop = await startShop({ appEnv: { PAYMENT_REQUEST_TIMEOUT: '400ms', PAYMENT_MAX_RETRY: '2s' } });
  event = await shop.openEvent();
});
// A test that failed with an app down would otherwise time out every test after it.
afterEach(() => shop?.restartStopped());
afterAll(() => shop?.stop());

const run = promisify(execFile);
const STAFF = { authorization: `Bearer ${STAFF_TOKEN_FOR_LOCAL_RUNS}` };
const checkIn = (code: string) => shop.ingress.client(Ticket, code).checkIn(clients.rpc.opts({ headers: STAFF }));
const charges = () => shop.fakes.stripe.ledger().filter((entry) => entry.kind === 'charge');
const chargesFor = (orderId: string) => charges().filter((entry) => entry.metadata.orderId === orderId);
const mailTo = (email: string) => shop.fakes.smtp.messages().filter((mail) => mail.to.includes(email));
/** An order as the engine stores it: one that failed is in no user's list of orders, so read it as an operator would. */
const orderRecord = async (orderId: string) => (await serviceState(shop.system.adminUrl, 'Order')).get(orderId)?.order as OrderRecord | undefined;
const intentsOf = (user: string) => shop.fakes.stripe.paymentIntents().filter((intent) => intent.metadata.userId === user);
/** The charges and refunds of a user's payments, in order. */
const ledgerOf = (user: string) => {
  const intents = new Set(intentsOf(user).map((intent) => intent.id));
  return shop.fakes.stripe.ledger().filter((entry) => intents.has(entry.paymentIntent)).map((entry) => [entry.kind, entry.amount]);
};
/** A call's outcome as a value, so that a test can hold on to a call that is expected to fail. */
const outcome = <T>(call: Promise<T>) => call.then((result) => ({ result }), (error: unknown) => ({ error }));
/** Cancel a user's running checkout, as an operator would from the Restate UI; answers its invocation id. */
const cancelCheckout = (user: string) => cancelUserCall(shop, user, 'checkout');
/** The order's placeOrder invocation, as Restate lists it. */
const placeOrderOf = async (orderId: string) =>
  (await querySql<{ id: string; status: string }>(shop.system.adminUrl, `SELECT id, status FROM sys_invocation WHERE target = 'CheckoutProcess/placeOrder' AND idempotency_key = 'order-${orderId}'`))[0];
/** Until an operator's cancellation is in the invocation's journal: it has reached it, though its handler may be down. */
const cancellationJournaled = (invocationId: string) =>
  waitUntil("the cancellation in the checkout's journal", async () => {
    const entries = await querySql<{ entry_type: string }>(shop.system.adminUrl, `SELECT entry_type FROM sys_journal WHERE id = '${invocationId}'`);
    return entries.some((entry) => entry.entry_type === 'Notification: Signal');
  });
/** What `pnpm ticket refund-event` prints (tools/cli's EventRefunds). */
interface EventRefunds {
  refunded: string[];
  partRefunded: string[];
  refused: { orderId: string; why: string }[];
  skipped: string[];
  stopped?: { why: string };
  stillOpen?: { held: number; heldUntil?: string; sold: number };
}
/** `pnpm ticket <args>`, as an event admin runs it against this shop: its exit code, output and printed result. */
async function ticketCommand<Result>(args: string[], adminToken = ADMIN_TOKEN) {
  const cli = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));
  const env = { ...process.env, INGRESS_URL: shop.system.ingressUrl, ADMIN_URL: shop.system.adminUrl, ADMIN_TOKEN: adminToken };
  const { code, stdout, stderr } = await run(process.execPath, [createRequire(import.meta.url).resolve('tsx/cli'), '--conditions=development', cli, ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  const result = stdout.trim() ? (JSON.parse(stdout) as Result) : undefined;
  return { code, output: stdout + stderr, result };
}
/** `pnpm ticket refund-event`. */
const refundEventCommand = (eventId: string, reason: string, { adminToken = ADMIN_TOKEN, wait = false } = {}) =>
  ticketCommand<EventRefunds>(['refund-event', eventId, '--reason', reason, ...(wait ? ['--wait'] : [])], adminToken);
/** Invocations of one handler that have not finished, e.g. a mail still being retried. */
const unfinished = async (target: string) =>
  Number((await querySql<{ n: number }>(shop.system.adminUrl, `SELECT count(*) AS n FROM sys_invocation WHERE target = '${target}' AND status != 'completed'`))[0]?.n);
/** Until no mail and no payment undo is under way anywhere in the shop: after that, "exactly one" cannot change. */
const settled = () =>
  waitUntil(
    'mail and payment undos to finish',
    async () => (await unfinished('CheckoutProcess/sendMail')) + (await unfinished('CheckoutProcess/abandonPayment')) + (await unfinished('CheckoutProcess/refundPart')) === 0,
    20_000,
  );

async function holdSeats(count: number, user = uniqueId('buyer'), on = event) {
  const seats = on.seats(count);
  expect(await shop.user(user).addTickets({ ticketIds: seats })).toMatchObject({ ok: true });
  return { user, seats, email: `${user}@example.org` };
}

/** Hold `count` seats of `on` for `user` and pay for them with a good card; answers the order. */
async function buySeats(count: number, user = uniqueId('buyer'), on = event) {
  await holdSeats(count, user, on);
  const result = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
  if (!result.ok) throw new Error(result.message);
  return { user, ...result };
}

describe('checkout through the Stripe-shaped provider', () => {
  it('charges once, issues tickets, records the order and emails the codes to the given address', async () => {
    const { user, seats, email } = await holdSeats(2);
    const result = await shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' });
    if (!result.ok) throw new Error(result.message);

    expect(chargesFor(result.orderId)).toEqual([expect.objectContaining({ amount: 8000, currency: 'usd' })]);
    const order = await shop.user(user).getOrder({ orderId: result.orderId });
    expect(order).toMatchObject({ orderId: result.orderId, userId: user, email, status: 'confirmed', totalCents: 8000, tickets: result.tickets });
    expect(order.paymentId).toMatch(/^pi_/);
    expect(await shop.user(user).getOrders()).toEqual([expect.objectContaining({ orderId: result.orderId, status: 'confirmed', ticketIds: seats })]);

    await waitUntil('the confirmation email', async () => mailTo(email).length === 1);
    const [mail] = mailTo(email);
    expect(mail!.messageId).toBe(`<order-${result.orderId}.confirmation@tickets.example.com>`);
    for (const ticket of result.tickets) expect(mail!.text).toContain(ticket.code);
  });

  it('a decline keeps the seats held and says so by email; a retry with another card succeeds', async () => {
    const { user, seats, email } = await holdSeats(1);
    const declined = await shop.user(user).checkout({ email, paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds' });
    expect(declined).toMatchObject({ ok: false, reason: 'payment_declined', message: expect.stringContaining('insufficient_funds') });
    expect((await shop.seat(seats[0]!).status()).state).toBe('reserved');
    await waitUntil('the payment-failed email', async () => mailTo(email).some((m) => m.subject.includes('did not go through')));

    const paid = await shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' });
    expect(paid).toMatchObject({ ok: true });
    expect((await shop.seat(seats[0]!).status()).state).toBe('sold');
  });

  it('transient provider errors are retried to success with exactly one charge', async () => {
    const { user } = await holdSeats(1);
    const confirms = () => shop.fakes.stripe.requestCount('POST /v1/payment_intents/:id/confirm');
    const before = confirms();
    const result = await shop.user(user).checkout({ paymentMethod: 'pm_card_flaky' });
    if (!result.ok) throw new Error(result.message);
    expect(chargesFor(result.orderId)).toHaveLength(1);
    // Two 500s, each kept under its key as Stripe keeps them, then the confirm that went through: every retry after
    // a 500 reached the provider under a new key, rather than being answered the same 500 again.
    expect(confirms() - before).toBe(3);
  });

  it('a provider that hangs is given up on, the payment cancelled, and the seats stay held', async () => {
    const { user, seats, email } = await holdSeats(1);
    // Answered at all (within the test's timeout) is what counts here: PAYMENT_MAX_RETRY bounds the wait.
    const result = await shop.user(user).checkout({ email, paymentMethod: 'pm_card_hang' });
    expect(result).toMatchObject({ ok: false, reason: 'payment_unavailable' });
    expect((await shop.seat(seats[0]!).status()).state).toBe('reserved');
    await waitUntil('the payment intent to be cancelled', async () =>
      shop.fakes.stripe.paymentIntents().some((pi) => pi.payment_method === 'pm_card_hang' && pi.metadata.userId === user && pi.status === 'canceled'),
    );
    expect(charges().filter((c) => c.metadata.userId === user)).toEqual([]);
    // The user is not stuck: the cart answers and another card works.
    expect(await shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' })).toMatchObject({ ok: true });
  });
});

describe('payments that neither succeed nor fail at once', () => {
  it('an operator cancelling a checkout while the provider hangs gets the payment cancelled and the holds given back', async () => {
    const { user, seats } = await holdSeats(1);
    const checkout = outcome(shop.user(user).checkout({ paymentMethod: 'pm_card_hang' }));
    await waitUntil('the payment to be created', async () => intentsOf(user).length === 1);
    await cancelCheckout(user);
    expect(await checkout).toMatchObject({ error: expect.any(Error) });
    await waitUntil('the payment to be cancelled', async () => intentsOf(user).every((intent) => intent.status === 'canceled'));
    expect(intentsOf(user)).toHaveLength(1);
    expect(ledgerOf(user)).toEqual([]);
    await waitUntil('the seat to be free', async () => (await shop.seat(seats[0]!).status()).state === 'available');
  });

  it('a payment still processing is given up at once: the seats stay held, and it is refunded once it goes through', async () => {
    const { user, seats } = await holdSeats(1);
    const result = await shop.user(user).checkout({ paymentMethod: 'pm_card_processing' });
    expect(result).toMatchObject({ ok: false, reason: 'payment_declined', message: expect.stringContaining('processing') });
    expect((await shop.seat(seats[0]!).status()).state).toBe('reserved');
    // It cannot be cancelled while processing; abandonPayment asks again until it has settled, then refunds.
    await waitUntil('the settled payment to be refunded', async () => ledgerOf(user).length === 2, 30_000);
    expect(ledgerOf(user)).toEqual([['charge', 4000], ['refund', 4000]]);
    expect(await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' })).toMatchObject({ ok: true });
  });

  it('a card that asks for 3-D Secure is declined, its payment cancelled, and nothing charged', async () => {
    const { user } = await holdSeats(1);
    expect(await shop.user(user).checkout({ paymentMethod: 'pm_card_authenticationRequired' })).toMatchObject({ ok: false, reason: 'payment_declined' });
    expect(intentsOf(user)).toHaveLength(1);
    await waitUntil('the payment to be cancelled', async () => intentsOf(user).every((intent) => intent.status === 'canceled'));
    expect(ledgerOf(user)).toEqual([]);
  });

  it('a payment method the provider does not know is declined, not reported as an outage', async () => {
    const { user } = await holdSeats(1);
    const result = await shop.user(user).checkout({ paymentMethod: 'pm_nonexistent' });
    expect(result).toMatchObject({ ok: false, reason: 'payment_declined', message: expect.stringContaining('resource_missing') });
    expect(intentsOf(user)).toEqual([]);
  });
});

describe('free seats', () => {
  it('are bought without a payment, and cancelled without a refund', async () => {
    const free = await shop.openEvent({ sections: [{ id: 'free', name: 'Free', priceCents: 0, rows: [{ label: 'A', seats: 10 }] }] });
    const user = uniqueId('guest');
    const email = `${user}@example.org`;
    expect(await shop.user(user).addTickets({ ticketIds: free.seats(2) })).toMatchObject({ ok: true });
    const result = await shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' });
    expect(result).toMatchObject({ ok: true, totalCents: 0 });
    if (!result.ok) return;
    expect(intentsOf(user)).toEqual([]);
    await waitUntil('the confirmation', async () => mailTo(email).some((mail) => mail.text.includes('Free of charge.')));
    const cancelled = await shop.user(user).cancelOrder({ orderId: result.orderId });
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    expect(cancelled.paymentId).toBeUndefined();
    expect(ledgerOf(user)).toEqual([]);
  });

  it('a price below what a card can be charged is refused when the event is created', async () => {
    const response = await shop.post(
      `/Event/${uniqueId('cheap')}/create`,
      JSON.stringify({
        name: 'Cheap',
        venue: 'Hall',
        startsAt: '2027-06-01T20:00:00Z',
        currency: 'USD',
        sections: [{ id: 'cheap', name: 'Cheap', priceCents: 25, rows: [{ label: 'A', seats: 1 }] }],
      }),
      { 'content-type': 'application/json', ...ADMIN },
    );
    expect(response.status).toBe(400);
    expect(response.text).toContain('at least 50 USD cents');
  });
});

describe('after the sale', () => {
  it('a ticket admits once; the second scan is refused with the time of the first', async () => {
    const { user } = await holdSeats(1);
    const result = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
    if (!result.ok) throw new Error(result.message);
    const code = result.tickets[0]!.code;
    const first = await checkIn(code);
    expect(first).toMatchObject({ admitted: true, ticketId: result.tickets[0]!.ticketId, orderId: result.orderId });
    const second = await checkIn(code);
    expect(second).toEqual({ admitted: false, reason: 'already_checked_in', ticketId: result.tickets[0]!.ticketId, firstCheckedInAt: first.admitted ? first.checkedInAt : '' });
  });

  it('check-in needs the staff token, and an unknown code is a 404', async () => {
    const response = await shop.post('/Ticket/0000-0000-0000-0000-0000-0000-0000-0000/checkIn', undefined, STAFF);
    expect(response.status).toBe(404);
    const { user } = await holdSeats(1);
    const result = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
    if (!result.ok) throw new Error(result.message);
    expect((await shop.post(`/Ticket/${result.tickets[0]!.code}/checkIn`, undefined)).status).toBe(401);
  });

  it('cancelling refunds once, puts the seats back on sale, voids the tickets and emails', async () => {
    const { user, seats, email } = await holdSeats(2);
    const result = await shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' });
    if (!result.ok) throw new Error(result.message);

    const cancelled = await shop.user(user).cancelOrder({ orderId: result.orderId });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
    const again = await shop.user(user).cancelOrder({ orderId: result.orderId });
    expect(again).toEqual(cancelled);

    // The refund is made in the background, retried until it is done.
    await waitUntil('the refund', async () => ledgerOf(user).length === 2);
    const paymentId = cancelled.paymentId;
    expect(shop.fakes.stripe.ledger().filter((e) => e.paymentIntent === paymentId).map((e) => [e.kind, e.amount])).toEqual([
      ['charge', 8000],
      ['refund', 8000],
    ]);
    for (const seat of seats) expect((await shop.seat(seat).status()).state).toBe('available');
    expect(await shop.user(uniqueId('next')).addTicket({ ticketId: seats[0]! })).toBe(true);
    expect(await checkIn(result.tickets[1]!.code)).toMatchObject({ admitted: false, reason: 'voided' });
    expect(await shop.user(user).getOrders()).toEqual([expect.objectContaining({ orderId: result.orderId, status: 'cancelled' })]);
    await waitUntil('the cancellation email', async () => mailTo(email).some((m) => m.messageId.includes('.cancellation@')));
  });

  it('a ticket used at the door keeps its order: cancelling is refused, nothing is refunded, and its other codes still admit', async () => {
    const { user, seats } = await holdSeats(2);
    const result = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
    if (!result.ok) throw new Error(result.message);
    expect(await checkIn(result.tickets[0]!.code)).toMatchObject({ admitted: true });

    const response = await shop.post(`/UserSession/${user}/cancelOrder`, JSON.stringify({ orderId: result.orderId }));
    expect(response.status).toBe(409);
    expect(response.text).toContain('used at the door');
    // The second code was voided and then given back: it admits.
    expect(await checkIn(result.tickets[1]!.code)).toMatchObject({ admitted: true });
    expect(ledgerOf(user)).toEqual([['charge', 8000]]);
    for (const seat of seats) expect((await shop.seat(seat).status()).state).toBe('sold');
    expect((await shop.user(user).getOrders())[0]!.status).toBe('confirmed');
    expect((await shop.user(user).getOrder({ orderId: result.orderId })).status).toBe('confirmed');
    expect(await unfinished('CheckoutProcess/abandonPayment')).toBe(0);
  });

  it('an order cannot be cancelled once its event has begun', async () => {
    const started = await shop.openEvent({ startsAt: new Date(Date.now() - 60_000).toISOString() });
    const user = uniqueId('late');
    const [seat] = started.seats(1);
    expect(await shop.user(user).addTicket({ ticketId: seat! })).toBe(true);
    const result = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
    if (!result.ok) throw new Error(result.message);

    const response = await shop.post(`/UserSession/${user}/cancelOrder`, JSON.stringify({ orderId: result.orderId }));
    expect(response.status).toBe(409);
    expect(response.text).toContain('event has begun');
    expect(ledgerOf(user)).toEqual([['charge', 4000]]);
    expect((await shop.seat(seat!).status()).state).toBe('sold');
    expect(await checkIn(result.tickets[0]!.code)).toMatchObject({ admitted: true });
  });

  it('an event admin refunds an order even once its event has begun: once, saying why, and the seat counts no more', async () => {
    const started = await shop.openEvent({ startsAt: new Date(Date.now() - 60_000).toISOString(), maxSeatsPerUser: 1 });
    const user = uniqueId('refunded');
    const email = `${user}@example.org`;
    const [seat, another] = started.seats(2) as [string, string];
    expect(await shop.user(user).addTicket({ ticketId: seat })).toBe(true);
    const result = await shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' });
    if (!result.ok) throw new Error(result.message);
    const refund = (headers: Record<string, string>, reason = 'The match is called off.') =>
      shop.post(`/Order/${result.orderId}/refund`, JSON.stringify({ reason }), { 'content-type': 'application/json', ...headers });

    // Only an event admin, and only with a reason.
    expect((await refund({})).status).toBe(401);
    expect((await refund({ authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await refund(ADMIN, '')).status).toBe(400);
    expect(ledgerOf(user)).toEqual([['charge', 4000]]);
    expect(await orderRecord(result.orderId)).toMatchObject({ status: 'confirmed' });

    const refunded = await refund(ADMIN);
    expect(refunded.status).toBe(200);
    expect(JSON.parse(refunded.text)).toMatchObject({ status: 'cancelled', operatorReason: 'The match is called off.' });
    expect(JSON.parse((await refund(ADMIN, 'Asked twice.')).text)).toEqual(JSON.parse(refunded.text));
    await waitUntil('the refund', async () => ledgerOf(user).length === 2);
    // Once the buyer's records have caught up (below), a second refund would have been sent long since.
    expect((await shop.seat(seat).status()).state).toBe('available');
    expect(await checkIn(result.tickets[0]!.code)).toMatchObject({ admitted: false, reason: 'voided' });
    // The buyer's own records follow: the order listed as cancelled, and the seat no longer counted against the
    // event's limit of one per user.
    await waitUntil("the buyer's list of orders", async () => (await shop.user(user).getOrders())[0]?.status === 'cancelled');
    expect(await shop.user(user).addTicket({ ticketId: another })).toBe(true);
    await waitUntil('the cancellation email', async () => mailTo(email).some((m) => m.messageId.includes('.cancellation@') && m.text.includes('called off')));
    expect(await unfinished('CheckoutProcess/abandonPayment')).toBe(0);
    expect(ledgerOf(user)).toEqual([['charge', 4000], ['refund', 4000]]);
  });

  it('`pnpm ticket refund-event` refunds every confirmed order of a closed event, reports the one it cannot, and can run again', async () => {
    const calledOff = await shop.openEvent();
    const buyOn = (target: TestEvent, count: number) => buySeats(count, uniqueId('fan'), target);
    const [one, two, used, elsewhere] = [await buyOn(calledOff, 1), await buyOn(calledOff, 2), await buyOn(calledOff, 1), await buyOn(event, 1)];
    expect(await checkIn(used.tickets[0]!.code)).toMatchObject({ admitted: true });
    // An order with a seat of another event too, and two buyers still holding seats when the event is closed.
    const both = uniqueId('fan');
    const [calledOffSeat, keptSeat] = [calledOff.seat(), event.seat()];
    expect(await shop.user(both).addTickets({ ticketIds: [calledOffSeat, keptSeat] })).toMatchObject({ ok: true });
    const mixed = await shop.user(both).checkout({ paymentMethod: 'pm_card_visa' });
    if (!mixed.ok) throw new Error(mixed.message);
    const codeOf = (seat: string) => mixed.tickets.find((ticket) => ticket.ticketId === seat)!.code;
    const [late, later] = [await holdSeats(1, uniqueId('late'), calledOff), await holdSeats(1, uniqueId('later'), calledOff)];
    const reason = 'The concert is called off.';

    // Still on sale: refused, since the seats would be sold again; a wrong token stops at the first order.
    expect(await refundEventCommand(calledOff.eventId, reason)).toMatchObject({ code: 1, output: expect.stringContaining('close it first') });
    await shop.event(calledOff.eventId).close(clients.rpc.opts({ headers: ADMIN }));
    const wrong = await refundEventCommand(calledOff.eventId, reason, { adminToken: 'wrong-token-0123456789' });
    expect(wrong).toMatchObject({ code: 1, result: { refunded: [], stopped: { why: expect.stringContaining('401') } } });
    expect(await orderRecord(one.orderId)).toMatchObject({ status: 'confirmed' });

    const first = await refundEventCommand(calledOff.eventId, reason);
    expect(first.code).toBe(1); // one order is left, and two seats are still held
    expect(new Set(first.result?.refunded)).toEqual(new Set([one.orderId, two.orderId]));
    expect(first.result?.refused).toEqual([{ orderId: used.orderId, why: expect.stringContaining('used at the door') }]);
    // The order spanning both events loses its seat of the one called off, and keeps the other.
    expect(first.result?.partRefunded).toEqual([mixed.orderId]);
    expect(first.result?.stillOpen).toMatchObject({ held: 2, sold: 0, heldUntil: expect.any(String) });
    for (const { orderId, user } of [one, two]) {
      expect(await orderRecord(orderId)).toMatchObject({ status: 'cancelled', operatorReason: reason });
      await waitUntil(`${user}'s list of orders`, async () => (await shop.user(user).getOrders())[0]?.status === 'cancelled');
    }
    expect(await orderRecord(used.orderId)).toMatchObject({ status: 'confirmed' });
    expect((await serviceState(shop.system.adminUrl, 'Ticket')).get(used.tickets[0]!.code)?.ticket).toMatchObject({ voided: false });
    expect(await orderRecord(elsewhere.orderId)).toMatchObject({ status: 'confirmed' });
    expect(await orderRecord(mixed.orderId)).toMatchObject({
      status: 'confirmed',
      partRefunds: [{ eventId: calledOff.eventId, ticketIds: [calledOffSeat], amountCents: 4000, reason }],
    });
    expect(await checkIn(codeOf(calledOffSeat))).toMatchObject({ admitted: false, reason: 'voided' });
    expect((await serviceState(shop.system.adminUrl, 'Ticket')).get(codeOf(keptSeat))?.ticket).toMatchObject({ voided: false });
    expect([(await shop.seat(calledOffSeat).status()).state, (await shop.seat(keptSeat).status()).state]).toEqual(['available', 'sold']);

    // A closed event still lets carts buy what they hold: with --wait, the command refunds those orders as they come.
    const boughtLate = await shop.user(late.user).checkout({ paymentMethod: 'pm_card_visa' });
    if (!boughtLate.ok) throw new Error(boughtLate.message);
    const waiting = refundEventCommand(calledOff.eventId, reason, { wait: true });
    await waitUntil("the late buyer's refund", async () => (await orderRecord(boughtLate.orderId))?.status === 'cancelled', 30_000);
    const boughtLater = await shop.user(later.user).checkout({ paymentMethod: 'pm_card_visa' });
    if (!boughtLater.ok) throw new Error(boughtLater.message);
    const waited = await waiting;
    expect(new Set(waited.result?.refunded)).toEqual(new Set([boughtLate.orderId, boughtLater.orderId]));
    expect(waited.result).toMatchObject({ partRefunded: [], refused: [{ orderId: used.orderId }], stillOpen: { held: 0, sold: 0 } });

    // Run again (after the script was interrupted, say): what was refunded is not refunded again.
    expect((await refundEventCommand(calledOff.eventId, reason)).result).toMatchObject({ refunded: [], partRefunded: [], refused: [{ orderId: used.orderId }], skipped: [] });
    const refundsOf = (orderId: string) => shop.fakes.stripe.ledger().filter((entry) => entry.kind === 'refund' && entry.paymentIntent === chargesFor(orderId)[0]?.paymentIntent);
    const refundedOrders = [one, two, boughtLate, boughtLater].map((order) => order.orderId);
    await waitUntil('the refunds', async () => [...refundedOrders, mixed.orderId].every((orderId) => refundsOf(orderId).length === 1));
    await settled();
    expect([...refundsOf(used.orderId), ...refundsOf(elsewhere.orderId)]).toEqual([]);
    expect(refundsOf(mixed.orderId).map((refund) => refund.amount)).toEqual([4000]);
  });

  it('`pnpm ticket refund-event --wait` stops when the event is opened again, rather than refund what is bought then', async () => {
    const reopened = await shop.openEvent();
    const bought = await buySeats(1, uniqueId('fan'), reopened);
    // A seat still held keeps --wait going.
    await holdSeats(1, uniqueId('holder'), reopened);
    await shop.event(reopened.eventId).close(clients.rpc.opts({ headers: ADMIN }));
    const waiting = refundEventCommand(reopened.eventId, 'Postponed.', { wait: true });
    await waitUntil('the first refund', async () => (await orderRecord(bought.orderId))?.status === 'cancelled', 30_000);
    await shop.event(reopened.eventId).open(clients.rpc.opts({ headers: ADMIN }));
    const stopped = await waiting;
    expect(stopped).toMatchObject({ code: 1, result: { refunded: [bought.orderId], stopped: { why: expect.stringContaining('on_sale again') }, stillOpen: { held: 1 } } });
  });

  it("an event admin takes one event's seats out of an order: refunded once though the provider's answer is lost, the rest standing until the buyer cancels it", async () => {
    // The seat called off costs less than half the order, so a second refund of it would go through.
    const limitOne = await shop.openEvent({ maxSeatsPerUser: 1, sections: [{ id: 'main', name: 'Main', priceCents: 2500, rows: [{ label: 'A', seats: 20 }] }] });
    const user = uniqueId('both');
    const email = `${user}@example.org`;
    const [calledOffSeat, keptSeat] = [limitOne.seat(), event.seat()];
    expect(await shop.user(user).addTickets({ ticketIds: [calledOffSeat, keptSeat] })).toMatchObject({ ok: true });
    // pm_card_refundLost: the provider books the first refund but answers it 500, so the next attempt goes under
    // another key. Without looking for the refund already made first, that attempt would refund a second time.
    const paid = await shop.user(user).checkout({ email, paymentMethod: 'pm_card_refundLost' });
    if (!paid.ok) throw new Error(paid.message);
    const codeOf = (seat: string) => paid.tickets.find((ticket) => ticket.ticketId === seat)!.code;
    const refund = (body: object) => shop.post(`/Order/${paid.orderId}/refund`, JSON.stringify(body), { 'content-type': 'application/json', ...ADMIN });
    const reason = 'The first night is called off.';

    expect(await refund({ reason, eventId: 'no-such-event' })).toMatchObject({ status: 404, text: expect.stringContaining('no seat of event no-such-event') });
    expect((await refund({ reason, eventId: 'not an id' })).status).toBe(400);
    // An empty --event (an unset variable in a script) is refused, not taken to mean the whole order.
    expect(await ticketCommand(['refund', paid.orderId, '--reason', reason, '--event', ''])).toMatchObject({ code: 1, output: expect.stringContaining('eventId') });
    const untouched = await orderRecord(paid.orderId);
    expect([untouched?.status, untouched?.partRefunds]).toEqual(['confirmed', undefined]);
    const posts = () => shop.fakes.stripe.requestCount('POST /v1/refunds');
    const lists = () => shop.fakes.stripe.requestCount('GET /v1/refunds');
    const [postsBefore, listsBefore] = [posts(), lists()];
    const answered = await refund({ reason, eventId: limitOne.eventId });
    expect(answered.status).toBe(200);
    const partRefunded = JSON.parse(answered.text) as OrderRecord;
    expect(partRefunded).toMatchObject({ status: 'confirmed', partRefunds: [{ eventId: limitOne.eventId, ticketIds: [calledOffSeat], amountCents: 2500, reason }] });
    // Asked again: the event's seats are gone already, so nothing is refunded twice.
    expect(JSON.parse((await refund({ reason: 'Asked twice.', eventId: limitOne.eventId })).text)).toEqual(partRefunded);
    await settled();
    expect(ledgerOf(user)).toEqual([['charge', 6500], ['refund', 2500]]);
    // One refund made, its 500 answered by a retry that looked first and found it.
    expect([posts() - postsBefore, lists() - listsBefore]).toEqual([1, 2]);

    expect(await checkIn(codeOf(calledOffSeat))).toMatchObject({ admitted: false, reason: 'voided' });
    expect((await serviceState(shop.system.adminUrl, 'Ticket')).get(codeOf(keptSeat))?.ticket).toMatchObject({ voided: false });
    expect([(await shop.seat(calledOffSeat).status()).state, (await shop.seat(keptSeat).status()).state]).toEqual(['available', 'sold']);
    expect(mailTo(email).find((mail) => mail.messageId === `<order-${paid.orderId}.part-refund-${limitOne.eventId}@tickets.example.com>`)?.text).toContain(
      '$25.00 refunded',
    );
    // The buyer's records follow: the order lists the seat it kept, and the refunded seat no longer counts against
    // the event's limit of one.
    await waitUntil("the buyer's list of orders", async () => (await shop.user(user).getOrders())[0]?.ticketIds.length === 1);
    expect((await shop.user(user).getOrders())[0]).toMatchObject({ status: 'confirmed', ticketIds: [keptSeat], partRefundedCents: 2500 });
    expect(await shop.user(user).addTicket({ ticketId: limitOne.seat() })).toBe(true);

    // The rest, cancelled by the buyer: what is left is refunded, and only the code that still admitted is voided.
    expect(await shop.user(user).cancelOrder({ orderId: paid.orderId })).toMatchObject({ status: 'cancelled' });
    await settled();
    expect(ledgerOf(user)).toEqual([['charge', 6500], ['refund', 2500], ['refund', 4000]]);
    expect((await shop.seat(keptSeat).status()).state).toBe('available');
    const cancellation = mailTo(email).find((mail) => mail.messageId.includes('.cancellation@'));
    expect(cancellation?.text).toContain('$40.00 refunded');
    expect(cancellation?.text).toContain(`These tickets no longer admit: ${codeOf(keptSeat)}.`);
  });

  it("a buyer's cancellation is counted once, though both its answer and the order's message report it", async () => {
    const limited = await shop.openEvent({ maxSeatsPerUser: 3 });
    const user = uniqueId('twice');
    // One seat bought and kept, one bought and cancelled.
    await buySeats(1, user, limited);
    const { orderId } = await buySeats(1, user, limited);
    const [third, fourth, fifth] = limited.seats(3) as [string, string, string];
    expect(await shop.user(user).cancelOrder({ orderId })).toMatchObject({ status: 'cancelled' });
    // Order's message was sent before its answer, so it is queued behind the cancellation: wait until it has run.
    await waitUntil('the order-cancelled message', async () => (await unfinished(`UserSession/${user}/orderCancelled`)) === 0);
    // One seat still bought: two more reach the limit of three. Counted twice, the cancellation would have taken the
    // kept order's seat off the count too, and let a fourth through.
    expect(await shop.user(user).addTickets({ ticketIds: [third, fourth] })).toMatchObject({ ok: true });
    expect((await shop.post(`/UserSession/${user}/addTicket`, JSON.stringify(fifth))).status).toBe(409);
  });

  it('nobody else can read or cancel your order, even knowing its id', async () => {
    const { user } = await holdSeats(1);
    const result = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
    if (!result.ok) throw new Error(result.message);
    const orderRef = JSON.stringify({ orderId: result.orderId });
    expect((await shop.post(`/UserSession/${uniqueId('thief')}/getOrder`, orderRef)).status).toBe(404);
    expect((await shop.post(`/Order/${result.orderId}/get`, undefined)).text).toMatch(/not public/);
    expect((await shop.user(user).getOrder({ orderId: result.orderId })).tickets).toEqual(result.tickets);
    const response = await shop.post(`/UserSession/${uniqueId('thief')}/cancelOrder`, orderRef);
    expect(response.status).toBe(404);
    expect((await shop.user(user).getOrders())[0]!.status).toBe('confirmed');
  });
});

describe('at the same moment', () => {
  it('two checkouts of one cart (a double click, no idempotency key) charge once and make one order', async () => {
    const { user, seats } = await holdSeats(2);
    const results = await Promise.all([0, 1].map(() => shop.user(user).checkout({ paymentMethod: 'pm_card_visa' })));
    // The cart's single writer runs them one after the other: the second finds the cart empty.
    expect(results.map((result) => (result.ok ? 'ok' : result.reason)).sort()).toEqual(['empty_cart', 'ok']);
    expect(ledgerOf(user)).toEqual([['charge', 8000]]);
    expect(await shop.user(user).getOrders()).toHaveLength(1);
    for (const seat of seats) expect((await shop.seat(seat).status()).state).toBe('sold');
  });

  it("a buyer's cancellation and an event admin's refund of the same order refund it once", async () => {
    const { user, orderId } = await buySeats(2);
    const refund = shop.post(`/Order/${orderId}/refund`, JSON.stringify({ reason: 'The show is called off.' }), { 'content-type': 'application/json', ...ADMIN });
    const [cancelled, refunded] = await Promise.all([shop.user(user).cancelOrder({ orderId }), refund]);
    expect(refunded.status).toBe(200);
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    await waitUntil('the refund', async () => ledgerOf(user).length === 2);
    await waitUntil('the refunds to finish', async () => (await unfinished('CheckoutProcess/abandonPayment')) === 0);
    expect(ledgerOf(user)).toEqual([['charge', 8000], ['refund', 8000]]);
    expect(await shop.user(user).getOrders()).toEqual([expect.objectContaining({ orderId, status: 'cancelled' })]);
  });

  it('a scan at the door racing a cancellation: either the ticket admits and the order stands, or the order is refunded and the ticket admits no one', async () => {
    const outcomes: string[] = [];
    // The scan a little later each round, so that it lands before, inside and after the cancellation's steps.
    for (const delay of [0, 10, 20, 40, 80, 160]) {
      const { user, orderId, tickets } = await buySeats(1);
      const code = tickets[0]!.code;
      const [cancel, scan] = await Promise.all([outcome(shop.user(user).cancelOrder({ orderId })), sleep(delay).then(() => checkIn(code))]);
      if (scan.admitted) {
        expect(cancel).toMatchObject({ error: expect.objectContaining({ status: 409 }) });
        expect(await orderRecord(orderId)).toMatchObject({ status: 'confirmed' });
        expect(ledgerOf(user)).toEqual([['charge', 4000]]);
        outcomes.push('admitted');
      } else {
        expect(scan).toMatchObject({ reason: 'voided' });
        expect(cancel).toMatchObject({ result: { status: 'cancelled' } });
        await waitUntil('the refund', async () => ledgerOf(user).length === 2);
        expect(ledgerOf(user)).toEqual([['charge', 4000], ['refund', 4000]]);
        expect(await checkIn(code)).toMatchObject({ admitted: false, reason: 'voided' });
        outcomes.push('refunded');
      }
    }
    console.log(`scan 0–160 ms after the cancellation: ${outcomes.join(', ')}`);
  });
});

describe('paid but the seats cannot be sold', () => {
  it('refunds automatically and tells the user', async () => {
    const { user, seats, email } = await holdSeats(1);
    // The flaky card keeps the payment busy for a moment; meanwhile an operator takes the seat away.
    const checkout = shop.user(user).checkout({ email, paymentMethod: 'pm_card_flaky' });
    await setState(shop.system.adminUrl, 'TicketDb', seats[0]!, {
      seat: { state: 'reserved', userId: 'operator', holdId: '00000000-0000-4000-8000-000000000000', until: 0 },
    });
    const result = await checkout;
    expect(result).toMatchObject({ ok: false, reason: 'seats_unavailable' });

    const charge = charges().find((c) => c.metadata.userId === user);
    expect(charge).toBeDefined();
    // The refund runs in the background (abandonPayment), retried until it is done.
    await waitUntil('the refund', async () => ledgerOf(user).length === 2);
    expect(ledgerOf(user)).toEqual([['charge', 4000], ['refund', 4000]]);
    expect(await orderRecord(charge!.metadata.orderId!)).toMatchObject({ status: 'refunded', tickets: [] });
    expect((await shop.user(user).getCart()).tickets).toEqual([]);
    await waitUntil('the refund email', async () => mailTo(email).some((m) => m.messageId.includes('.refunded@')));
  });
});

describe('a crash after the charge', () => {
  it('the checkout app killed (SIGKILL) after charging, before the seats are sold: one charge, tickets issued, one confirmation', async () => {
    const { user, seats, email } = await holdSeats(2);
    // With ticket-db down, the paid checkout waits to sell the seats; then the checkout app dies.
    await shop.system.app('ticket-db').process.kill();
    const checkout = shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' });
    await waitUntil('the charge', async () => charges().some((c) => c.metadata.userId === user), 15_000);
    await shop.system.app('checkout').process.kill();
    await sleep(500);
    await shop.system.startApp('checkout');
    await shop.system.startApp('ticket-db');

    const result = await checkout;
    if (!result.ok) throw new Error(result.message);
    expect(charges().filter((c) => c.metadata.userId === user)).toHaveLength(1);
    expect(result.tickets).toHaveLength(2);
    for (const seat of seats) expect((await shop.seat(seat).status()).state).toBe('sold');
    for (const ticket of result.tickets) expect(await checkIn(ticket.code)).toMatchObject({ admitted: true });
    await waitUntil('the confirmation', async () => mailTo(email).length === 1, 15_000);
    await settled();
    expect(mailTo(email)).toHaveLength(1);
  });

  it('an operator cancelling a paid checkout gets the seats put back, the payment refunded and the order recorded as refunded', async () => {
    const { user, seats, email } = await holdSeats(2);
    await shop.system.app('ticket-db').process.kill();
    const checkout = outcome(shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' }));
    // Cancel once the paid checkout waits to sell the seats (a cancel during the payment is a different case).
    await waitUntil('the sale calls', async () => {
      const calls = await querySql(shop.system.adminUrl, `SELECT id FROM sys_invocation WHERE target_handler_name = 'markAsSold' AND target_service_key IN ('${seats.join("','")}')`);
      return calls.length === seats.length;
    }, 15_000);
    await cancelCheckout(user);
    await shop.system.startApp('ticket-db');

    expect(await checkout).toMatchObject({ error: expect.any(Error) });
    await waitUntil('the refund', async () => ledgerOf(user).length === 2, 20_000);
    expect(ledgerOf(user)).toEqual([['charge', 8000], ['refund', 8000]]);
    const orderId = charges().find((c) => c.metadata.userId === user)!.metadata.orderId!;
    await waitUntil('the order recorded as refunded', async () => (await orderRecord(orderId))?.status === 'refunded');
    // The holds are given back too: the seats are free for the next buyer, and the cart does not show them.
    await waitUntil('the seats to be free', async () => (await Promise.all(seats.map(async (seat) => (await shop.seat(seat).status()).state))).every((state) => state === 'available'));
    expect((await shop.user(user).getCart()).tickets).toEqual([]);
    expect(await shop.user(uniqueId('next')).addTickets({ ticketIds: seats })).toMatchObject({ ok: true });
    await waitUntil('the refund email', async () => mailTo(email).some((m) => m.messageId.includes('.refunded@')));
  });

  it('an operator cancelling a paid checkout again while it gives the payment back gets one refund, and the seats and cart put right', async () => {
    const { user, seats, email } = await holdSeats(2);
    await shop.system.app('ticket-db').process.kill();
    const checkout = outcome(shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' }));
    await waitUntil('the sale calls', async () => (await waitingCallsTo(shop, 'markAsSold', seats)) === seats.length, 15_000);
    const checkoutId = await cancelCheckout(user);
    // The first cancellation has reached placeOrder, which now gives the seats back, waiting for ticket-db: cancel
    // again, as an operator does who sees the checkout still running.
    await waitUntil('the give-back calls', async () => (await waitingCallsTo(shop, 'cancelSale', seats)) === seats.length, 15_000);
    expect(await cancelCheckout(user)).toBe(checkoutId);
    const signals = async (id: string) =>
      (await querySql(shop.system.adminUrl, `SELECT index FROM sys_journal WHERE id = '${id}' AND entry_type = 'Notification: Signal'`)).length;
    await waitUntil('both cancellations in the checkout\'s journal', async () => (await signals(checkoutId)) === 2);
    // Each reached placeOrder too: the second cut its giving back short, which it then ran again.
    const orderId = charges().find((c) => c.metadata.userId === user)!.metadata.orderId!;
    const placeOrder = await placeOrderOf(orderId);
    await waitUntil('both cancellations in placeOrder\'s journal', async () => (await signals(placeOrder!.id)) === 2);
    await shop.system.startApp('ticket-db');

    expect(await checkout).toMatchObject({ error: expect.any(Error) });
    await waitUntil('the refund', async () => ledgerOf(user).length === 2, 20_000);
    await waitUntil('the order recorded as refunded', async () => (await orderRecord(orderId))?.status === 'refunded');
    await waitUntil('the seats to be free', async () => (await Promise.all(seats.map(async (seat) => (await shop.seat(seat).status()).state))).every((state) => state === 'available'));
    expect((await shop.user(user).getCart()).tickets).toEqual([]);
    await waitUntil('the refund email', async () => mailTo(email).some((m) => m.messageId.includes('.refunded@')));
    await settled();
    expect(ledgerOf(user)).toEqual([['charge', 8000], ['refund', 8000]]);
    expect(mailTo(email).filter((m) => m.messageId.includes('.refunded@'))).toHaveLength(1);
    expect(await shop.user(uniqueId('next')).addTickets({ ticketIds: seats })).toMatchObject({ ok: true });
  });

  it('an operator cancelling a checkout whose order has already gone through gets the order kept and recorded, not undone', async () => {
    const { user, seats, email } = await holdSeats(2);
    // The order waits to sell its seats (ticket-db down) while the user's session is down too; then the order goes
    // through, and only then does the cancellation reach the checkout, before its session has run on with the answer.
    await shop.system.app('ticket-db').process.kill();
    const checkout = outcome(shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' }));
    await waitUntil('the charge', async () => charges().some((c) => c.metadata.userId === user), 15_000);
    await shop.system.app('user-session').process.kill();
    await shop.system.startApp('ticket-db');
    const orderId = charges().find((c) => c.metadata.userId === user)!.metadata.orderId!;
    await waitUntil('the order to go through', async () => (await orderRecord(orderId))?.status === 'confirmed', 20_000);
    await waitUntil('placeOrder to end', async () => (await placeOrderOf(orderId))?.status === 'completed', 20_000);
    // The checkout's journal holds placeOrder's answer and then, once the server has taken it, the cancellation.
    const checkoutId = await cancelCheckout(user);
    await waitUntil('the cancellation in the checkout\'s journal', async () => {
      const entries = await querySql<{ entry_type: string }>(shop.system.adminUrl, `SELECT entry_type FROM sys_journal WHERE id = '${checkoutId}' ORDER BY index`);
      const types = entries.map((entry) => entry.entry_type);
      return types.lastIndexOf('Notification: Signal') > types.lastIndexOf('Notification: Call');
    });
    await shop.system.startApp('user-session');

    expect(await checkout).toMatchObject({ result: { ok: true, orderId } });
    expect(ledgerOf(user)).toEqual([['charge', 8000]]);
    for (const seat of seats) expect((await shop.seat(seat).status()).state).toBe('sold');
    expect((await shop.user(user).getOrders()).map((order) => order.orderId)).toContain(orderId);
    expect((await shop.user(user).getCart()).tickets).toEqual([]);
    await waitUntil('the confirmation', async () => mailTo(email).length === 1, 15_000);
    await settled();
    expect(ledgerOf(user)).toEqual([['charge', 8000]]);
    expect(mailTo(email)).toHaveLength(1);
    expect(await orderRecord(orderId)).toMatchObject({ status: 'confirmed' });
  });

  it('a checkout cancelled while its session is down, whose order then goes through, is not run again once its answer is forgotten', async () => {
    const { user, seats, email } = await holdSeats(2);
    // The cancellation reaches the checkout before placeOrder's answer does, so when its session is back it asks
    // again. Restate keeps placeOrder's answer for its retention only (purged here instead of waiting): the order's
    // record must answer then, not a second run of the checkout with new codes.
    await shop.system.app('ticket-db').process.kill();
    const checkout = outcome(shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' }));
    await waitUntil('the charge', async () => charges().some((c) => c.metadata.userId === user), 15_000);
    await shop.system.app('user-session').process.kill();
    await cancellationJournaled(await cancelCheckout(user));
    await shop.system.startApp('ticket-db');
    const orderId = charges().find((c) => c.metadata.userId === user)!.metadata.orderId!;
    await waitUntil('placeOrder to end', async () => (await placeOrderOf(orderId))?.status === 'completed', 20_000);
    const recorded = await orderRecord(orderId);
    expect(recorded).toMatchObject({ status: 'confirmed' });
    await purgeInvocation(shop.system.adminUrl, (await placeOrderOf(orderId))!.id);
    await shop.system.startApp('user-session');

    expect(await checkout).toMatchObject({ result: { ok: true, orderId, tickets: recorded!.tickets } });
    expect((await shop.user(user).getOrders()).map((order) => order.orderId)).toContain(orderId);
    expect((await shop.user(user).getCart()).tickets).toEqual([]);
    await settled();
    expect(ledgerOf(user)).toEqual([['charge', 8000]]);
    // The codes the buyer was sent are the order's, and no others were issued for it.
    expect(await orderRecord(orderId)).toMatchObject({ status: 'confirmed', tickets: recorded!.tickets });
    const issued = [...(await serviceState(shop.system.adminUrl, 'Ticket')).values()].filter((state) => (state.ticket as { orderId?: string } | undefined)?.orderId === orderId);
    expect(issued).toHaveLength(seats.length);
    expect(mailTo(email)).toHaveLength(1);
  });
  it('a checkout cancelled while its session is down, whose payment then fails, is not paid again once its answer is forgotten', async () => {
    const { user, seats } = await holdSeats(2);
    // placeOrder waits for the checkout app; the session goes down and the checkout is cancelled meanwhile.
    await shop.system.app('checkout').process.kill();
    const checkout = outcome(shop.user(user).checkout({ paymentMethod: 'pm_card_chargeDeclined' }));
    const placeOrderCall = async () =>
      (await querySql<{ id: string; status: string }>(shop.system.adminUrl, `SELECT id, status FROM sys_invocation WHERE target_handler_name = 'placeOrder' AND invoked_by_target LIKE 'UserSession/${user}/%'`))[0];
    await waitUntil('the call to placeOrder', async () => Boolean(await placeOrderCall()), 15_000);
    await shop.system.app('user-session').process.kill();
    await cancellationJournaled(await cancelCheckout(user));
    await shop.system.startApp('checkout');
    await waitUntil('placeOrder to end, declined', async () => (await placeOrderCall())?.status === 'completed', 20_000);
    const { id } = (await placeOrderCall())!;
    await purgeInvocation(shop.system.adminUrl, id);
    await shop.system.startApp('user-session');

    // Asked again, placeOrder finds no order: it says the checkout was cancelled, and pays nothing a second time.
    expect(await checkout).toMatchObject({ error: expect.objectContaining({ status: 409 }) });
    expect(intentsOf(user)).toHaveLength(1);
    await waitUntil('the holds given back', async () => (await Promise.all(seats.map(async (seat) => (await shop.seat(seat).status()).state))).every((state) => state === 'available'));
    expect((await shop.user(user).getCart()).tickets).toEqual([]);
  });
});

describe('mail', () => {
  it('a mail outage does not hold up a checkout; the confirmation follows once the server is back', async () => {
    const { user, email } = await holdSeats(1);
    shop.fakes.smtp.setAccepting(false);
    try {
      const result = await shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' });
      expect(result).toMatchObject({ ok: true });
      expect(await shop.user(user).getOrders()).toEqual([expect.objectContaining({ status: 'confirmed' })]);
      // The confirmation waits in the engine, being retried, not in the checkout.
      expect(await unfinished('CheckoutProcess/sendMail')).toBeGreaterThan(0);
      expect(mailTo(email)).toEqual([]);
    } finally {
      shop.fakes.smtp.setAccepting(true);
    }
    await waitUntil('the confirmation', async () => mailTo(email).length === 1, 20_000);
  });

  it('a confirmation the mail server refuses for good is given up, and the order stands', async () => {
    const { user } = await holdSeats(1);
    const email = `${user}@${BOUNCING_DOMAIN}`;
    const result = await shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' });
    expect(result).toMatchObject({ ok: true });
    await waitUntil('the relay to refuse the confirmation', async () => shop.fakes.smtp.refused().includes(email));
    // Given up, not retried: a send being retried stays unfinished (backing off) all along.
    await waitUntil('the refused send to end', async () => (await unfinished('CheckoutProcess/sendMail')) === 0, 5_000);
    expect(await shop.user(user).getOrders()).toEqual([expect.objectContaining({ status: 'confirmed' })]);
  });
});
