/** The seed's flat price: 40 USD a seat, in cents. Replaced by per-event price tiers with the event catalog. */
export const FLAT_SEAT_PRICE_CENTS = 4000;

export function seatPriceCents(_ticketId: string): number {
  return FLAT_SEAT_PRICE_CENTS;
}
