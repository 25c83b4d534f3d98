import type * as restate from '@restatedev/restate-sdk';
import type { EmailMessage, Mailer } from './mailer.js';

/**
 * Send an email as a journaled step, retried until the server accepts it. If the process dies after the server
 * accepted it but before the step was journaled, it is sent again — with the same stable Message-ID.
 */
export function sendEmail(ctx: restate.Context, mailer: Mailer, kind: string, message: EmailMessage | undefined): Promise<void> {
  return message ? ctx.run(`email ${kind}`, () => mailer.send(message)) : Promise.resolve();
}
