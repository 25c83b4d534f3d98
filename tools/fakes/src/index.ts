export { startFakeStripe, type FakeStripe, type LedgerEntry, type PaymentIntent } from './fake-stripe.js';
export { startLocalFakes, STAFF_TOKEN_FOR_LOCAL_RUNS, type LocalFakes } from './local-fakes.js';
export { BOUNCING_DOMAIN, startSmtpSink, type ReceivedMail, type SmtpSink } from './smtp-sink.js';
export { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';
