import { describe, expect, it } from 'vitest';
import { transportOptions } from './smtp-mailer.js';

const relay = { host: 'smtp.example.com', port: 587, secure: false, from: 'Tickets <t@example.com>' };

describe('transportOptions', () => {
  it('never logs in over plain text: a login without TLS from the start requires STARTTLS', () => {
    expect(transportOptions({ ...relay, user: 'u', password: 'p' })).toMatchObject({ auth: { user: 'u', pass: 'p' }, requireTLS: true });
    expect(transportOptions({ ...relay, port: 465, secure: true, user: 'u', password: 'p' })).toMatchObject({ secure: true, requireTLS: false });
  });

  it('sends without a login as the relay allows, as the local mail sink does', () => {
    expect(transportOptions(relay)).toMatchObject({ auth: undefined, requireTLS: false });
  });
});
