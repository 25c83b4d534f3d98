/**
 * Logs and traces name each invocation by its target, `Service/key/handler`. Where a service's keys are credentials
 * (a ticket code admits at the door), they show only their first four characters: enough to tell lines apart, not
 * to get in with.
 */
export const maskKey = (key: string): string => `${key.slice(0, 4)}…`;

/** `text` with the key of every `Service/key/` in it masked, for the services in `secretKeyed`. */
export function maskTargets(text: string, secretKeyed: ReadonlySet<string>): string {
  let masked = text;
  for (const service of secretKeyed) {
    masked = masked.replace(new RegExp(`(^|[\\s/])${escapeRegExp(service)}/([^/\\s]+)/`, 'g'), (_, before: string, key: string) => `${before}${service}/${maskKey(key)}/`);
  }
  return masked;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
