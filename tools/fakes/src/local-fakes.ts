import { startFakeStripe, type FakeStripe } from './fake-stripe.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

export const STAFF_TOKEN_FOR_LOCAL_RUNS = 'local-staff-token-0123456789';

export interface LocalFakes {
  stripe: FakeStripe;
  smtp: SmtpSink;
  /** Environment for the checkout app to use these fakes. */
  appEnv: Record<string, string>;
  close(): Promise<void>;
}

/** The payment provider and mail server a local run or a test talks to instead of Stripe and a real SMTP relay. */
export async function startLocalFakes(options: { stripePort?: number; smtpPort?: number; mailDir?: string } = {}): Promise<LocalFakes> {
  const stripe = await startFakeStripe({ port: options.stripePort });
  const smtp = await startSmtpSink({ port: options.smtpPort, dir: options.mailDir });
  return {
    stripe,
    smtp,
    appEnv: {
      STRIPE_API_KEY: 'sk_test_local',
      STRIPE_BASE_URL: stripe.url,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      STAFF_TOKEN: STAFF_TOKEN_FOR_LOCAL_RUNS,
    },
    close: async () => {
      await Promise.all([stripe.close(), smtp.close()]);
    },
  };
}
