import * as restate from '@restatedev/restate-sdk';

/**
 * An operator cancelled this invocation (or the one that called it): 409 is the code of the SDK's CancelledError
 * and of a call whose callee was cancelled. So no call run under `untilDone` may answer 409 for another reason, or
 * it would be run again for ever; none of TicketDb's and Ticket's does.
 */
export const isCancellation = (error: unknown): boolean => error instanceof restate.TerminalError && error.code === 409;

/**
 * Run `step` until it is done, however often a cancellation cuts it short: for steps that must be finished once they
 * are begun. Restate delivers a cancellation once, so the step run again is not cut short by the same one.
 */
export async function untilDone<T>(step: () => PromiseLike<T>): Promise<T> {
  for (;;) {
    try {
      return await step();
    } catch (error) {
      if (!isCancellation(error)) throw error;
    }
  }
}
