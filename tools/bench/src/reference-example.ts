// Restate's ticket-reservation example, the project's seed, served by the bench's ceiling endpoint: the issue's
// targets were set from how fast it ran (its addTicket at about 0.9× the one-hop ceiling, a purchase at about 0.19
// flows per one-hop call), so the bench runs it again beside the shop, on the same machine and in the same run. Only
// the shape of its calls matters here: its payment and mail clients were mocks, so they are steps that do nothing.
import * as restate from '@restatedev/restate-sdk';

const AVAILABLE = 'AVAILABLE';
const RESERVED = 'RESERVED';
const SOLD = 'SOLD';
/** The example's 15 minutes, lengthened past the end of any bench run, so that its expiries are not measured. */
const HOLD_MS = 3_600_000;

const ticket = restate.object({
  name: 'ReferenceTicketDb',
  handlers: {
    reserve: async (ctx: restate.ObjectContext) => {
      if (((await ctx.get<string>('status')) ?? AVAILABLE) !== AVAILABLE) return false;
      ctx.set('status', RESERVED);
      return true;
    },
    unreserve: async (ctx: restate.ObjectContext) => {
      if ((await ctx.get<string>('status')) !== SOLD) ctx.clear('status');
    },
    markAsSold: async (ctx: restate.ObjectContext) => {
      if ((await ctx.get<string>('status')) === RESERVED) ctx.set('status', SOLD);
    },
  },
});

const checkoutProcess = restate.service({
  name: 'ReferenceCheckoutProcess',
  handlers: {
    // The example charged tickets × 40 under a key from ctx.rand (no journal entry), then mailed the user.
    handle: async (ctx: restate.Context, _order: { userId: string; tickets: string[] }) => {
      const paid = await ctx.run('payment', () => true);
      await ctx.run('mail', () => undefined);
      return paid;
    },
  },
});

const userSession = restate.object({
  name: 'ReferenceUserSession',
  handlers: {
    addTicket: async (ctx: restate.ObjectContext, ticketId: string) => {
      const reserved = await ctx.objectClient(ticket, ticketId).reserve();
      if (reserved) {
        ctx.set('tickets', [...((await ctx.get<string[]>('tickets')) ?? []), ticketId]);
        ctx.objectSendClient<typeof userSession>({ name: 'ReferenceUserSession' }, ctx.key).expireTicket(ticketId, restate.rpc.sendOpts({ delay: HOLD_MS }));
      }
      return reserved;
    },
    expireTicket: async (ctx: restate.ObjectContext, ticketId: string) => {
      const tickets = (await ctx.get<string[]>('tickets')) ?? [];
      if (!tickets.includes(ticketId)) return;
      ctx.set('tickets', tickets.filter((id) => id !== ticketId));
      ctx.objectSendClient(ticket, ticketId).unreserve();
    },
    getCart: async (ctx: restate.ObjectContext) => (await ctx.get<string[]>('tickets')) ?? [],
    checkout: async (ctx: restate.ObjectContext) => {
      const tickets = (await ctx.get<string[]>('tickets')) ?? [];
      if (tickets.length === 0) return false;
      const paid = await ctx.serviceClient(checkoutProcess).handle({ userId: ctx.key, tickets });
      if (paid) {
        for (const ticketId of tickets) ctx.objectSendClient(ticket, ticketId).markAsSold();
        ctx.clear('tickets');
      }
      return paid;
    },
  },
});

export const referenceExample = [ticket, checkoutProcess, userSession];
