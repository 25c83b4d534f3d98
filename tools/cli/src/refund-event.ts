import * as clients from '@restatedev/restate-sdk-clients';
import { Event, EventId, eventIdsOf, holdIsOver, OperatorRefund, Order, OrderRecord, parseSeatId, standingLines } from '@tickets/contracts';
import { querySql } from '@tickets/local-restate';

export interface AdminAccess {
  ingress: clients.Ingress;
  /** Restate's admin API, whose SQL reads the engine's own state. */
  adminUrl: string;
  adminToken: string;
}

/**
 * The confirmed orders that still stand for a seat of `eventId`, read from the Order objects' state. No index of orders per event
 * is kept: one would put every sale of an on-sale behind one key, and calling an event off is rare.
 */
export async function confirmedOrdersOf(adminUrl: string, eventId: string): Promise<OrderRecord[]> {
  // An event id is letters, digits and dashes, so it cannot break out of the literal.
  EventId.parse(eventId);
  const rows = await querySql<{ value_utf8: string }>(
    adminUrl,
    `SELECT value_utf8 FROM state WHERE service_name = 'Order' AND key = 'order' AND value_utf8 LIKE '%"${eventId}-%'`,
  );
  return rows
    .map((row) => OrderRecord.parse(JSON.parse(row.value_utf8)))
    .filter((order) => order.status === 'confirmed' && eventIdsOf(standingLines(order)).includes(eventId));
}

/**
 * Refund one order as an event admin, or with `eventId` only that event's seats of it. No idempotency key: `refund`
 * itself refunds an order (and an event's seats of it) once, and a key would keep a first failure (a mistyped token,
 * say) as the answer to every later try for a day.
 */
export function refundOrder({ ingress, adminToken }: AdminAccess, orderId: string, reason: string, eventId?: string): Promise<OrderRecord> {
  // `!== undefined`: an empty --event (an unset variable, say) is refused, not taken for the whole order.
  const request = OperatorRefund.parse({ reason, ...(eventId !== undefined ? { eventId } : {}) });
  return ingress.client(Order, orderId).refund(request, clients.rpc.opts({ headers: { authorization: `Bearer ${adminToken}` } }));
}

export interface EventRefunds {
  eventId: string;
  /** Orders cancelled and refunded as a whole: every seat they still stood for was of this event. */
  refunded: string[];
  /**
   * Orders with seats of other events too: only this event's seats were taken out of them and refunded, and the
   * rest of each stands.
   */
  partRefunded: string[];
  /** Orders the shop would not refund (409: a ticket of the event already used at the door), with its answer. */
  refused: { orderId: string; why: string }[];
  /** Orders no longer confirmed, or refunded for this event already, by the time their turn came (a buyer cancelled). */
  skipped: string[];
  /**
   * Where the run stopped, if something else went wrong (a wrong token, the shop unreachable): at an order, or
   * while listing them (no `orderId`). What it did until then is in the other fields; run it again.
   */
  stopped?: { orderId?: string; why: string };
  /** Seats that can still become orders after the run, so that it must run again (or `wait`). */
  stillOpen?: StillOpen;
}

/**
 * A closed event stops new holds, not checkouts of seats already held (README, "Decisions"): until they end, a held
 * seat can still be bought, and a seat sold to an order not yet recorded is a checkout under way.
 */
export interface StillOpen {
  held: number;
  /** When the last of those holds ends (ISO time), if any is held. */
  heldUntil?: string;
  /** Seats sold to an order this run has not dealt with: bought since, or a checkout under way. */
  sold: number;
}

const nothingOpen = (open: StillOpen) => open.held === 0 && open.sold === 0;

/** The event's seats, read from TicketDb's state, that are held or sold to an order other than those `dealtWith`. */
export async function stillOpen(adminUrl: string, eventId: string, dealtWith: ReadonlySet<string>, now: number): Promise<StillOpen> {
  EventId.parse(eventId); // as above: safe inside the literal
  const rows = await querySql<{ service_key: string; value_utf8: string }>(
    adminUrl,
    `SELECT service_key, value_utf8 FROM state WHERE service_name = 'TicketDb' AND key = 'seat' AND service_key LIKE '${eventId}-%'`,
  );
  const open: StillOpen = { held: 0, sold: 0 };
  let lastUntil = 0;
  for (const row of rows) {
    if (parseSeatId(row.service_key)?.eventId !== eventId) continue;
    const seat = JSON.parse(row.value_utf8) as { state: string; until?: number; orderId?: string };
    if (seat.state === 'reserved' && seat.until !== undefined && !holdIsOver(seat.until, now)) {
      open.held += 1;
      lastUntil = Math.max(lastUntil, seat.until);
    }
    if (seat.state === 'sold' && seat.orderId !== undefined && !dealtWith.has(seat.orderId)) open.sold += 1;
  }
  if (open.held > 0) open.heldUntil = new Date(lastUntil).toISOString();
  return open;
}

/**
 * Refund every confirmed order of an event called off, one at a time. Only a closed event: one still on sale would
 * sell the refunded seats again. Running it again picks up whatever is still confirmed; with `waitMillis`, it runs
 * again itself every that many milliseconds until no seat of the event can still become an order, or stops if the
 * event is opened again.
 */
export async function refundEvent(access: AdminAccess, eventId: string, reason: string, waitMillis?: number): Promise<EventRefunds> {
  EventId.parse(eventId);
  // As Order stores it (trimmed): an answer with this reason is this run's refund.
  const { reason: stored } = OperatorRefund.parse({ reason });
  const status = async () => (await access.ingress.client(Event, eventId).get()).status;
  const first = await status();
  if (first !== 'closed') throw new Error(`event ${eventId} is ${first}: close it first, so that its refunded seats are not sold again`);
  const result: EventRefunds = { eventId, refunded: [], partRefunded: [], refused: [], skipped: [] };
  const leftAlone = () => result.refused.map((refusal) => refusal.orderId);
  // Looked at again before every refund and every pass of --wait: an event opened again meanwhile is on sale, and
  // what is bought now must not be refunded.
  const reopened = async () => {
    const now = await status().catch((error: unknown) => `unknown (${whyStopped(error)})`);
    return now === 'closed' ? undefined : `event ${eventId} is ${now} again: stopped, so that what is bought now is not refunded`;
  };
  for (;;) {
    const done = new Set([...result.refunded, ...result.partRefunded, ...result.skipped, ...leftAlone()]);
    let orders: OrderRecord[];
    try {
      orders = await confirmedOrdersOf(access.adminUrl, eventId);
    } catch (error) {
      result.stopped = { why: `listing the event's orders: ${whyStopped(error)}` };
      return result;
    }
    for (const order of orders) {
      const { orderId } = order;
      if (done.has(orderId)) continue;
      const reopenedNow = await reopened();
      if (reopenedNow) {
        result.stopped = { orderId, why: reopenedNow };
        return result;
      }
      try {
        // With the event: the Order takes out just its seats, or cancels the whole order if they are all it has.
        const refunded = await refundOrder(access, orderId, stored, eventId);
        if (refunded.status === 'cancelled' && refunded.operatorReason === stored) result.refunded.push(orderId);
        else if (refunded.partRefunds?.some((part) => part.eventId === eventId && part.reason === stored)) result.partRefunded.push(orderId);
        else result.skipped.push(orderId);
      } catch (error) {
        if (error instanceof clients.HttpCallError && error.status === 409) {
          result.refused.push({ orderId, why: error.responseText });
          continue;
        }
        result.stopped = { orderId, why: whyStopped(error) };
        return result;
      }
    }
    // Read after the refunds, whose seats are free again by then; the seats of orders refused stay sold.
    try {
      result.stillOpen = await stillOpen(access.adminUrl, eventId, new Set(leftAlone()), Date.now());
    } catch (error) {
      result.stopped = { why: `reading the seats still held or being bought: ${whyStopped(error)}` };
      return result;
    }
    if (waitMillis === undefined || nothingOpen(result.stillOpen)) return result;
    await new Promise((resolve) => setTimeout(resolve, waitMillis));
    const reopenedSince = await reopened();
    if (reopenedSince) {
      result.stopped = { why: reopenedSince };
      return result;
    }
  }
}

const whyStopped = (error: unknown) => (error instanceof clients.HttpCallError ? `${error.status}: ${error.responseText}` : String(error));

/** Whether the run refunded everything there was, and nothing can still be bought. */
export const allRefunded = (refunds: EventRefunds): boolean =>
  refunds.refused.length === 0 && !refunds.stopped && (refunds.stillOpen === undefined || nothingOpen(refunds.stillOpen));
