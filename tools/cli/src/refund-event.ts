import * as clients from '@restatedev/restate-sdk-clients';
import { Event, EventId, OperatorRefund, Order, OrderRecord, parseSeatId } from '@tickets/contracts';
import { querySql } from '@tickets/local-restate';

export interface AdminAccess {
  ingress: clients.Ingress;
  /** Restate's admin API, whose SQL reads the engine's own state. */
  adminUrl: string;
  adminToken: string;
}

/**
 * The confirmed orders with a seat of `eventId`, read from the Order objects' state. No index of orders per event
 * is kept: one would put every sale of an on-sale behind one key, and calling an event off is rare.
 */
export async function confirmedOrdersOf(adminUrl: string, eventId: string): Promise<string[]> {
  // An event id is letters, digits and dashes (checked by the caller), so it cannot break out of the literal.
  const rows = await querySql<{ value_utf8: string }>(
    adminUrl,
    `SELECT value_utf8 FROM state WHERE service_name = 'Order' AND key = 'order' AND value_utf8 LIKE '%"${eventId}-%'`,
  );
  return rows
    .map((row) => OrderRecord.parse(JSON.parse(row.value_utf8)))
    .filter((order) => order.status === 'confirmed' && order.lines.some((line) => parseSeatId(line.ticketId)?.eventId === eventId))
    .map((order) => order.orderId);
}

/**
 * Refund one order as an event admin. No idempotency key: `refund` itself refunds an order once, and a key would
 * keep a first failure (a mistyped token, say) as the answer to every later try for a day.
 */
export function refundOrder({ ingress, adminToken }: AdminAccess, orderId: string, reason: string): Promise<OrderRecord> {
  const { reason: checked } = OperatorRefund.parse({ reason });
  return ingress.client(Order, orderId).refund({ reason: checked }, clients.rpc.opts({ headers: { authorization: `Bearer ${adminToken}` } }));
}

export interface EventRefunds {
  eventId: string;
  refunded: string[];
  /** Orders the shop would not refund (409: a ticket already used at the door), with its answer. */
  refused: { orderId: string; why: string }[];
  /** Orders no longer confirmed by the time their turn came (cancelled by their buyer meanwhile). */
  skipped: string[];
  /** Where the run stopped, if something else went wrong (a wrong token, the shop unreachable): run it again. */
  stopped?: { orderId: string; why: string };
}

/**
 * Refund every confirmed order of an event called off, one at a time. Only a closed event: one still on sale would
 * sell the refunded seats again. Running it again picks up whatever is still confirmed.
 */
export async function refundEvent(access: AdminAccess, eventId: string, reason: string): Promise<EventRefunds> {
  EventId.parse(eventId);
  // As Order stores it (trimmed): an answer with this reason is this run's refund.
  const { reason: stored } = OperatorRefund.parse({ reason });
  const { status } = await access.ingress.client(Event, eventId).get();
  if (status !== 'closed') throw new Error(`event ${eventId} is ${status}: close it first, so that its refunded seats are not sold again`);
  const result: EventRefunds = { eventId, refunded: [], refused: [], skipped: [] };
  for (const orderId of await confirmedOrdersOf(access.adminUrl, eventId)) {
    try {
      const order = await refundOrder(access, orderId, stored);
      if (order.status === 'cancelled' && order.operatorReason === stored) result.refunded.push(orderId);
      else result.skipped.push(orderId);
    } catch (error) {
      if (error instanceof clients.HttpCallError && error.status === 409) {
        result.refused.push({ orderId, why: error.responseText });
        continue;
      }
      result.stopped = { orderId, why: error instanceof clients.HttpCallError ? `${error.status}: ${error.responseText}` : String(error) };
      break;
    }
  }
  return result;
}
