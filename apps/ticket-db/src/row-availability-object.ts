import * as restate from '@restatedev/restate-sdk';
import { RowAvailability } from '@tickets/contracts';
import { applyChange, chunkKey, chunkKeys, EMPTY_ROW, joinChunks, renderRow, type Row } from './row-availability.js';

export const rowAvailability = restate.implement(RowAvailability, {
  handlers: {
    seatChanged: async (ctx, change) => {
      const key = chunkKey(change.number);
      const chunk = (await ctx.get<Row>(key)) ?? EMPTY_ROW;
      const next = applyChange(chunk, change);
      if (next !== chunk) ctx.set(key, next);
    },
    states: async (ctx, { seats, now }) => {
      const chunks = await Promise.all(chunkKeys(seats).map((key) => ctx.get<Row>(key)));
      return renderRow(joinChunks(chunks), seats, now);
    },
  },
  options: {
    ingressPrivate: true,
    journalRetention: 0,
    // A change needs only its own chunk: without this, each change would be sent every chunk of the row.
    handlers: { seatChanged: { enableLazyState: true } },
  },
});
