import { describe, expect, it } from 'vitest';
import { applyChange, chunkKey, chunkKeys, EMPTY_ROW, joinChunks, renderRow, SEATS_PER_CHUNK } from './row-availability.js';

describe('row availability', () => {
  it('renders one letter per seat, unseen seats available', () => {
    const row = applyChange(applyChange(EMPTY_ROW, { number: 2, state: 'h', version: 1 }), { number: 4, state: 's', version: 3 });
    expect(renderRow(row, 5, 0)).toBe('ahasa');
  });

  it('ignores a change older than the last one applied to that seat', () => {
    const released = applyChange(applyChange(EMPTY_ROW, { number: 1, state: 'h', version: 1 }), { number: 1, state: 'a', version: 2 });
    expect(applyChange(released, { number: 1, state: 'h', version: 1 })).toBe(released);
    expect(renderRow(released, 1, 0)).toBe('a');
    expect(renderRow(applyChange(released, { number: 1, state: 's', version: 3 }), 1, 0)).toBe('s');
  });

  it('shows a hold as available from its until on, with no change sent', () => {
    const row = applyChange(EMPTY_ROW, { number: 1, state: 'h', version: 1, until: 1_000 });
    expect(renderRow(row, 1, 999)).toBe('h');
    expect(renderRow(row, 1, 1_000)).toBe('a');
  });

  it('stores a row in chunks: each seat in exactly one, and the chunks put back together give the row', () => {
    expect(chunkKey(1)).toBe(chunkKey(SEATS_PER_CHUNK));
    expect(chunkKey(SEATS_PER_CHUNK + 1)).not.toBe(chunkKey(SEATS_PER_CHUNK));
    expect(chunkKeys(1)).toEqual([chunkKey(1)]);
    expect(chunkKeys(SEATS_PER_CHUNK * 2 + 1)).toEqual([chunkKey(1), chunkKey(SEATS_PER_CHUNK + 1), chunkKey(SEATS_PER_CHUNK * 2 + 1)]);
    const first = applyChange(EMPTY_ROW, { number: 2, state: 'h', version: 1, until: 5 });
    const third = applyChange(EMPTY_ROW, { number: SEATS_PER_CHUNK * 2 + 1, state: 's', version: 4 });
    const seats = SEATS_PER_CHUNK * 2 + 1;
    expect(renderRow(joinChunks([first, null, third]), seats, 0)).toBe(`ah${'a'.repeat(seats - 3)}s`);
    expect(renderRow(joinChunks([first, null, third]), seats, 5)).toBe(`${'a'.repeat(seats - 1)}s`);
  });
});
