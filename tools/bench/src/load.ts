import { Pool } from 'undici';

export interface LoadResult {
  requests: number;
  errors: number;
  durationMs: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** How many answers were "true"-ish, as the scenario's `ok` judged them. */
  oks: number;
}

/** One request through ingress; a status of 400 or more counts as an error. */
export type Post = (path: string, body?: string) => Promise<string>;

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);

/**
 * Run `total` units of work (one request, or a flow of several) through ingress with `concurrency` in flight, one
 * connection each, bounded in time: no new unit starts after `maxDurationMs`. A unit answers whether it "won"
 * (e.g. got the seat); latency is per unit.
 */
export async function runLoad(options: {
  ingressUrl: string;
  concurrency: number;
  total: number;
  maxDurationMs: number;
  unit: (index: number, post: Post) => Promise<boolean>;
  /** Stop starting new units once this says so (e.g. a background probe until something finished). */
  until?: () => boolean;
}): Promise<LoadResult> {
  const pool = new Pool(options.ingressUrl, { connections: options.concurrency, pipelining: 1, headersTimeout: 120_000, bodyTimeout: 120_000 });
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let oks = 0;
  const started = performance.now();
  const deadline = started + options.maxDurationMs;
  const post: Post = async (path, body) => {
    const response = await pool.request({ path, method: 'POST', body, headers: body === undefined ? {} : { 'content-type': 'application/json' } });
    const text = await response.body.text();
    if (response.statusCode >= 400) throw new Error(`${path}: ${response.statusCode} ${text.slice(0, 200)}`);
    return text;
  };
  const worker = async () => {
    while (next < options.total && performance.now() < deadline && !options.until?.()) {
      const index = next++;
      const t = performance.now();
      try {
        if (await options.unit(index, post)) oks++;
        latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const durationMs = performance.now() - started;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length + errors,
    errors,
    durationMs,
    rps: (latencies.length / durationMs) * 1000,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    oks,
  };
}
