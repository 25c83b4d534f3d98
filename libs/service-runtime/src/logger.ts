import type { LoggerTransport, LogMetadata } from '@restatedev/restate-sdk';
import { maskKey, maskTargets } from './redact.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const rank = (level: string) => LOG_LEVELS.indexOf(level as LogLevel);

/** One JSON object per line, with the service and, inside a handler, the invocation id and target. */
export function logLine(fields: Record<string, unknown>): string {
  return JSON.stringify({ time: new Date().toISOString(), ...fields });
}

/**
 * The SDK's log transport, as structured lines: `{time, level, service, invocationId, target, key, msg, ...fields}`.
 * Handlers log with `ctx.console.info('message', { seat })`: the object's fields join the line. Lines written while
 * a handler replays its journal are dropped (they were written the first time). The SDK's own info lines ("Starting
 * invocation.", "Invocation completed successfully.", from its SYSTEM and JOURNAL sources) count one level lower, so
 * `info` shows what handlers say and `debug` shows everything. At two lines per invocation they were most of an app's
 * log, and writing them cost CPU in every call. Keys of the services in `secretKeyed` are masked (see redact.ts).
 */
export function jsonLogger(service: string, minLevel: LogLevel = 'info', secretKeyed: ReadonlySet<string> = new Set()): LoggerTransport {
  const threshold = rank(minLevel);
  // Masked in the values, before they are written out as JSON: key and target by their parts, and any target that
  // the SDK's own messages quote (a request's URL, say).
  const text = (value: unknown) => (typeof value === 'string' && secretKeyed.size > 0 ? maskTargets(value, secretKeyed) : value);
  return (meta: LogMetadata, message?: unknown, ...params: unknown[]) => {
    if (meta.replaying) return;
    const level = meta.source !== 'USER' && meta.level === 'info' ? 'debug' : meta.level;
    if (rank(level) < threshold) return;
    const fields = params.length === 1 && params[0] && typeof params[0] === 'object' && !(params[0] instanceof Error) ? (params[0] as Record<string, unknown>) : {};
    const extra = Object.keys(fields).length > 0 ? [] : params.map((p) => text(p instanceof Error ? p.stack ?? p.message : p));
    const context = meta.context;
    const maskedKey = context?.key !== undefined && secretKeyed.has(context.serviceName) ? maskKey(context.key) : undefined;
    const line = logLine({
      level,
      service,
      ...(context
        ? {
            invocationId: context.invocationId,
            target: maskedKey ? `${context.serviceName}/${maskedKey}/${context.handlerName}` : context.invocationTarget,
            key: maskedKey ?? context.key,
          }
        : {}),
      msg: text(message instanceof Error ? message.message : message),
      ...(extra.length > 0 ? { detail: extra } : {}),
      ...fields,
    });
    (rank(level) >= rank('warn') ? process.stderr : process.stdout).write(`${line}\n`);
  };
}
