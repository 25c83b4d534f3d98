import ms from 'ms';
import { z } from 'zod';
import { LOG_LEVELS } from './logger.js';

/** The longest delay Node's timers take: a longer one fires at once. */
const MAX_TIMER_MILLIS = 2 ** 31 - 1;

/** A duration in env form: `15m`, `1s`, `500ms`, `2h`, or a bare number of milliseconds; at least 1 ms, under 24 days. */
export const DurationMillis = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const parsed = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : ms(value as ms.StringValue);
    const millis = typeof parsed === 'number' && Number.isFinite(parsed) ? Math.round(parsed) : NaN;
    if (!(millis >= 1 && millis <= MAX_TIMER_MILLIS)) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration from 1ms to 24d like 15m, 30s or 500ms` });
      return z.NEVER;
    }
    return millis;
  });

const Port = z.coerce.number().int().min(1).max(65535);

/** Settings every endpoint process reads. */
export const EndpointEnv = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Comma-separated `publickeyv1_…` keys; when set, only requests signed by the Restate server are served. */
  RESTATE_IDENTITY_KEYS: z
    .string()
    .optional()
    .transform((keys) => keys?.split(',').map((key) => key.trim()).filter(Boolean) ?? []),
  /**
   * Serve unsigned requests in production (`NODE_ENV=production`, as the image sets) though no identity key is
   * set: only where the network guarantees that nothing but Restate reaches this port.
   */
  ALLOW_UNSIGNED_REQUESTS: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  NODE_ENV: z.string().optional(),
  /** `debug` adds the SDK's own per-invocation lines. */
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** OTLP/HTTP collector for traces, e.g. `http://collector:4318`; unset: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'an http(s) URL, e.g. http://collector:4318' }).optional(),
});

/** Parse `env` with `schema`; on failure name every bad variable in one readable error. */
export function readConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return result.data;
}

/** The endpoint settings plus a PORT that defaults to the app's own port. */
export function endpointEnv(defaultPort: number) {
  return EndpointEnv.extend({ PORT: Port.default(defaultPort) });
}

/** What `serveEndpoint` and `createLambdaHandler` need of an app's configuration. */
export type EndpointConfig = z.infer<typeof EndpointEnv>;

/**
 * Why an endpoint must not start as configured, if it must not: in production without identity keys, anything that
 * reaches its port could call the internal handlers (a refund, a mail through the shop's relay), which Restate's
 * ingress keeps to itself only when every request has to be signed by the server.
 */
export function unsignedRequestsRefusal(config: EndpointConfig): string | undefined {
  if (config.RESTATE_IDENTITY_KEYS.length > 0 || config.NODE_ENV !== 'production' || config.ALLOW_UNSIGNED_REQUESTS) return undefined;
  return (
    'Invalid configuration:\n  RESTATE_IDENTITY_KEYS: required in production (NODE_ENV=production), so that only the Restate server can call ' +
    'this endpoint; set ALLOW_UNSIGNED_REQUESTS=true only where nothing else can reach it'
  );
}
