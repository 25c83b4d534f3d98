import ms from 'ms';
import { z } from 'zod';
import { LOG_LEVELS } from './logger.js';

/** A duration in env form: `15m`, `1s`, `500ms`, `2h`, or a bare number of milliseconds. */
export const DurationMillis = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const millis = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : ms(value as ms.StringValue);
    if (typeof millis !== 'number' || !Number.isFinite(millis) || millis <= 0) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a positive duration like 15m, 30s or 500ms` });
      return z.NEVER;
    }
    return Math.round(millis);
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
