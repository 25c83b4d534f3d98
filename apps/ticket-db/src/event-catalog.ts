import * as restate from '@restatedev/restate-sdk';
import { Event, EventId, rowKey, RowAvailability, type EventDefinition, type SaleStatus } from '@tickets/contracts';
import { requireBearer, validKey, zip } from '@tickets/service-runtime';
import { assembleAvailability, nextStatus, sameDefinition, summarize, type SaleAction } from './catalog.js';

const DEFINITION = 'definition';
const STATUS = 'status';

async function load(ctx: restate.ObjectSharedContext) {
  const definition = (await ctx.get<EventDefinition>(DEFINITION)) ?? undefined;
  const status = (await ctx.get<SaleStatus>(STATUS)) ?? undefined;
  return { definition, status };
}

async function loadExisting(ctx: restate.ObjectSharedContext) {
  const { definition, status } = await load(ctx);
  if (!definition || !status) throw new restate.TerminalError(`no event ${ctx.key}`, { errorCode: 404 });
  return { definition, status };
}

export function createEventCatalog({ adminToken }: { adminToken: string | undefined }) {
  async function changeSale(ctx: restate.ObjectContext, action: SaleAction) {
    validKey(EventId, ctx.key);
    requireBearer(ctx, adminToken, 'ADMIN_TOKEN');
    const { definition, status } = await loadExisting(ctx);
    const next = nextStatus(status, action);
    ctx.set(STATUS, next);
    return summarize(ctx.key, definition, next);
  }

  return restate.implement(Event, {
    handlers: {
      create: async (ctx, definition) => {
        const eventId = validKey(EventId, ctx.key);
        requireBearer(ctx, adminToken, 'ADMIN_TOKEN');
        const existing = await load(ctx);
        if (existing.definition && existing.status) {
          if (!sameDefinition(existing.definition, definition)) {
            throw new restate.TerminalError(`event ${eventId} already exists with a different definition`, { errorCode: 409 });
          }
          return summarize(eventId, existing.definition, existing.status);
        }
        ctx.set(DEFINITION, definition);
        ctx.set(STATUS, 'scheduled');
        return summarize(eventId, definition, 'scheduled');
      },
      open: (ctx) => changeSale(ctx, 'open'),
      close: (ctx) => changeSale(ctx, 'close'),
      get: async (ctx) => {
        validKey(EventId, ctx.key);
        const { definition, status } = await loadExisting(ctx);
        return summarize(ctx.key, definition, status);
      },
      availability: async (ctx) => {
        validKey(EventId, ctx.key);
        const { definition, status } = await loadExisting(ctx);
        const rows = definition.sections.flatMap((section) => section.rows);
        // One concurrent read per row shard; none of them takes a lock. Every row is shown as of the same instant.
        const now = await ctx.date.now();
        const states = await restate.RestatePromise.all(
          rows.map((row) => ctx.client(RowAvailability, rowKey(ctx.key, row.label)).states({ seats: row.seats, now })),
        );
        const byRow = new Map(zip(rows, states).map(([row, seats]) => [row.label, seats]));
        return assembleAvailability(ctx.key, definition, status, byRow, now);
      },
    },
    options: { journalRetention: 0 },
  });
}
