import type * as restate from '@restatedev/restate-sdk';
import { CheckoutProcess, type EmailMessage } from '@tickets/contracts';

/**
 * Mail a message from a handler without waiting for the mail server: a one-way `CheckoutProcess/sendMail`, which
 * Restate delivers exactly once, and which retries the send as long as it takes. So a mail outage never keeps a
 * checkout (and with it the buyer's cart) or a cancellation waiting, yet no message decided on is lost.
 */
export function mailLater(ctx: restate.Context, message: EmailMessage | undefined): void {
  if (message) ctx.sendClient(CheckoutProcess).sendMail(message);
}
