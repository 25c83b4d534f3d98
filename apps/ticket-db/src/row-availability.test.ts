import { describe, expect, it } from 'vitest';
import { applyChange, EMPTY_ROW, renderRow } from './row-availability.js';

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
});
