import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DurationMillis, endpointEnv, readConfig, unsignedRequestsRefusal } from './config.js';

describe('readConfig', () => {
  it('applies defaults and parses durations', () => {
    const config = readConfig(endpointEnv(9081).extend({ HOLD_DURATION: DurationMillis.default(900_000) }), {});
    expect(config).toEqual({ HOST: '127.0.0.1', PORT: 9081, RESTATE_IDENTITY_KEYS: [], ALLOW_UNSIGNED_REQUESTS: false, LOG_LEVEL: 'info', HOLD_DURATION: 900_000 });
  });

  it.each([
    ['15m', 900_000],
    ['1s', 1_000],
    ['500ms', 500],
    ['2500', 2_500],
  ])('reads %s as %i ms', (text, millis) => {
    expect(DurationMillis.parse(text)).toBe(millis);
  });

  it('refuses to serve unsigned requests in production, unless told the network allows nothing else in', () => {
    const refusal = (env: NodeJS.ProcessEnv) => unsignedRequestsRefusal(readConfig(endpointEnv(1), env));
    expect(refusal({ NODE_ENV: 'production' })).toMatch(/RESTATE_IDENTITY_KEYS: required in production/);
    expect(refusal({ NODE_ENV: 'production', RESTATE_IDENTITY_KEYS: 'publickeyv1_abc' })).toBeUndefined();
    expect(refusal({ NODE_ENV: 'production', ALLOW_UNSIGNED_REQUESTS: 'true' })).toBeUndefined();
    expect(refusal({})).toBeUndefined();
    expect(() => readConfig(endpointEnv(1), { ALLOW_UNSIGNED_REQUESTS: 'yes' })).toThrow(/ALLOW_UNSIGNED_REQUESTS/);
  });

  it.each(['0.4', '0', '25d', '-5s', 'soon'])('refuses %s: below a millisecond, beyond what a timer can wait, or no duration', (text) => {
    expect(DurationMillis.safeParse(text).success).toBe(false);
  });

  it('names every bad variable', () => {
    const schema = endpointEnv(9081).extend({ HOLD_DURATION: DurationMillis });
    expect(() => readConfig(schema, { PORT: 'x', HOLD_DURATION: 'soon' })).toThrow(/PORT[\s\S]*HOLD_DURATION: "soon" is not a duration/);
  });

  it('refuses a log level or a trace collector it cannot use, rather than log or trace otherwise than asked', () => {
    expect(() => readConfig(endpointEnv(1), { LOG_LEVEL: 'verbose', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /LOG_LEVEL[\s\S]*OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(readConfig(endpointEnv(1), { LOG_LEVEL: 'debug', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toMatchObject({
      LOG_LEVEL: 'debug',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    });
  });

  it('splits identity keys', () => {
    expect(readConfig(endpointEnv(1), { RESTATE_IDENTITY_KEYS: 'publickeyv1_a, publickeyv1_b' }).RESTATE_IDENTITY_KEYS).toEqual([
      'publickeyv1_a',
      'publickeyv1_b',
    ]);
  });

  it('rejects an empty object as config', () => {
    expect(() => readConfig(z.object({ X: z.string() }), {})).toThrow(/X/);
  });
});
