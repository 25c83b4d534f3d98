import { waitUntil } from './ports.js';

/** Register (or re-register) an endpoint; `force` replaces a deployment with the same URI, as dev restarts need. */
export async function registerDeployment(adminUrl: string, uri: string, force = true): Promise<void> {
  const response = await fetch(`${adminUrl}/deployments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ uri, force }),
  });
  if (!response.ok) throw new Error(`registering ${uri} failed: ${response.status} ${await response.text()}`);
}

/**
 * Run SQL against the engine's introspection tables (`state`, `sys_invocation`, `sys_inbox`, ...). For tests and
 * invariant checks, not a product API.
 */
export async function querySql<Row = Record<string, unknown>>(adminUrl: string, query: string): Promise<Row[]> {
  const response = await fetch(`${adminUrl}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
  });
  if (!response.ok) throw new Error(`query failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { rows: Row[] };
  return body.rows;
}

/** Every state entry of one service, as `{ key → { stateKey → parsed JSON } }`. */
export async function serviceState(adminUrl: string, service: string): Promise<Map<string, Record<string, unknown>>> {
  const rows = await querySql<{ service_key: string; key: string; value_utf8: string }>(
    adminUrl,
    `SELECT service_key, key, value_utf8 FROM state WHERE service_name = '${service.replaceAll("'", "''")}'`,
  );
  const byKey = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const entry = byKey.get(row.service_key) ?? {};
    entry[row.key] = JSON.parse(row.value_utf8);
    byKey.set(row.service_key, entry);
  }
  return byKey;
}

/**
 * Replace an object's whole state through the admin API, as an operator would; values are stored as JSON like the
 * SDK does. Applied asynchronously by the engine.
 */
export async function setState(adminUrl: string, service: string, key: string, state: Record<string, unknown>): Promise<void> {
  const newState = Object.fromEntries(Object.entries(state).map(([name, value]) => [name, [...Buffer.from(JSON.stringify(value))]]));
  const response = await fetch(`${adminUrl}/services/${encodeURIComponent(service)}/state`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ object_key: key, new_state: newState }),
  });
  if (!response.ok) throw new Error(`setting state of ${service}/${key} failed: ${response.status} ${await response.text()}`);
}

/**
 * Wait until the engine has nothing left to run: every invocation completed or, with `exceptScheduled`, only calls
 * sent with a delay that is not yet due left waiting. Throws after `timeoutMs`.
 */
export async function waitForInvocationsToFinish(
  adminUrl: string,
  { exceptScheduled = false, timeoutMs = 120_000, intervalMs = 500 }: { exceptScheduled?: boolean; timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const unfinished = `FROM sys_invocation WHERE status NOT IN ${exceptScheduled ? "('completed', 'scheduled')" : "('completed')"}`;
  await waitUntil(
    exceptScheduled ? 'every invocation but delayed ones to finish' : 'every invocation to finish',
    async () => {
      const [row] = await querySql<{ n: number }>(adminUrl, `SELECT count(*) AS n ${unfinished}`);
      return Number(row?.n ?? 1) === 0;
    },
    timeoutMs,
    intervalMs,
  ).catch(async (error: unknown) => {
    // Say which invocations never finished and why: a timeout alone does not tell a slow engine from a stuck handler.
    const stuck = await querySql(adminUrl, `SELECT target, status, retry_count, last_failure ${unfinished} LIMIT 5`).catch(() => []);
    throw new Error(`${error instanceof Error ? error.message : String(error)}; still running: ${JSON.stringify(stuck)}`);
  });
}

/** Cancel an invocation, as an operator would from the UI: Restate hands the handler a cancellation at its next await. */
export async function cancelInvocation(adminUrl: string, invocationId: string): Promise<void> {
  const response = await fetch(`${adminUrl}/invocations/${encodeURIComponent(invocationId)}/cancel`, { method: 'PATCH' });
  if (!response.ok) throw new Error(`cancelling ${invocationId} failed: ${response.status} ${await response.text()}`);
}

/** Purge a completed invocation and what it kept (its answer to an idempotency key), as its retention ending does. */
export async function purgeInvocation(adminUrl: string, invocationId: string): Promise<void> {
  const response = await fetch(`${adminUrl}/invocations/${encodeURIComponent(invocationId)}/purge`, { method: 'PATCH' });
  if (!response.ok) throw new Error(`purging ${invocationId} failed: ${response.status} ${await response.text()}`);
}
