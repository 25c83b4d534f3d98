/**
 * The clock for a handler that only reads state and answers (no state writes, calls or sends). Such a handler
 * journals nothing a replay could compare the time against, so reading the wall clock directly is safe, and it
 * spares the journaled step of `ctx.date.now()`: a round trip to the server on every seat-status read and cart view.
 * Any handler that writes, calls or sends after reading the time must use `ctx.date.now()`.
 */
export const readOnlyNow = (): number => Date.now();
