import { describe, expect, it } from 'vitest';
import { zip } from './zip.js';

describe('zip', () => {
  it('pairs items by position', () => {
    expect(zip(['a', 'b'], [1, 2])).toEqual([['a', 1], ['b', 2]]);
  });

  it('refuses lists of different lengths', () => {
    expect(() => zip(['a'], [])).toThrow(/1 items but 0 results/);
  });
});
