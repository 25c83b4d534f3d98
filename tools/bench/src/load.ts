import http2 from 'node:http2';
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
 * How many HTTP/2 streams ingress runs at once on one connection: what it advertises (SETTINGS_MAX_CONCURRENT_STREAMS
 * of restate-server 1.7). Requests beyond it wait in the client for a stream.
 */
export const INGRESS_STREAMS_PER_CONNECTION = 200;

interface Connections {
  post: Post;
  close(): Promise<void>;
}

const failed = (path: string, status: number, text: string) => new Error(`${path}: ${status} ${text.slice(0, 200)}`);

/** One HTTP/1.1 connection per request in flight (undici). */
function connectionEach(url: string, concurrency: number): Connections {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1, headersTimeout: 120_000, bodyTimeout: 120_000 });
  return {
    async post(path, body) {
      const response = await pool.request({ path, method: 'POST', body, headers: body === undefined ? {} : { 'content-type': 'application/json' } });
      const text = await response.body.text();
      if (response.statusCode >= 400) throw failed(path, response.statusCode, text);
      return text;
    },
    close: () => pool.close(),
  };
}

/**
 * Every request on one HTTP/2 connection without TLS (node:http2: undici's h2c client answered the same 500 adds
 * seven times slower here).
 */
function oneHttp2Connection(url: string): Connections {
  const session = http2.connect(url);
  // A lost connection fails every stream on it, and each counts as an error of its unit.
  session.on('error', () => undefined);
  return {
    post: (path, body) =>
      new Promise((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': path, ...(body === undefined ? {} : { 'content-type': 'application/json' }) });
        let status = 0;
        let text = '';
        stream.setEncoding('utf8');
        stream.on('response', (headers) => (status = Number(headers[':status'])));
        stream.on('data', (chunk: string) => (text += chunk));
        stream.on('end', () => (status >= 400 ? reject(failed(path, status, text)) : resolve(text)));
        stream.on('error', reject);
        stream.end(body);
      }),
    close: () => new Promise((resolve) => session.close(() => resolve())),
  };
}

/**
 * Run `total` units of work (one request, or a flow of several) through ingress with `concurrency` in flight,
 * bounded in time: no new unit starts after `maxDurationMs`. A unit answers whether it "won" (e.g. got the seat);
 * latency is per unit. Over HTTP/1.1 (the default) every unit in flight has a connection of its own, as clients
 * reaching ingress directly do; with `http2`, all of them share one connection, as behind a front proxy that
 * multiplexes, so at most `INGRESS_STREAMS_PER_CONNECTION` are at ingress at once and the rest wait their turn.
 */
export async function runLoad(options: {
  ingressUrl: string;
  concurrency: number;
  total: number;
  maxDurationMs: number;
  unit: (index: number, post: Post) => Promise<boolean>;
  /** Stop starting new units once this says so (e.g. a background probe until something finished). */
  until?: () => boolean;
  /** All units on one HTTP/2 connection instead of a connection each. */
  http2?: boolean;
}): Promise<LoadResult> {
  const connections = options.http2 ? oneHttp2Connection(options.ingressUrl) : connectionEach(options.ingressUrl, options.concurrency);
  const { post } = connections;
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let oks = 0;
  const started = performance.now();
  const deadline = started + options.maxDurationMs;
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
  await connections.close();
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
