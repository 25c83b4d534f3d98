import { describe, expect, it } from 'vitest';
import { bearerToken } from './bearer.js';

describe('bearerToken', () => {
  it('takes a token read from a file without its newline, which no HTTP header could carry', () => {
    expect(bearerToken('ADMIN_TOKEN').parse('0123456789abcdef\n')).toBe('0123456789abcdef');
  });

  it('refuses a short token, spaces not counted, naming the setting', () => {
    expect(() => bearerToken('STAFF_TOKEN').parse('  short-token   \n')).toThrow(/STAFF_TOKEN must be at least 16 characters/);
  });
});
