import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Stripe-shaped payment provider for local runs and tests: the subset of the API our checkout uses
 * (PaymentIntents create/confirm/cancel/retrieve, refunds), with Stripe's idempotency semantics and test payment
 * methods that succeed, decline, fail transiently or hang. It keeps a ledger tests can read.
 *
 * Test payment methods:
 *   pm_card_visa                             succeeds
 *   pm_card_chargeDeclined[InsufficientFunds|ExpiredCard]   402 card_error, like Stripe
 *   pm_card_flaky                            the first 2 confirms of a PaymentIntent answer 500 (kept under their
 *                                            keys, as Stripe keeps them), then succeed
 *   pm_card_hang                             confirm never answers
 *   pm_card_processing                       confirm answers `processing`; the payment succeeds 1.5 s later, and
 *                                            cannot be cancelled meanwhile (like a bank debit)
 *   pm_card_authenticationRequired           confirm answers `requires_action` (3-D Secure); nothing is charged
 *   pm_card_refundLost                       succeeds; the first refund of the payment is made, but answered 500 (kept
 *                                            under its key), like an answer lost after Stripe booked the refund
 *   any other id not starting with pm_card_  400 resource_missing when the PaymentIntent is created, like an unknown
 *                                            payment method at Stripe
 */

export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  payment_method: string;
  status: 'requires_confirmation' | 'requires_payment_method' | 'requires_action' | 'processing' | 'succeeded' | 'canceled';
  metadata: Record<string, string>;
  latest_charge: string | null;
  amount_refunded: number;
  /** May use payment methods that redirect the buyer, so a confirm needs a `return_url`. */
  redirects: boolean;
}

export interface LedgerEntry {
  kind: 'charge' | 'refund';
  paymentIntent: string;
  amount: number;
  currency: string;
  id: string;
  metadata: Record<string, string>;
}

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  status: 'succeeded';
  metadata: Record<string, string>;
}

export interface FakeStripe {
  url: string;
  port: number;
  ledger(): LedgerEntry[];
  paymentIntents(): PaymentIntent[];
  /** Requests answered so far, by route, e.g. `POST /v1/payment_intents/:id/confirm`. */
  requestCount(route: string): number;
  close(): Promise<void>;
}

const DECLINES: Record<string, string> = {
  pm_card_chargeDeclined: 'generic_decline',
  pm_card_chargeDeclinedInsufficientFunds: 'insufficient_funds',
  pm_card_chargeDeclinedExpiredCard: 'expired_card',
};
const FLAKY_FAILURES = 2;
const PROCESSING_MILLIS = 1_500;

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

interface Reply {
  status: number;
  body: unknown;
}

const stripeError = (status: number, type: string, message: string, extra: Record<string, unknown> = {}): Reply => ({
  status,
  body: { error: { type, message, ...extra } },
});

export async function startFakeStripe(options: { port?: number; host?: string } = {}): Promise<FakeStripe> {
  const intents = new Map<string, PaymentIntent>();
  const ledger: LedgerEntry[] = [];
  const confirmAttempts = new Map<string, number>();
  const idempotent = new Map<string, Reply>();
  const counts = new Map<string, number>();
  const hanging = new Set<http.ServerResponse>();

  function metadataOf(form: URLSearchParams): Record<string, string> {
    const metadata: Record<string, string> = {};
    for (const [key, value] of form) {
      const match = /^metadata\[(.+)\]$/.exec(key);
      if (match?.[1]) metadata[match[1]] = value;
    }
    return metadata;
  }

  function charge(intent: PaymentIntent): void {
    intent.status = 'succeeded';
    intent.latest_charge = newId('ch');
    ledger.push({ kind: 'charge', paymentIntent: intent.id, amount: intent.amount, currency: intent.currency, id: intent.latest_charge, metadata: intent.metadata });
  }

  function confirm(intent: PaymentIntent, returnUrl: string | null): Reply | 'hang' {
    if (intent.status === 'requires_action') return { status: 200, body: intent };
    if (intent.status !== 'requires_confirmation') {
      const message = `You cannot confirm this PaymentIntent because it has a status of ${intent.status}.`;
      return stripeError(400, 'invalid_request_error', message, { code: 'payment_intent_unexpected_state', payment_intent: intent });
    }
    if (intent.redirects && !returnUrl) {
      const message = 'This PaymentIntent may use payment methods that redirect the customer: a `return_url` must be given.';
      return stripeError(400, 'invalid_request_error', message, { param: 'return_url' });
    }
    if (intent.payment_method === 'pm_card_hang') return 'hang';
    if (intent.payment_method === 'pm_card_flaky') {
      const attempt = (confirmAttempts.get(intent.id) ?? 0) + 1;
      confirmAttempts.set(intent.id, attempt);
      if (attempt <= FLAKY_FAILURES) return stripeError(500, 'api_error', 'An unexpected error occurred (test: transient).');
    }
    const decline = DECLINES[intent.payment_method];
    if (decline) {
      intent.status = 'requires_payment_method';
      return stripeError(402, 'card_error', 'Your card was declined.', { code: 'card_declined', decline_code: decline, payment_intent: intent });
    }
    if (intent.payment_method === 'pm_card_authenticationRequired') {
      intent.status = 'requires_action';
      return { status: 200, body: intent };
    }
    if (intent.payment_method === 'pm_card_processing') {
      intent.status = 'processing';
      setTimeout(() => charge(intent), PROCESSING_MILLIS).unref();
      return { status: 200, body: intent };
    }
    charge(intent);
    return { status: 200, body: intent };
  }

  /** The payment's refunds as Stripe lists them, from the ledger that books them. */
  const refundsOf = (intentId: string | null): Refund[] =>
    ledger
      .filter((entry) => entry.kind === 'refund' && entry.paymentIntent === intentId)
      .map(({ id, amount, currency, paymentIntent, metadata }) => ({ id, object: 'refund', amount, currency, payment_intent: paymentIntent, status: 'succeeded', metadata }));

  /** In full, or `amount` of what is left; like Stripe, nothing beyond what is left. */
  function refund(form: URLSearchParams): Reply {
    const intent = intents.get(form.get('payment_intent') ?? '');
    if (!intent || intent.status !== 'succeeded') return stripeError(400, 'invalid_request_error', 'No succeeded payment to refund.');
    const left = intent.amount - intent.amount_refunded;
    if (left <= 0) return stripeError(400, 'invalid_request_error', 'Charge has already been refunded.', { code: 'charge_already_refunded' });
    const amount = form.has('amount') ? Number(form.get('amount')) : left;
    if (!Number.isInteger(amount) || amount < 1) return stripeError(400, 'invalid_request_error', 'Invalid amount.', { param: 'amount' });
    if (amount > left) {
      return stripeError(400, 'invalid_request_error', `Refund amount (${amount}) is greater than unrefunded amount on charge (${left}).`, { param: 'amount' });
    }
    intent.amount_refunded += amount;
    ledger.push({ kind: 'refund', paymentIntent: intent.id, amount, currency: intent.currency, id: newId('re'), metadata: metadataOf(form) });
    const made = refundsOf(intent.id);
    if (intent.payment_method === 'pm_card_refundLost' && made.length === 1) {
      return stripeError(500, 'api_error', 'An unexpected error occurred (test: the refund was made, its answer lost).');
    }
    return { status: 200, body: made.at(-1) };
  }

  function route(method: string, path: string, form: URLSearchParams, query: URLSearchParams): { name: string; reply: Reply | 'hang' } {
    let match: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/payment_intents') {
      const amount = Number(form.get('amount'));
      if (!Number.isInteger(amount) || amount < 1) return { name: 'POST /v1/payment_intents', reply: stripeError(400, 'invalid_request_error', 'Invalid amount.') };
      const paymentMethod = form.get('payment_method') ?? 'pm_card_visa';
      if (!paymentMethod.startsWith('pm_card_')) {
        const missing = stripeError(400, 'invalid_request_error', `No such PaymentMethod: '${paymentMethod}'`, { code: 'resource_missing', param: 'payment_method' });
        return { name: 'POST /v1/payment_intents', reply: missing };
      }
      const intent: PaymentIntent = {
        id: newId('pi'),
        object: 'payment_intent',
        amount,
        currency: (form.get('currency') ?? 'usd').toLowerCase(),
        payment_method: paymentMethod,
        status: 'requires_confirmation',
        metadata: metadataOf(form),
        latest_charge: null,
        amount_refunded: 0,
        // Like Stripe since 2023-08-16: the Dashboard's payment methods, redirecting ones too, unless the intent
        // names its method types or rules redirects out.
        redirects: !form.has('payment_method_types[0]') && form.get('automatic_payment_methods[allow_redirects]') !== 'never',
      };
      intents.set(intent.id, intent);
      return { name: 'POST /v1/payment_intents', reply: form.get('confirm') === 'true' ? confirm(intent, form.get('return_url')) : { status: 200, body: intent } };
    }
    if ((match = /^\/v1\/payment_intents\/([^/]+)(\/(confirm|cancel))?$/.exec(path))) {
      const [, id = '', , action] = match;
      const name = `${method} /v1/payment_intents/:id${action ? `/${action}` : ''}`;
      const intent = intents.get(id);
      if (!intent) return { name, reply: stripeError(404, 'invalid_request_error', `No such payment_intent: '${id}'`, { code: 'resource_missing' }) };
      if (method === 'GET' && !action) return { name, reply: { status: 200, body: intent } };
      if (method === 'POST' && action === 'confirm') return { name, reply: confirm(intent, form.get('return_url')) };
      if (method === 'POST' && action === 'cancel') {
        if (intent.status === 'succeeded' || intent.status === 'processing') {
          const message = `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`;
          return { name, reply: stripeError(400, 'invalid_request_error', message, { code: 'payment_intent_unexpected_state', payment_intent: intent }) };
        }
        intent.status = 'canceled';
        return { name, reply: { status: 200, body: intent } };
      }
    }
    if (method === 'POST' && path === '/v1/refunds') return { name: 'POST /v1/refunds', reply: refund(form) };
    if (method === 'GET' && path === '/v1/refunds') {
      // One page holds them all: a test payment has a handful of refunds at most.
      const data = refundsOf(query.get('payment_intent'));
      return { name: 'GET /v1/refunds', reply: { status: 200, body: { object: 'list', data, has_more: false, url: '/v1/refunds' } } };
    }
    if (method === 'GET' && path === '/_ledger') return { name: 'GET /_ledger', reply: { status: 200, body: { ledger, paymentIntents: [...intents.values()] } } };
    return { name: `${method} ${path}`, reply: stripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`) };
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const send = ({ status, body }: Reply) => {
        response.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req') });
        response.end(JSON.stringify(body));
      };
      if (!request.url?.startsWith('/_') && !/^Bearer sk_(test|live)_\w+/.test(request.headers.authorization ?? '')) {
        return send(stripeError(401, 'invalid_request_error', 'Invalid API Key provided.'));
      }
      const url = new URL(request.url ?? '/', 'http://fake');
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const key = request.method === 'POST' ? request.headers['idempotency-key'] : undefined;
      const cacheKey = typeof key === 'string' ? `${url.pathname} ${key}` : undefined;
      const cached = cacheKey ? idempotent.get(cacheKey) : undefined;
      if (cached) return send(cached);

      const { name, reply } = route(request.method ?? 'GET', url.pathname, form, url.searchParams);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (reply === 'hang') {
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
        return;
      }
      // Like Stripe (API v1), the answer is kept once the request has begun, a 500 included: the same key gets it again.
      if (cacheKey) idempotent.set(cacheKey, reply);
      send(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ledger: () => [...ledger],
    paymentIntents: () => [...intents.values()],
    requestCount: (name) => counts.get(name) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
