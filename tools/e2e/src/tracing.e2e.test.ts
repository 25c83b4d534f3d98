import { startOtlpReceiver, type OtlpReceiver } from '@tickets/fakes';
import { waitUntil } from '@tickets/local-restate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShop, uniqueId, type Shop } from './shop.js';

let receiver: OtlpReceiver;
let shop: Shop;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  shop = await startShop({ tracingEndpoint: receiver.url });
});
afterAll(async () => {
  await shop?.stop();
  await receiver?.close();
});

describe('tracing', () => {
  it('a purchase leaves spans from every app, joined into one trace, and from restate-server', async () => {
    const event = await shop.openEvent();
    const user = uniqueId('traced');
    const seat = event.seat();
    await shop.user(user).addTicket({ ticketId: seat });
    const result = await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' });
    if (!result.ok) throw new Error(result.message);

    const target = (service: string, fragment: string) =>
      receiver.spans().find((span) => span.service === service && (span.attributes['restate.invocation.target'] ?? '').includes(fragment));
    await waitUntil(
      'spans from all three apps',
      async () => Boolean(target('user-session', `UserSession/${user}/checkout`) && target('checkout', 'CheckoutProcess/placeOrder') && target('ticket-db', `TicketDb/${seat}/markAsSold`)),
      20_000,
      200,
    );
    const checkout = target('user-session', `UserSession/${user}/checkout`);
    const placeOrder = target('checkout', 'CheckoutProcess/placeOrder');
    const sold = target('ticket-db', `TicketDb/${seat}/markAsSold`);
    expect(placeOrder?.traceId).toBe(checkout?.traceId);
    expect(sold?.traceId).toBe(checkout?.traceId);
    // ctx.run steps get spans of their own.
    expect(receiver.spans().some((span) => span.service === 'checkout' && span.traceId === checkout?.traceId && span.attributes['restate.run.name'] === 'confirm payment')).toBe(true);

    // A ticket code admits at the door: the apps' spans name its Ticket object by the code's first group only.
    const code = result.tickets[0]!.code;
    await waitUntil('the ticket being issued', async () => Boolean(target('checkout', `Ticket/${code.slice(0, 4)}…/issue`)), 20_000, 200);
    const leaks = receiver.spans().filter((span) => span.name.includes(code) || Object.values(span.attributes).some((value) => String(value).includes(code)));
    expect(leaks).toEqual([]);

    await waitUntil('restate-server spans', async () => receiver.protobufPayloads().some((body) => body.includes(`UserSession/${user}/checkout`)), 20_000, 200);
  });
});
