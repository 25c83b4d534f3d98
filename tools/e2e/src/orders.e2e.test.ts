import * as clients from '@restatedev/restate-sdk-clients';
import { STAFF_TOKEN_FOR_LOCAL_RUNS } from '@tickets/fakes';
import { setState, waitUntil } from '@tickets/local-restate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Order, Ticket } from '@tickets/contracts';
import { startShop, uniqueId, type Shop, type TestEvent } from './shop.js';

let shop: Shop;
let event: TestEvent;
beforeAll(async () => {
  // Short provider timeouts so the hung-provider case is bounded quickly.
  shop = await startShop({ appEnv: { PAYMENT_REQUEST_TIMEOUT: '400ms', PAYMENT_MAX_RETRY: '2s' } });
  event = await shop.openEvent();
});
afterAll(() => shop?.stop());

const STAFF = { authorization: `Bearer ${STAFF_TOKEN_FOR_LOCAL_RUNS}` };
const checkIn = (code: string) => shop.ingress.client(Ticket, code).checkIn(clients.rpc.opts({ headers: STAFF }));
const charges = () => shop.fakes.stripe.ledger().filter((entry) => entry.kind === 'charge');
const chargesFor = (orderId: string) => charges().filter((entry) => entry.metadata.orderId === orderId);
const mailTo = (email: string) => shop.fakes.smtp.messages().filter((mail) => mail.to.includes(email));

async function holdSeats(count: number) {
  const user = uniqueId('buyer');
  const seats = event.seats(count);
  expect(await shop.user(user).addTickets({ ticketIds: seats })).toMatchObject({ ok: true });
  return { user, seats, email: `${user}@example.org` };
}

describe('checkout through the Stripe-shaped provider', () => {
  it('charges once, issues tickets, records the order and emails the codes to the given address', async () => {
    const { user, seats, email } = await holdSeats(2);
    const result = await shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' });
    if (!result.ok) throw new Error(result.message);

    expect(chargesFor(result.orderId)).toEqual([expect.objectContaining({ amount: 8000, currency: 'usd' })]);
    const order = await shop.ingress.client(Order, result.orderId).get();
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
    const result = await shop.user(user).checkout({ paymentMethod: 'pm_card_flaky' });
    if (!result.ok) throw new Error(result.message);
    expect(chargesFor(result.orderId)).toHaveLength(1);
    expect(shop.fakes.stripe.requestCount('POST /v1/payment_intents/:id/confirm')).toBeGreaterThanOrEqual(3);
  });

  it('a provider that hangs is given up on, the payment cancelled, and the seats stay held', async () => {
    const { user, seats, email } = await holdSeats(1);
    const started = Date.now();
    const result = await shop.user(user).checkout({ email, paymentMethod: 'pm_card_hang' });
    expect(result).toMatchObject({ ok: false, reason: 'payment_unavailable' });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await shop.seat(seats[0]!).status()).state).toBe('reserved');
    await waitUntil('the payment intent to be cancelled', async () =>
      shop.fakes.stripe.paymentIntents().some((pi) => pi.payment_method === 'pm_card_hang' && pi.metadata.userId === user && pi.status === 'canceled'),
    );
    expect(charges().filter((c) => c.metadata.userId === user)).toEqual([]);
    // The user is not stuck: the cart answers and another card works.
    expect(await shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' })).toMatchObject({ ok: true });
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

  it('nobody else can cancel your order', async () => {
    const { user } = await holdSeats(1);
    const result = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
    if (!result.ok) throw new Error(result.message);
    const response = await shop.post(`/UserSession/${uniqueId('thief')}/cancelOrder`, JSON.stringify({ orderId: result.orderId }));
    expect(response.status).toBe(404);
    expect((await shop.user(user).getOrders())[0]!.status).toBe('confirmed');
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
    const entries = shop.fakes.stripe.ledger().filter((e) => e.paymentIntent === charge!.paymentIntent);
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([['charge', 4000], ['refund', 4000]]);
    expect(await shop.ingress.client(Order, charge!.metadata.orderId!).get()).toMatchObject({ status: 'refunded', tickets: [] });
    expect((await shop.user(user).getCart()).tickets).toEqual([]);
    await waitUntil('the refund email', async () => mailTo(email).some((m) => m.messageId.includes('.refunded@')));
  });
});

describe('a crash between charge and email', () => {
  it('the checkout app killed (SIGKILL) after charging: one charge, tickets issued, one confirmation', async () => {
    const { user, seats, email } = await holdSeats(2);
    // Mail is down, so the checkout is paid and then stuck retrying the confirmation.
    shop.fakes.smtp.setAccepting(false);
    const checkout = shop.user(user).checkout({ email, paymentMethod: 'pm_card_visa' });
    await waitUntil('the charge', async () => charges().some((c) => c.metadata.userId === user), 15_000);
    for (const seat of seats) await waitUntil(`${seat} sold`, async () => (await shop.seat(seat).status()).state === 'sold');

    await shop.system.app('checkout').process.kill();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await shop.system.startApp('checkout');
    shop.fakes.smtp.setAccepting(true);

    const result = await checkout;
    if (!result.ok) throw new Error(result.message);
    expect(charges().filter((c) => c.metadata.userId === user)).toHaveLength(1);
    expect(result.tickets).toHaveLength(2);
    for (const ticket of result.tickets) expect(await checkIn(ticket.code)).toMatchObject({ admitted: true });
    await waitUntil('the confirmation', async () => mailTo(email).length === 1, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(mailTo(email)).toHaveLength(1);
  });
});
