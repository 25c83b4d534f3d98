export interface EmailMessage {
  /** Stable per order and kind, so a retried send is recognisably the same message. */
  messageId: string;
  to: string;
  subject: string;
  text: string;
}

/** The seam to a mail transport. */
export interface Mailer {
  send(message: EmailMessage): Promise<void>;
}
