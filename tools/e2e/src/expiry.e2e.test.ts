import { waitUntil } from '@tickets/local-restate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, startShop, uniqueId, type Shop, type TestEvent } from './shop.js';

// Long enough that the stale-timer case keeps ~850 ms of slack on a loaded CI machine.
const HOLD_MS = 2_500;

let shop: Shop;
let event: TestEvent;
beforeAll(async () => {
  shop = await startShop({ appEnv: { HOLD_DURATION: `${HOLD_MS}ms` } });
  event = await shop.openEvent();
});
afterAll(() => shop?.stop());

const seatState = async (ticketId: string) => (await shop.seat(ticketId).status()).state;

describe('hold expiry', () => {
  it('releases a seat when its hold runs out, and someone else can take it', async () => {
    const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
    const seat = event.seat();
    expect(await shop.user(alice).addTicket({ ticketId: seat })).toBe(true);
    const [line] = (await shop.user(alice).getCart()).tickets;
    expect(line!.holdExpiresAt - Date.now()).toBeLessThanOrEqual(HOLD_MS);

    await waitUntil('the hold to expire', async () => (await seatState(seat)) === 'available', 10_000);
    expect((await shop.user(alice).getCart()).tickets).toEqual([]);
    expect(await shop.user(bob).addTicket({ ticketId: seat })).toBe(true);
  });

  it('an old timer never cuts a newer hold of the same seat short (remove, then re-add)', async () => {
    const user = uniqueId('u');
    const seat = event.seat();
    await shop.user(user).addTicket({ ticketId: seat });
    await sleep(HOLD_MS / 2);
    await shop.user(user).removeTicket({ ticketId: seat });
    await shop.user(user).addTicket({ ticketId: seat });
    const newHold = (await shop.user(user).getCart()).tickets[0]!.holdExpiresAt;

    // Past the first hold's end, before the second's: the seat must still be ours.
    await sleep(HOLD_MS / 2 + 400);
    expect(Date.now()).toBeLessThan(newHold);
    expect(await seatState(seat)).toBe('reserved');
    expect((await shop.user(user).getCart()).tickets.map((t) => t.ticketId)).toEqual([seat]);

    await waitUntil('the second hold to expire', async () => (await seatState(seat)) === 'available', 10_000);
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

  it('checkout refuses holds that ran out before it, even if their expiry call has not run yet', async () => {
    const user = uniqueId('u');
    const seat = event.seat();
    await shop.user(user).addTicket({ ticketId: seat });
    await sleep(HOLD_MS + 200);
    const result = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
    // Either the expiry ran first (empty cart) or checkout found the hold expired: never a sale.
    expect(result.ok).toBe(false);
    expect(['holds_expired', 'empty_cart']).toContain(result.ok ? '' : result.reason);
    await waitUntil('the seat to be free', async () => (await seatState(seat)) === 'available', 10_000);
  });
});
