/**
 * The retry policy of a provider call that somebody is waiting for: tried again with backoff for up to `maxMillis`,
 * then given up with a TerminalError, so that the caller can answer instead of keeping the user (and the user's
 * session, which waits under its lock) hanging on a provider that does not answer.
 */
export const whileUserWaits = (maxMillis: number) => ({ maxRetryDuration: maxMillis, initialRetryInterval: 200, maxRetryInterval: 2_000 });
