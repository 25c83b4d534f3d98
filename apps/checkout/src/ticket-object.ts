import * as restate from '@restatedev/restate-sdk';
import { Ticket, TicketCode } from '@tickets/contracts';
import { requireBearer, validKey } from '@tickets/service-runtime';
import { checkIn, voidTicket, type TicketState } from './order.js';

const TICKET = 'ticket';

export function createTicketObject({ staffToken }: { staffToken: string | undefined }) {
  return restate.implement(Ticket, {
    handlers: {
      issue: async (ctx, { orderId, ticketId }) => {
        if (!(await ctx.get<TicketState>(TICKET))) ctx.set<TicketState>(TICKET, { orderId, ticketId, voided: false });
      },
      void: async (ctx) => {
        const ticket = await ctx.get<TicketState>(TICKET);
        if (ticket) ctx.set<TicketState>(TICKET, { ...ticket, voided: true });
      },
      voidForCancel: async (ctx) => {
        const ticket = await ctx.get<TicketState>(TICKET);
        // A code never issued admits nobody: as good as voided.
        if (!ticket) return 'voided';
        const next = voidTicket(ticket);
        if (next.ticket !== ticket) ctx.set(TICKET, next.ticket);
        return next.result;
      },
      restore: async (ctx) => {
        const ticket = await ctx.get<TicketState>(TICKET);
        if (ticket?.voided) ctx.set<TicketState>(TICKET, { ...ticket, voided: false });
      },
      checkIn: async (ctx) => {
        validKey(TicketCode, ctx.key);
        requireBearer(ctx, staffToken, 'STAFF_TOKEN');
        const ticket = await ctx.get<TicketState>(TICKET);
        if (!ticket) throw new restate.TerminalError('unknown ticket code', { errorCode: 404 });
        const next = checkIn(ticket, new Date(await ctx.date.now()).toISOString());
        if (next.ticket !== ticket) ctx.set(TICKET, next.ticket);
        return next.result;
      },
    },
    options: {
      handlers: { issue: { ingressPrivate: true }, void: { ingressPrivate: true }, voidForCancel: { ingressPrivate: true }, restore: { ingressPrivate: true } },
    },
  });
}
