import type { LogMetadata } from '@restatedev/restate-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonLogger } from './logger.js';

// The SDK exports its level and source enums as types only; their values are these strings.
const USER = 'USER' as LogMetadata['source'];
const SYSTEM = 'SYSTEM' as LogMetadata['source'];
const JOURNAL = 'JOURNAL' as LogMetadata['source'];
const INFO = 'info' as LogMetadata['level'];
const ERROR = 'error' as LogMetadata['level'];
const meta = (level: LogMetadata['level'], extra: Partial<LogMetadata> = {}): LogMetadata => ({ source: USER, level, replaying: false, ...extra });

describe('jsonLogger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes one JSON line with the invocation, target and the fields a handler passes', () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const context = { invocationId: 'inv_1', invocationTarget: 'UserSession/alice/addTicket', key: 'alice' } as LogMetadata['context'];
    jsonLogger('user-session')(meta(INFO, { context }), 'held', { seat: 'ev-A1' });
    const line = JSON.parse(String(out.mock.calls[0]?.[0]));
    expect(line).toMatchObject({ level: 'info', service: 'user-session', invocationId: 'inv_1', target: 'UserSession/alice/addTicket', key: 'alice', msg: 'held', seat: 'ev-A1' });
  });

  it('drops lines of a replay, and SDK chatter below debug', () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jsonLogger('x')(meta(INFO, { replaying: true }), 'again');
    jsonLogger('x')(meta(INFO, { source: SYSTEM }), 'Invocation completed');
    // "Starting invocation." and "Invocation completed successfully." come from the JOURNAL source.
    jsonLogger('x')(meta(INFO, { source: JOURNAL }), 'Starting invocation.');
    expect(out).not.toHaveBeenCalled();
    jsonLogger('x', 'debug')(meta(INFO, { source: SYSTEM }), 'Invocation completed');
    expect(out).toHaveBeenCalledOnce();
  });

  it("masks the key of a service whose keys are credentials, wherever the line has it", () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = '9F3C-1A2B-0000-1111-2222-3333-4444-5555';
    const context = { invocationId: 'inv_1', serviceName: 'Ticket', handlerName: 'checkIn', invocationTarget: `Ticket/${code}/checkIn`, key: code } as LogMetadata['context'];
    jsonLogger('checkout', 'info', new Set(['Ticket']))(meta(ERROR, { source: JOURNAL, context }), new Error(`Error while handling /invoke/Ticket/${code}/checkIn`));
    const line = String(err.mock.calls[0]?.[0]);
    expect(line).not.toContain(code);
    expect(JSON.parse(line)).toMatchObject({ target: 'Ticket/9F3C…/checkIn', key: '9F3C…', msg: 'Error while handling /invoke/Ticket/9F3C…/checkIn' });
  });

  it.each(['"', 'e', ':'])('keeps the line whole, whatever the key (%s)', (key) => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const context = { invocationId: 'inv_1', serviceName: 'Ticket', handlerName: 'checkIn', invocationTarget: `Ticket/${key}/checkIn`, key } as LogMetadata['context'];
    jsonLogger('checkout', 'info', new Set(['Ticket']))(meta(ERROR, { source: JOURNAL, context }), 'refused');
    expect(JSON.parse(String(err.mock.calls[0]?.[0]))).toMatchObject({ level: 'error', invocationId: 'inv_1', msg: 'refused', key: `${key}…` });
  });

  it('sends warnings and errors to stderr', () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    jsonLogger('x')(meta(ERROR), new Error('boom'));
    expect(JSON.parse(String(err.mock.calls[0]?.[0]))).toMatchObject({ level: 'error', msg: 'boom' });
  });
});
