import type { IssuedTicket, OrderLine, PlaceOrder } from '@tickets/contracts';
import type { EmailMessage } from './email/mailer.js';

export const orderTotalCents = (lines: readonly OrderLine[]): number =>
  lines.reduce((sum, line) => sum + line.priceCents, 0);

/**
 * A ticket code from 122 random bits (a v4 uuid from the journaled RNG), grouped for reading aloud at the door:
 * `9F3C-1A2B-…`. Unguessable, and the same on every replay of the checkout.
 */
export function ticketCode(randomUuid: string): string {
  return (randomUuid.replaceAll('-', '').toUpperCase().match(/.{4}/g) ?? []).join('-');
}

export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}

export function confirmationEmail(order: PlaceOrder, tickets: readonly IssuedTicket[], domain: string): EmailMessage {
  const lines = tickets.map((ticket) => `  ${ticket.ticketId}: ${ticket.code}`);
  return {
    messageId: `<order-${order.orderId}.confirmation@${domain}>`,
    to: order.email,
    subject: `Your tickets, order ${order.orderId}`,
    text: [
      `Thank you for your order ${order.orderId}.`,
      `Total paid: ${formatMoney(orderTotalCents(order.lines), order.currency)}`,
      '',
      'Your tickets (show the code at the entrance):',
      ...lines,
    ].join('\n'),
  };
}
