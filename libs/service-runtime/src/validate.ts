import { TerminalError } from '@restatedev/restate-sdk';
import type { z } from 'zod';

/**
 * Object keys come from the URL, not the body, so the SDK's input schema never sees them. Check them the same way
 * and answer 400 before any state is read or written.
 */
export function validKey<S extends z.ZodType<string>>(schema: S, key: string): z.infer<S> {
  const result = schema.safeParse(key);
  if (!result.success) {
    const message = result.error.issues.map((issue) => issue.message).join('; ');
    throw new TerminalError(`invalid key "${key.slice(0, 64)}${key.length > 64 ? '…' : ''}": ${message}`, { errorCode: 400 });
  }
  return result.data;
}
