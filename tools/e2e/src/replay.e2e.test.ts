import { readFileSync } from 'node:fs';
import { waitUntil } from '@tickets/local-restate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShop, uniqueId, type Shop, type TestEvent } from './shop.js';

/**
 * The same flows with the invoker suspending at every await, so every handler is replayed from its journal again
 * and again: any non-determinism (a clock read, a random number, I/O outside ctx.run) fails these tests. Each test
 * also checks, in the apps' debug logs, that the invocations it depends on did suspend: a test that passed because
 * nothing was ever replayed would prove nothing.
 */
let shop: Shop;
let event: TestEvent;
beforeAll(async () => {
  shop = await startShop({
    server: { env: { RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT: '0s' } },
    appEnv: { HOLD_DURATION: '2s', LOG_LEVEL: 'debug' },
  });
  event = await shop.openEvent();
});
afterAll(() => shop?.stop());

/** How often invocations of each target (`Service/key/handler`) suspended, from the SDK's lines in the apps' logs. */
function suspensions(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const app of shop.system.apps.values()) {
    const logFile = app.process.spec.logFile;
    if (!logFile) throw new Error(`${app.name} logs to stdout, not a file`);
    for (const line of readFileSync(logFile, 'utf8').split('\n')) {
      if (!line.includes('"Invocation suspended"')) continue;
      const { target } = JSON.parse(line) as { target: string };
      counts.set(target, (counts.get(target) ?? 0) + 1);
    }
  }
  return counts;
}

/** Wait (the apps write their logs as they go) until each target has suspended at least `times` times. */
async function expectSuspended(targets: Record<string, number>): Promise<void> {
  const missing = () => {
    const counts = suspensions();
    return Object.entries(targets).filter(([target, times]) => (counts.get(target) ?? 0) < times).map(([target]) => target);
  };
  await waitUntil('the invocations to suspend', async () => missing().length === 0, 10_000).catch(() => {
    throw new Error(`never suspended (so never replayed) often enough: ${missing().join(', ')}`);
  });
}

describe('every await replays', () => {
  it('hold, refuse, re-add, view', async () => {
    const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
    const seat = event.seat();
    expect(await shop.user(alice).addTicket({ ticketId: seat })).toBe(true);
    expect(await shop.user(bob).addTicket({ ticketId: seat })).toBe(false);
    expect(await shop.user(alice).addTicket({ ticketId: seat })).toBe(true);
    expect((await shop.user(alice).getCart()).tickets).toHaveLength(1);
    // Each add waits at least once for an answer from the seat.
    await expectSuspended({ [`UserSession/${alice}/addTicket`]: 2, [`UserSession/${bob}/addTicket`]: 1 });
  });

  it('a race of 30 users for one seat has one winner', async () => {
    const seat = event.seat();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => shop.user(`${seat}-racer-${i}`).addTicket({ ticketId: seat })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    await expectSuspended(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`UserSession/${seat}-racer-${i}/addTicket`, 1])));
  });

  it('decline, then pay for three seats', async () => {
    const user = uniqueId('u');
    const seats = [event.seat(), event.seat(), event.seat()];
    for (const ticketId of seats) await shop.user(user).addTicket({ ticketId });
    expect(await shop.user(user).checkout({ paymentMethod: 'pm_card_chargeDeclined' })).toMatchObject({ reason: 'payment_declined' });
    const paid = await shop.user(user).checkout({ email: 'u@example.org', paymentMethod: 'pm_card_visa' });
    expect(paid).toMatchObject({ ok: true, totalCents: 12_000 });
    for (const ticketId of seats) expect((await shop.seat(ticketId).status()).state).toBe('sold');
    // Both checkouts wait for placeOrder, which waits at least for the seats, the payment and the order.
    await expectSuspended({ [`UserSession/${user}/checkout`]: 2, 'CheckoutProcess/placeOrder': 4 });
  });

  it('remove and expiry', async () => {
    const user = uniqueId('u');
    const [kept, removed] = [event.seat(), event.seat()];
    await shop.user(user).addTicket({ ticketId: kept });
    await shop.user(user).addTicket({ ticketId: removed });
    expect(await shop.user(user).removeTicket({ ticketId: removed })).toBe(true);
    expect((await shop.seat(removed).status()).state).toBe('available');
    await waitUntil('the hold to expire', async () => (await shop.seat(kept).status()).state === 'available', 15_000);
    expect((await shop.user(user).getCart()).tickets).toEqual([]);
    await expectSuspended({ [`UserSession/${user}/removeTicket`]: 1, [`UserSession/${user}/expireHolds`]: 1 });
  });
});
