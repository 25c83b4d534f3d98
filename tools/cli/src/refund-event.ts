import * as clients from '@restatedev/restate-sdk-clients';
import { Order, OrderRecord, parseSeatId } from '@tickets/contracts';
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
  const rows = await querySql<{ value_utf8: string }>(
    adminUrl,
    `SELECT value_utf8 FROM state WHERE service_name = 'Order' AND key = 'order' AND value_utf8 LIKE '%${eventId.replaceAll("'", "''")}-%'`,
  );
  return rows
    .map((row) => OrderRecord.parse(JSON.parse(row.value_utf8)))
    .filter((order) => order.status === 'confirmed' && order.lines.some((line) => parseSeatId(line.ticketId)?.eventId === eventId))
    .map((order) => order.orderId);
}

/** Refund one order as an event admin; run again, the same call (one idempotency key per order) refunds nothing more. */
export const refundOrder = ({ ingress, adminToken }: AdminAccess, orderId: string, reason: string) =>
  ingress
    .client(Order, orderId)
    .refund({ reason }, clients.rpc.opts({ idempotencyKey: `admin-refund:${orderId}`, headers: { authorization: `Bearer ${adminToken}` } }));

/**
 * Refund every confirmed order of an event called off, one at a time. An order that cannot be refunded (a ticket
 * already used at the door) is reported, not skipped silently; running it again picks up what is still confirmed.
 */
export async function refundEvent(access: AdminAccess, eventId: string, reason: string) {
  const refunded: string[] = [];
  const refused: { orderId: string; why: string }[] = [];
  for (const orderId of await confirmedOrdersOf(access.adminUrl, eventId)) {
    try {
      await refundOrder(access, orderId, reason);
      refunded.push(orderId);
    } catch (error) {
      if (!(error instanceof clients.HttpCallError) || error.status >= 500) throw error;
      refused.push({ orderId, why: error.responseText });
    }
  }
  return { eventId, refunded, refused };
}
