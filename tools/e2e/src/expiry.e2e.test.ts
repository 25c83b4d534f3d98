import { querySql, setState, waitUntil } from '@tickets/local-restate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cancelWhileWaiting } from './operator.js';
import { sleep, startShop, uniqueId, type Shop, type TestEvent } from './shop.js';

// Long enough that the stale-timer case keeps ~850 ms of slack on a loaded CI machine.
const HOLD_MS = 2_500;
const CHECKOUT_GRACE_MS = 6_000;
// The longest a payment can take is then 2 × (750 + 250) ms = 2 s, well within the grace, as it must be.
const PAYMENT = { PAYMENT_MAX_RETRY: '750ms', PAYMENT_REQUEST_TIMEOUT: '250ms' };
const LONGEST_PAYMENT_MS = 2_000;

let shop: Shop;
let event: TestEvent;
beforeAll(async () => {
  shop = await startShop({ appEnv: { HOLD_DURATION: `${HOLD_MS}ms`, CHECKOUT_GRACE: `${CHECKOUT_GRACE_MS}ms`, EVENT_TERMS_TTL: '10m', ...PAYMENT } });
  event = await shop.openEvent();
});
// A test that failed with ticket-db down would otherwise time out every test after it.
afterEach(() => shop?.restartStopped());
afterAll(() => shop?.stop());

/**
 * Hold `seat` for `user`, then check out with a declining card in the hold's last 1.2 s. Answers what the checkout
 * said, and when the hold ended before it and ends after it.
 */
async function declineNearTheEnd(user: string, seat: string) {
  await shop.user(user).addTicket({ ticketId: seat });
  const heldUntil = (await shop.user(user).getCart()).tickets[0]!.holdExpiresAt;
  await sleep(Math.max(0, heldUntil - Date.now() - 1_200));
  const declined = await shop.user(user).checkout({ paymentMethod: 'pm_card_chargeDeclined' });
  const kept = (await shop.user(user).getCart()).tickets[0]!.holdExpiresAt;
  return { heldUntil, declined, kept };
}

/** Whether the user's cart is still stored (a line whose time is up is not shown, but stays until tidied away). */
const hasStoredCart = async (userId: string) =>
  (await querySql(shop.system.adminUrl, `SELECT key FROM state WHERE service_name = 'UserSession' AND service_key = '${userId}' AND key = 'cart'`)).length > 0;

/** The keys of everything the engine stores for a user. */
const storedKeys = async (userId: string) =>
  (await querySql<{ key: string }>(shop.system.adminUrl, `SELECT key FROM state WHERE service_name = 'UserSession' AND service_key = '${userId}'`)).map(({ key }) => key);

const seatState = async (ticketId: string) => (await shop.seat(ticketId).status()).state;

describe('hold expiry', () => {
  it('frees a seat when its hold runs out, and someone else can take it', async () => {
    const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
    const seat = event.seat();
    expect(await shop.user(alice).addTicket({ ticketId: seat })).toBe(true);
    const [line] = (await shop.user(alice).getCart()).tickets;
    expect(line!.holdExpiresAt - Date.now()).toBeLessThanOrEqual(HOLD_MS);

    await waitUntil('the hold to expire', async () => (await seatState(seat)) === 'available', 10_000);
    expect((await shop.user(alice).getCart()).tickets).toEqual([]);
    expect(await shop.user(bob).addTicket({ ticketId: seat })).toBe(true);
  });

  it('removed and added again, a seat is held until the first hold would have ended, and both tidy-ups leave the cart right', async () => {
    const [user, other] = [uniqueId('u'), uniqueId('other')];
    const seat = event.seat();
    await shop.user(user).addTicket({ ticketId: seat });
    const firstHold = (await shop.user(user).getCart()).tickets[0]!.holdExpiresAt;
    await sleep(HOLD_MS / 2);
    await shop.user(user).removeTicket({ ticketId: seat });
    await shop.user(user).addTicket({ ticketId: seat });
    // A new hold id, but not a fresh hold: remove-and-add-again does not keep a seat for longer.
    expect((await shop.user(user).getCart()).tickets[0]!.holdExpiresAt).toBe(firstHold);
    expect(await seatState(seat)).toBe('reserved');

    // The first add's tidy-up (for the old hold id) and the second's are due together; the seat is free for anyone.
    await waitUntil('the hold to end', async () => (await seatState(seat)) === 'available', 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(firstHold - 100);
    await waitUntil('the cart to be tidied away', async () => !(await hasStoredCart(user)), 10_000);
    expect(await shop.user(other).addTicket({ ticketId: seat })).toBe(true);
  });

  it('a removed seat is remembered only until its hold would have ended: then nothing is left stored for the user', async () => {
    const user = uniqueId('u');
    await shop.user(user).addTicket({ ticketId: event.seat() });
    const [removed] = (await shop.user(user).getCart()).tickets;
    expect(await shop.user(user).removeTicket({ ticketId: removed!.ticketId })).toBe(true);
    expect(await storedKeys(user)).toEqual(['released']);
    await waitUntil('the memory of the removed hold to go', async () => (await storedKeys(user)).length === 0, HOLD_MS + 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(removed!.holdExpiresAt);
  });

  it('a bought seat stays sold after its hold time has passed', async () => {
    const user = uniqueId('u');
    const seat = event.seat();
    await shop.user(user).addTicket({ ticketId: seat });
    expect(await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' })).toMatchObject({ ok: true });
    await sleep(HOLD_MS + 1_000);
    expect(await seatState(seat)).toBe('sold');
    expect(await shop.user(uniqueId('late')).addTicket({ ticketId: seat })).toBe(false);
  });

  it('a checkout after the hold ran out never sells the seat, whether or not the tidy-up has run', async () => {
    const user = uniqueId('u');
    const seat = event.seat();
    await shop.user(user).addTicket({ ticketId: seat });
    await sleep(HOLD_MS + 200);
    const result = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
    // Either the tidy-up ran first (empty cart) or checkout found the hold expired: never a sale.
    expect(result.ok).toBe(false);
    expect(['holds_expired', 'empty_cart']).toContain(result.ok ? '' : result.reason);
    await waitUntil('the seat to be free', async () => (await seatState(seat)) === 'available', 10_000);
  });

  it('a checkout in a hold’s last moments keeps the seat through the payment, and then for the grace', async () => {
    const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
    const seat = event.seat();
    const { heldUntil, declined, kept } = await declineNearTheEnd(alice, seat);
    // A declined card keeps the seats held: now for the checkout grace, not the last few hundred ms of the hold.
    expect(declined).toMatchObject({ ok: false, reason: 'payment_declined' });
    expect(kept - heldUntil).toBeGreaterThan(CHECKOUT_GRACE_MS - 2_000);

    await sleep(Math.max(0, heldUntil + 500 - Date.now()));
    expect(await seatState(seat)).toBe('reserved');
    expect(await shop.user(bob).addTicket({ ticketId: seat })).toBe(false);
    expect(await shop.user(alice).checkout({ paymentMethod: 'pm_card_visa' })).toMatchObject({ ok: true });
    expect(await seatState(seat)).toBe('sold');
  });

  it('a hold is kept longer for a checkout only once: failing checkouts cannot keep a seat from others for good', async () => {
    const [scalper, fan] = [uniqueId('scalper'), uniqueId('fan')];
    const seat = event.seat();
    const { heldUntil, declined, kept } = await declineNearTheEnd(scalper, seat);
    expect(declined).toMatchObject({ ok: false, reason: 'payment_declined' });
    expect(kept).toBeGreaterThan(heldUntil);

    // In the kept hold's last second (well within a grace of its own) another checkout does not keep it again, and
    // does not charge for a seat the payment could outlast either: it would be lost mid-payment and refunded.
    await sleep(Math.max(0, kept - Date.now() - (LONGEST_PAYMENT_MS - 800)));
    const charges = shop.fakes.stripe.ledger().length;
    const late = await shop.user(scalper).checkout({ paymentMethod: 'pm_card_visa' });
    expect(late).toMatchObject({ ok: false, reason: 'holds_ending', message: expect.stringContaining('too soon to pay') });
    expect(shop.fakes.stripe.ledger().length).toBe(charges);
    expect((await shop.user(scalper).getCart()).tickets[0]?.holdExpiresAt).toBe(kept);
    await sleep(Math.max(0, kept + 100 - Date.now()));
    expect(await shop.user(fan).addTicket({ ticketId: seat })).toBe(true);
  });

  it('a checkout that finds a seat no longer held for its buyer charges nothing, and names the seat that left the cart', async () => {
    const user = uniqueId('group');
    const [taken, other] = event.seats(2) as [string, string];
    expect(await shop.user(user).addTickets({ ticketIds: [taken, other] })).toMatchObject({ ok: true });
    // An operator gives one of the seats to somebody else; the checkout, keeping the holds for the payment, finds out.
    await setState(shop.system.adminUrl, 'TicketDb', taken, {
      seat: { state: 'reserved', userId: 'operator', holdId: '00000000-0000-4000-8000-000000000000', until: Date.now() + 60_000 },
    });
    const result = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
    expect(result).toMatchObject({ ok: false, reason: 'seats_unavailable', message: expect.stringContaining(taken) });
    expect(shop.fakes.stripe.paymentIntents().filter((intent) => intent.metadata.userId === user)).toEqual([]);
    expect((await shop.user(user).getCart()).tickets.map((line) => line.ticketId)).toEqual([other]);

    // The rest stays held for the grace, so the buyer can still choose to buy it alone.
    const rest = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
    expect(rest).toMatchObject({ ok: true, tickets: [expect.objectContaining({ ticketId: other })] });
    expect(await seatState(taken)).toBe('reserved');
  });

  it('an operator cancelling a checkout while it keeps the holds gets them all given back at once, not after the grace', async () => {
    // Holds of 5 s, shorter than the grace (so kept at checkout) but long enough to outlast stopping ticket-db.
    const longer = await shop.openEvent({ holdSeconds: 5 });
    const user = uniqueId('cancelled');
    const seats = longer.seats(2);
    expect(await shop.user(user).addTickets({ ticketIds: seats })).toMatchObject({ ok: true });
    const checkout = () => shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
    const outcome = await cancelWhileWaiting(shop, longer, { user, handler: 'checkout', ticketDbHandler: 'reserve', seats }, checkout);
    expect(outcome).toMatchObject({ error: expect.stringMatching(/cancel/i) });
    // The keeps went through after the cancellation and would hold the seats for the grace; they were given back,
    // and the cart is gone, not just its lines hidden as ended.
    for (const seat of seats) expect(await seatState(seat)).toBe('available');
    expect(await hasStoredCart(user)).toBe(false);
    expect(shop.fakes.stripe.paymentIntents().filter((intent) => intent.metadata.userId === user)).toEqual([]);
  });

  it('a hold kept longer by a checkout ends at its new time, and leaves the cart then', async () => {
    const user = uniqueId('u');
    const seat = event.seat();
    const { declined, kept } = await declineNearTheEnd(user, seat);
    expect(declined).toMatchObject({ ok: false });

    await waitUntil('the kept hold to end', async () => (await seatState(seat)) === 'available', CHECKOUT_GRACE_MS + 5_000);
    expect(Date.now()).toBeGreaterThanOrEqual(kept - 100);
    // The tidy-up call due at the first time found the hold kept longer, and came back for it at the new time.
    await waitUntil('the cart to be tidied away', async () => !(await hasStoredCart(user)), 10_000);
  });
});

describe('with CHECKOUT_GRACE set below the longest payment', () => {
  // A payment may take up to 2 × (1.5 + 0.5) s = 4 s, longer than the 1 s a checkout keeps a hold for.
  let low: Shop;
  let lowEvent: TestEvent;
  beforeAll(async () => {
    low = await startShop({ appEnv: { CHECKOUT_GRACE: '1s', PAYMENT_MAX_RETRY: '1500ms', PAYMENT_REQUEST_TIMEOUT: '500ms' } });
    lowEvent = await low.openEvent({ holdSeconds: 8 });
  });
  afterAll(() => low?.stop());

  it('a checkout charges for holds that outlast the payment, and charges nothing for a hold the payment could outlast', async () => {
    const [early, late] = [uniqueId('early'), uniqueId('late')];
    const [first, second] = lowEvent.seats(2) as [string, string];
    await low.user(early).addTicket({ ticketId: first });
    expect(await low.user(early).checkout({ paymentMethod: 'pm_card_visa' })).toMatchObject({ ok: true });

    await low.user(late).addTicket({ ticketId: second });
    const heldUntil = (await low.user(late).getCart()).tickets[0]!.holdExpiresAt;
    // 2.5 s left: more than the grace, so the checkout does not keep the hold, but less than a payment can take.
    await sleep(Math.max(0, heldUntil - Date.now() - 2_500));
    const result = await low.user(late).checkout({ paymentMethod: 'pm_card_visa' });
    expect(result).toMatchObject({ ok: false, reason: 'holds_ending', message: expect.stringContaining('too soon to pay') });
    expect(low.fakes.stripe.paymentIntents().filter((intent) => intent.metadata.userId === late)).toEqual([]);
    expect(await low.seat(second).status()).toMatchObject({ state: 'reserved' });
    expect((await low.user(late).getCart()).tickets.map((line) => line.ticketId)).toEqual([second]);
  });

  it('free seats in a hold’s last seconds are bought: there is no payment for the hold to outlast', async () => {
    const free = await low.openEvent({ holdSeconds: 8, sections: [{ id: 'free', name: 'Free', priceCents: 0, rows: [{ label: 'A', seats: 4 }] }] });
    const guest = uniqueId('guest');
    const seat = free.seat();
    await low.user(guest).addTicket({ ticketId: seat });
    const heldUntil = (await low.user(guest).getCart()).tickets[0]!.holdExpiresAt;
    await sleep(Math.max(0, heldUntil - Date.now() - 2_500));
    expect(await low.user(guest).checkout({ paymentMethod: 'pm_card_visa' })).toMatchObject({ ok: true, totalCents: 0 });
    expect(await low.seat(seat).status()).toMatchObject({ state: 'sold' });
  });
});
