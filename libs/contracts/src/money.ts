import { z } from 'zod';

export const Currency = z.enum(['USD', 'EUR', 'GBP']);
export type Currency = z.infer<typeof Currency>;

/**
 * The least a card payment may be, in minor units (Stripe's minimum charge amounts). A price is either free or at
 * least this much, so that every order with something to pay can be paid.
 */
export const MIN_CHARGE_CENTS: Record<Currency, number> = { USD: 50, EUR: 50, GBP: 30 };
