import { describe, expect, it } from 'vitest';
import { maskKey, maskTargets } from './redact.js';

const CODE = '9F3C-1A2B-0000-1111-2222-3333-4444-5555';

describe('masking credential keys', () => {
  it('keeps the first four characters of a key', () => {
    expect(maskKey(CODE)).toBe('9F3C…');
  });

  it("masks the key of a secret-keyed service's targets wherever and however they are quoted", () => {
    const secret = new Set(['Ticket']);
    expect(maskTargets(`attempt Ticket/${CODE}/checkIn`, secret)).toBe('attempt Ticket/9F3C…/checkIn');
    expect(maskTargets(`/invoke/Ticket/${CODE}/issue`, secret)).toBe('/invoke/Ticket/9F3C…/issue');
    for (const [before, after] of [['[', ']'], ['"', '"'], ['(', ')'], ['target=', ''], ['', '']]) {
      expect(maskTargets(`${before}Ticket/${CODE}${after}`, secret)).toBe(`${before}Ticket/9F3C…${after}`);
    }
    expect(maskTargets(`/Ticket/${CODE}/Ticket/${CODE}/`, secret)).toBe('/Ticket/9F3C…/Ticket/9F3C…/');
  });

  it('leaves other services alone, even one whose name ends in a secret one', () => {
    const secret = new Set(['Ticket']);
    expect(maskTargets('attempt UserSession/alice/addTicket', secret)).toBe('attempt UserSession/alice/addTicket');
    expect(maskTargets(`attempt MyTicket/${CODE}/x`, secret)).toBe(`attempt MyTicket/${CODE}/x`);
  });
});
