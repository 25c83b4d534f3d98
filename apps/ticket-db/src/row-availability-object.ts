import * as restate from '@restatedev/restate-sdk';
import { RowAvailability } from '@tickets/contracts';
import { applyChange, EMPTY_ROW, renderRow, type Row } from './row-availability.js';

const ROW = 'row';

export const rowAvailability = restate.implement(RowAvailability, {
  handlers: {
    seatChanged: async (ctx, change) => {
      const row = (await ctx.get<Row>(ROW)) ?? EMPTY_ROW;
      const next = applyChange(row, change);
      if (next !== row) ctx.set(ROW, next);
    },
    states: async (ctx, { seats, now }) => renderRow((await ctx.get<Row>(ROW)) ?? EMPTY_ROW, seats, now),
  },
  options: { ingressPrivate: true, journalRetention: 0 },
});
