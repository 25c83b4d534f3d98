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
    expect(await shop.user(user).checkout({ paymentMethod: 'pm_card_visa' })).toMatchObject({ ok: true });

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

    await waitUntil('restate-server spans', async () => receiver.protobufPayloads().some((body) => body.includes(`UserSession/${user}/checkout`)), 20_000, 200);
  });
});
