import { createHash, timingSafeEqual } from 'node:crypto';
import * as restate from '@restatedev/restate-sdk';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Admin handlers need `authorization: Bearer <ADMIN_TOKEN>`. Without a configured token they are closed to all.
 * Compared in constant time; the header arrives with the invocation, so a replay sees the same one.
 */
export function requireAdmin(ctx: restate.ObjectContext, adminToken: string | undefined): void {
  if (!adminToken) throw new restate.TerminalError('admin handlers are disabled: ADMIN_TOKEN is not set', { errorCode: 403 });
  const header = ctx.request().headers.get('authorization') ?? '';
  const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  if (!timingSafeEqual(digest(given), digest(adminToken))) {
    throw new restate.TerminalError('admin token missing or wrong (authorization: Bearer <ADMIN_TOKEN>)', { errorCode: 401 });
  }
}
