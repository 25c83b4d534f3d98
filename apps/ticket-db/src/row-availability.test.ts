import { describe, expect, it } from 'vitest';
import { applyChange, EMPTY_ROW, renderRow } from './row-availability.js';

describe('row availability', () => {
  it('renders one letter per seat, unseen seats available', () => {
    const row = applyChange(applyChange(EMPTY_ROW, { number: 2, state: 'h', version: 1 }), { number: 4, state: 's', version: 3 });
    expect(renderRow(row, 5)).toBe('ahasa');
  });

  it('ignores a change older than the last one applied to that seat', () => {
    const released = applyChange(applyChange(EMPTY_ROW, { number: 1, state: 'h', version: 1 }), { number: 1, state: 'a', version: 2 });
    expect(applyChange(released, { number: 1, state: 'h', version: 1 })).toBe(released);
    expect(renderRow(released, 1)).toBe('a');
    expect(renderRow(applyChange(released, { number: 1, state: 's', version: 3 }), 1)).toBe('s');
  });
});
