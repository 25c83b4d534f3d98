import * as restate from '@restatedev/restate-sdk';
import { describe, expect, it } from 'vitest';
import { isCancellation, untilDone } from './cancellation.js';

describe('isCancellation', () => {
  it('is the SDK’s cancellation and a callee’s, both 409; no other error', () => {
    expect(isCancellation(new restate.CancelledError())).toBe(true);
    expect(isCancellation(new restate.TerminalError('callee cancelled', { errorCode: 409 }))).toBe(true);
    expect(isCancellation(new restate.TerminalError('not found', { errorCode: 404 }))).toBe(false);
    expect(isCancellation(new Error('retryable'))).toBe(false);
  });
});

describe('untilDone', () => {
  it('runs the step again after each cancellation and answers its result', async () => {
    let attempts = 0;
    const result = await untilDone(async () => {
      attempts += 1;
      if (attempts < 3) throw new restate.CancelledError();
      return 'done';
    });
    expect({ result, attempts }).toEqual({ result: 'done', attempts: 3 });
  });

  it('passes any other error on at once', async () => {
    let attempts = 0;
    const failing = untilDone(async () => {
      attempts += 1;
      throw new restate.TerminalError('refused', { errorCode: 400 });
    });
    await expect(failing).rejects.toThrow('refused');
    expect(attempts).toBe(1);
  });
});
