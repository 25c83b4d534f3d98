import { createHash, timingSafeEqual } from 'node:crypto';
import * as restate from '@restatedev/restate-sdk';
import { z } from 'zod';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Handlers for a role (event admins, door staff) need `authorization: Bearer <token>`. Without a configured token
 * they are closed to all. Compared in constant time; the header travels with the invocation, so a replay sees it too.
 */
export function requireBearer(ctx: restate.ObjectContext, token: string | undefined, setting: string): void {
  if (!token) throw new restate.TerminalError(`closed: ${setting} is not set`, { errorCode: 403 });
  const header = ctx.request().headers.get('authorization') ?? '';
  const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  if (!timingSafeEqual(digest(given), digest(token))) {
    throw new restate.TerminalError(`token missing or wrong (authorization: Bearer <${setting}>)`, { errorCode: 401 });
  }
}

/**
 * A role's token as the environment gives it: at least 16 characters, and trimmed. HTTP clients strip the
 * whitespace around a header value, so a token read from a file with its trailing newline would never match.
 */
export const bearerToken = (setting: string) => z.string().trim().min(16, `${setting} must be at least 16 characters`);
