import type { EmailMessage, Mailer } from './mailer.js';

/** Writes each message as one JSON log line instead of sending it; a retried send with the same id is dropped. */
export class LogMailer implements Mailer {
  readonly sent = new Map<string, EmailMessage>();

  async send(message: EmailMessage): Promise<void> {
    if (this.sent.has(message.messageId)) return;
    this.sent.set(message.messageId, message);
    console.log(JSON.stringify({ time: new Date().toISOString(), service: 'checkout', msg: 'email', ...message }));
  }
}
