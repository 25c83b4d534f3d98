import * as clients from '@restatedev/restate-sdk-clients';
import type { Availability } from '@tickets/contracts';
import { setState, waitUntil } from '@tickets/local-restate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startShop, uniqueId, type Shop } from './shop.js';

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(() => shop?.stop());

/** The status of an HttpCallError, for refusals that are terminal errors. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof clients.HttpCallError) return { status: error.status, message: JSON.parse(error.responseText).message };
    throw error;
  }
  throw new Error('expected the call to be refused');
}

const seatStates = (view: Availability): Map<string, string> =>
  new Map(view.sections.flatMap((s) => s.rows.flatMap((row) => [...row.seats].map((state, i) => [`${view.eventId}-${row.label}${i + 1}`, state] as const))));

describe('all-or-nothing holds', () => {
  it('when one seat of five is taken, none is held and the other four are free at once', async () => {
    const event = await shop.openEvent();
    const seats = event.seats(5);
    expect(await shop.user(uniqueId('bob')).addTicket({ ticketId: seats[2]! })).toBe(true);

    const alice = uniqueId('alice');
    expect(await shop.user(alice).addTickets({ ticketIds: seats })).toEqual({ ok: false, reason: 'taken', taken: [seats[2]] });
    expect((await shop.user(alice).getCart()).tickets).toEqual([]);
    for (const seat of [seats[0]!, seats[1]!, seats[3]!, seats[4]!]) expect((await shop.seat(seat).status()).state).toBe('available');
    // Someone else gets one of them straight away.
    expect(await shop.user(uniqueId('carol')).addTicket({ ticketId: seats[4]! })).toBe(true);
  });

  it('holds every seat when all are free, and counts seats already held as held', async () => {
    const event = await shop.openEvent();
    const [a, b, c] = event.seats(3);
    const user = uniqueId('u');
    await shop.user(user).addTicket({ ticketId: a! });
    const before = (await shop.user(user).getCart()).tickets[0]!;
    expect(await shop.user(user).addTickets({ ticketIds: [a!, b!, c!, b!] })).toEqual({ ok: true, held: [a, b, c, b] });
    const cart = await shop.user(user).getCart();
    expect(cart.tickets.map((t) => t.ticketId)).toEqual([a, b, c]);
    expect(cart.tickets[0]).toEqual(before);
  });
});

describe('per-user limit', () => {
  it('refuses seats beyond the event’s limit, counting held and bought seats', async () => {
    const event = await shop.openEvent({ maxSeatsPerUser: 4 });
    const user = uniqueId('u');
    expect(await shop.user(user).addTickets({ ticketIds: event.seats(3) })).toMatchObject({ ok: true });
    const over = await refusal(shop.user(user).addTickets({ ticketIds: event.seats(2) }));
    expect(over).toEqual({ status: 409, message: `At most 4 seats per person for ${event.eventId}; you would have 5.` });
    expect((await shop.user(user).getCart()).tickets).toHaveLength(3);

    expect(await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' })).toMatchObject({ ok: true });
    expect(await shop.user(user).addTicket({ ticketId: event.seat() })).toBe(true);
    expect((await refusal(shop.user(user).addTicket({ ticketId: event.seat() }))).status).toBe(409);
    expect(await shop.user(uniqueId('other')).addTicket({ ticketId: event.seat() })).toBe(true);
  });

  it('holds under 12 concurrent requests from the same user', async () => {
    const event = await shop.openEvent({ maxSeatsPerUser: 4 });
    const user = uniqueId('greedy');
    const outcomes = await Promise.allSettled(event.seats(12).map((ticketId) => shop.user(user).addTicket({ ticketId })));
    expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value === true)).toHaveLength(4);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(8);
    expect((await shop.user(user).getCart()).tickets).toHaveLength(4);
  });
});

describe('event terms', () => {
  it('prices each seat from its section and checks out at that total', async () => {
    const event = await shop.openEvent({
      sections: [
        { id: 'front', name: 'Front', priceCents: 12_050, rows: [{ label: 'A', seats: 5 }] },
        { id: 'back', name: 'Back', priceCents: 2_500, rows: [{ label: 'B', seats: 5 }] },
      ],
    });
    const user = uniqueId('u');
    await shop.user(user).addTickets({ ticketIds: [`${event.eventId}-A1`, `${event.eventId}-B5`] });
    const cart = await shop.user(user).getCart();
    expect(cart.tickets.map((t) => [t.ticketId, t.eventId, t.priceCents])).toEqual([
      [`${event.eventId}-A1`, event.eventId, 12_050],
      [`${event.eventId}-B5`, event.eventId, 2_500],
    ]);
    expect(cart.totalCents).toBe(14_550);
    expect(await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' })).toMatchObject({ ok: true, totalCents: 14_550 });
  });

  it('uses the event’s own hold time', async () => {
    const event = await shop.openEvent({ holdSeconds: 2 });
    const user = uniqueId('u');
    const seat = event.seat();
    await shop.user(user).addTicket({ ticketId: seat });
    const cart = await shop.user(user).getCart();
    expect(cart.tickets[0]!.holdExpiresAt - cart.serverTime).toBeLessThanOrEqual(2_000);
    await waitUntil('the 2 s hold to expire', async () => (await shop.seat(seat).status()).state === 'available', 10_000);
  });

  it('sells only while on sale; holds taken before closing can still be bought', async () => {
    const event = await shop.openEvent();
    const [early, late] = event.seats(2);
    const user = uniqueId('u');
    await shop.user(user).addTicket({ ticketId: early! });
    await shop.event(event.eventId).close(clients.rpc.opts({ headers: ADMIN }));
    // user-session trusts an "on sale" it has read for EVENT_TERMS_TTL (2 s): within that, the closing reaches new
    // holds. Probe with seats of their own, so that `late` stays free.
    const refused = () => shop.user(uniqueId('u')).addTickets({ ticketIds: [event.seat()] }).then(() => false, () => true);
    await waitUntil('the closing to reach new holds', refused, 10_000, 100);
    expect(await refusal(shop.user(uniqueId('u')).addTicket({ ticketId: late! }))).toEqual({
      status: 409,
      message: `Sales for ${event.eventId} are closed.`,
    });
    expect(await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' })).toMatchObject({ ok: true });
    await shop.event(event.eventId).open(clients.rpc.opts({ headers: ADMIN }));
    expect(await shop.user(uniqueId('u')).addTicket({ ticketId: late! })).toBe(true);
  });

  it('does not sell an event that was created but not opened', async () => {
    const eventId = uniqueId('ev');
    await shop.event(eventId).create(
      (await shop.openEvent()).definition,
      clients.rpc.opts({ headers: ADMIN }),
    );
    expect((await shop.event(eventId).get()).status).toBe('scheduled');
    expect((await refusal(shop.user(uniqueId('u')).addTicket({ ticketId: `${eventId}-A1` }))).status).toBe(409);
  });

  it('keeps a cart in one currency', async () => {
    const dollars = await shop.openEvent();
    const euros = await shop.openEvent({ currency: 'EUR' });
    const user = uniqueId('u');
    await shop.user(user).addTicket({ ticketId: dollars.seat() });
    expect(await refusal(shop.user(user).addTicket({ ticketId: euros.seat() }))).toMatchObject({ status: 409 });
    // Seats of another event in the same currency are fine.
    expect(await shop.user(user).addTicket({ ticketId: (await shop.openEvent()).seat() })).toBe(true);
  });
});

describe('availability', () => {
  it('matches TicketDb seat by seat after a burst of holds, releases and sales', async () => {
    const event = await shop.openEvent({
      sections: [{ id: 'main', name: 'Main', priceCents: 4000, rows: [{ label: 'A', seats: 60 }, { label: 'B', seats: 60 }] }],
    });
    const all = event.seats(120);
    const users = Array.from({ length: 40 }, (_, i) => `${event.eventId}-fan-${i}`);
    // A third contend for overlapping seats among the first 50 and give one back when they win; a third buy three
    // seats of their own; a third keep two seats of their own held. So the burst always ends with seats available,
    // held and sold, whatever the timing.
    let own = 50;
    const take = (count: number) => all.slice(own, (own += count));
    const plans = users.map((user, i) =>
      i % 3 === 0
        ? { user, wanted: [all[(i * 2) % 50]!, all[(i * 2 + 1) % 50]!, all[(i * 2 + 2) % 50]!], then: 'remove' as const }
        : i % 3 === 1
          ? { user, wanted: take(3), then: 'checkout' as const }
          : { user, wanted: take(2), then: 'keep' as const },
    );
    await Promise.all(
      plans.map(async ({ user, wanted, then }) => {
        const result = await shop.user(user).addTickets({ ticketIds: wanted });
        if (!result.ok) return;
        if (then === 'remove') await shop.user(user).removeTicket({ ticketId: wanted[0]! });
        if (then === 'checkout') await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
      }),
    );
    const settled = Date.now();

    const truth = new Map(
      await Promise.all(all.map(async (id) => [id, (await shop.seat(id).status()).state[0]!] as const)),
    );
    expect([...truth.values()].filter((s) => s === 's').length).toBeGreaterThan(0);
    expect([...truth.values()].filter((s) => s === 'r').length).toBeGreaterThan(0);

    let view: Availability | undefined;
    await waitUntil('availability to catch up with TicketDb', async () => {
      view = await shop.event(event.eventId).availability();
      const shown = seatStates(view);
      return all.every((id) => shown.get(id) === { a: 'a', r: 'h', s: 's' }[truth.get(id)!]);
    }, 10_000, 20);
    console.log(`availability caught up ${Date.now() - settled} ms after the burst settled`);
    const counts = { available: 0, held: 0, sold: 0 };
    for (const state of truth.values()) counts[state === 'a' ? 'available' : state === 'r' ? 'held' : 'sold']++;
    expect(view!.totals).toEqual(counts);
    expect(view!.sections[0]!.counts).toEqual(counts);
  });

  it("follows a seat again after an operator's edit of its state", async () => {
    const event = await shop.openEvent({ sections: [{ id: 'main', name: 'Main', priceCents: 4000, rows: [{ label: 'A', seats: 10 }] }] });
    const seat = event.seat();
    const shown = async () => seatStates(await shop.event(event.eventId).availability()).get(seat);
    // Three changes (held, given back, held by another): the seat map knows the seat at version 3.
    const [first, second, third] = [uniqueId('a'), uniqueId('b'), uniqueId('c')];
    expect(await shop.user(first).addTicket({ ticketId: seat })).toBe(true);
    expect(await shop.user(first).removeTicket({ ticketId: seat })).toBe(true);
    expect(await shop.user(second).addTicket({ ticketId: seat })).toBe(true);
    await waitUntil('the hold to show', async () => (await shown()) === 'h');
    // An operator frees the seat by hand, writing it without a version, as an admin-API edit does.
    await setState(shop.system.adminUrl, 'TicketDb', seat, { seat: { state: 'available' } });
    await waitUntil('the edit', async () => (await shop.seat(seat).status()).state === 'available');
    // The seat's next changes must show, not be taken for older than the ones the map has.
    expect(await shop.user(third).addTicket({ ticketId: seat })).toBe(true);
    expect(await shop.user(third).checkout({ paymentMethod: 'pm_card_visa' })).toMatchObject({ ok: true });
    await waitUntil('the sale to show', async () => (await shown()) === 's');
  });

  it('lists an event of 20,000 seats', async () => {
    const rowLabels = Array.from({ length: 40 }, (_, i) => `A${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`);
    const event = await shop.openEvent({
      sections: [
        { id: 'lower', name: 'Lower tier', priceCents: 9000, rows: rowLabels.slice(0, 20).map((label) => ({ label, seats: 500 })) },
        { id: 'upper', name: 'Upper tier', priceCents: 5000, rows: rowLabels.slice(20).map((label) => ({ label, seats: 500 })) },
      ],
    });
    const user = uniqueId('u');
    await shop.user(user).addTickets({ ticketIds: [`${event.eventId}-AAA1`, `${event.eventId}-AUA500`] });
    expect((await shop.event(event.eventId).get()).seatCount).toBe(20_000);

    const started = performance.now();
    let view = await shop.event(event.eventId).availability();
    console.log(`availability of 20,000 seats: ${(performance.now() - started).toFixed(0)} ms, ${JSON.stringify(view).length} bytes`);
    await waitUntil('both holds to show', async () => {
      view = await shop.event(event.eventId).availability();
      return view.totals.held === 2;
    });
    expect(view.totals).toEqual({ available: 19_998, held: 2, sold: 0 });
    expect(view.sections.map((s) => s.counts.held)).toEqual([1, 1]);
    expect(view.sections[0]!.rows[0]!.seats.slice(0, 2)).toBe('ha');
    expect(view.sections[1]!.rows[0]!.seats.at(-1)).toBe('h');
  });
});
