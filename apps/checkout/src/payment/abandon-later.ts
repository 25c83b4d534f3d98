import type * as restate from '@restatedev/restate-sdk';
import { CheckoutProcess } from '@tickets/contracts';

/**
 * Give a payment up in the background: a one-way `CheckoutProcess/abandonPayment`, which cancels it, or refunds it if
 * it went through, retried for as long as that takes. The provider's keys derive from `key`, so sending it again for
 * the same payment and key makes no second refund.
 */
export function abandonLater(ctx: restate.Context, orderId: string, paymentId: string, key: string): void {
  ctx.sendClient(CheckoutProcess).abandonPayment({ orderId, paymentId, idempotencyKey: `${key}:cancel` });
}
