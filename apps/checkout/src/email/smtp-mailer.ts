import { TerminalError } from '@restatedev/restate-sdk';
import { createTransport, type Transporter } from 'nodemailer';
import type { EmailMessage, Mailer } from './mailer.js';

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

/**
 * nodemailer's settings for `config`. A login is never sent in the clear: without TLS from the start (`secure`), the
 * relay must upgrade the connection with STARTTLS (`requireTLS`), or nodemailer would log in over plain text where
 * the relay, or someone in between, does not offer it.
 */
export const transportOptions = (config: SmtpConfig) => ({
  host: config.host,
  port: config.port,
  secure: config.secure,
  auth: config.user ? { user: config.user, pass: config.password } : undefined,
  requireTLS: Boolean(config.user) && !config.secure,
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 20_000,
});

/**
 * Mail over SMTP with nodemailer. The Message-ID is ours (stable per order and kind), so a send retried after a
 * crash is the same message to every mail system that deduplicates on it.
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(private readonly config: SmtpConfig) {
    this.transport = createTransport(transportOptions(config));
  }

  async send(message: EmailMessage): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.config.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: message.messageId,
      });
    } catch (error) {
      // A 5xx reply to the recipients or the message is permanent (RFC 5321): sending it again is refused again.
      // Not so a 5xx to our login or our sender address: that is our configuration, fixed and then retried.
      const { command, responseCode } = error as { command?: string; responseCode?: number };
      if ((command === 'RCPT TO' || command === 'DATA') && responseCode !== undefined && responseCode >= 500) {
        throw new TerminalError(`the mail server refused ${message.messageId} (${responseCode}): ${(error as Error).message}`);
      }
      throw error;
    }
  }
}
