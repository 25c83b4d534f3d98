/**
 * Logs and traces name each invocation by its target, `Service/key/handler`. Where a service's keys are credentials
 * (a ticket code admits at the door), they show only their first four characters: enough to tell lines apart, not
 * to get in with.
 */
export const maskKey = (key: string): string => `${key.slice(0, 4)}…`;

/** `text` with the key of every `Service/key` in it masked, for the services in `secretKeyed`. */
export function maskTargets(text: string, secretKeyed: ReadonlySet<string>): string {
  let masked = text;
  for (const service of secretKeyed) {
    // The service's name on its own (not the end of a longer one), then the key up to the next `/`, space, quote or
    // bracket: a target in a URL, in quotes or in brackets, or at the end of the text.
    const target = new RegExp(`(?<![\\w-])${escapeRegExp(service)}/([^/\\s"'()\\[\\]]+)`, 'g');
    masked = masked.replace(target, (_, key: string) => `${service}/${maskKey(key)}`);
  }
  return masked;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
