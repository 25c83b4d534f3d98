import type { EmailMessage } from '@tickets/contracts';

export type { EmailMessage };

/**
 * The seam to a mail transport. A message the server refuses for good (an SMTP 5xx: no such mailbox, a policy
 * reject) throws a TerminalError; anything else that fails throws a plain Error and is tried again.
 */
export interface Mailer {
  send(message: EmailMessage): Promise<void>;
}
