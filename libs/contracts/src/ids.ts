import { z } from 'zod';

/**
 * Identifiers double as Restate object keys and appear in URLs, logs and emails, so they are kept short and
 * URL-safe. The seed's `Rolling-stones-A22` style is valid.
 */
export const MAX_ID_LENGTH = 128;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;

const id = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} must not be empty`)
    .max(MAX_ID_LENGTH, `${what} must be at most ${MAX_ID_LENGTH} characters`)
    .regex(ID_PATTERN, `${what} may contain only letters, digits and . _ : @ - (and must start with a letter or digit)`);

export const TicketId = id('ticketId');
export type TicketId = z.infer<typeof TicketId>;

export const UserId = id('userId');
export type UserId = z.infer<typeof UserId>;

/** A hold is one reservation of one seat by one user; a new hold of the same seat gets a new id. */
export const HoldId = z.uuid();
export type HoldId = z.infer<typeof HoldId>;

export const OrderId = z.uuid();
export type OrderId = z.infer<typeof OrderId>;

export const Cents = z.number().int().nonnegative();

/** Epoch milliseconds; what a client needs to render a countdown against `serverTime`. */
export const EpochMillis = z.number().int().nonnegative();
