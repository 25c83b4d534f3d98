import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: string;
}

export interface SmtpSink {
  port: number;
  /** Where each message is also written as `<n>.eml` and `<n>.json`, if a directory was given. */
  dir: string | undefined;
  messages(): ReceivedMail[];
  /** Recipients refused for good so far (mail to the bouncing domain). */
  refused(): string[];
  /** While false, every message is refused with a temporary failure (451), as a mail server that is down. */
  setAccepting(accepting: boolean): void;
  close(): Promise<void>;
}

/** Recipients at this domain are refused for good (550), as a relay refuses a mailbox that does not exist. */
export const BOUNCING_DOMAIN = 'bounce.test';

/**
 * An SMTP server that accepts every message (any or no credentials) and keeps it: in memory for tests, and as .eml
 * and .json files for people to read. Mail to `@bounce.test` is refused with a permanent failure.
 */
export async function startSmtpSink(options: { port?: number; dir?: string } = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const refused: string[] = [];
  let accepting = true;
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'sink' }),
    onRcptTo: (address, _session, callback) => {
      if (!address.address.toLowerCase().endsWith(`@${BOUNCING_DOMAIN}`)) return callback();
      refused.push(address.address);
      callback(Object.assign(new Error('mailbox unavailable (test)'), { responseCode: 550 }));
    },
    onData: (stream, _session, callback) => {
      if (!accepting) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('mail service temporarily unavailable (test)'), { responseCode: 451 })));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((mail) => {
            const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));
            const message: ReceivedMail = {
              messageId: mail.messageId ?? '',
              from: mail.from?.value[0]?.address ?? '',
              to,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              receivedAt: new Date().toISOString(),
            };
            received.push(message);
            if (options.dir) {
              // The time first, so that the files of several runs into one folder sort in order and never collide.
              const base = path.join(options.dir, `${message.receivedAt.replace(/[:.]/g, '-')}-${String(received.length).padStart(5, '0')}`);
              writeFileSync(`${base}.eml`, raw);
              writeFileSync(`${base}.json`, JSON.stringify(message, null, 2));
            }
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  // A client that dies mid-message (the chaos run SIGKILLs the checkout app) resets its connection; smtp-server
  // reports that as an 'error' event, which would otherwise be an uncaught exception in the test process. The
  // message was never accepted, so the sender retries it, as against a real relay.
  // Until it listens, an error is the listen's own (the port taken, say): that one must stop the start.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    dir: options.dir,
    messages: () => [...received],
    refused: () => [...refused],
    setAccepting: (value) => {
      accepting = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
