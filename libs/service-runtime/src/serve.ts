import './node20-shim.js';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createEndpointHandler, type EndpointOptions } from '@restatedev/restate-sdk';
import { jsonLogger, logLine } from './logger.js';
import { setUpTracing } from './tracing.js';

export interface ServeOptions {
  /** Name used in log lines, e.g. `ticket-db`. */
  name: string;
  services: EndpointOptions['services'];
  host: string;
  port: number;
  identityKeys?: string[];
  /** How long in-flight invocations get to finish after SIGTERM before the process exits anyway. */
  shutdownGraceMillis?: number;
}

export interface RunningEndpoint {
  port: number;
  close(): Promise<void>;
}

/**
 * Serve Restate services over h2c on `host:port` (the SDK's own `serve` always binds every interface) and stop
 * gracefully on SIGTERM/SIGINT: no new connections, in-flight invocations get a grace period. Anything cut off is
 * retried by Restate from its journal, so the deadline costs latency, never correctness.
 */
export async function serveEndpoint(options: ServeOptions): Promise<RunningEndpoint> {
  const identityKeys = options.identityKeys?.length ? options.identityKeys : undefined;
  const tracing = setUpTracing(options.name);
  const handler = createEndpointHandler({
    services: options.services,
    ...(identityKeys ? { identityKeys } : {}),
    logger: jsonLogger(options.name),
    defaultServiceOptions: { hooks: tracing.hooks },
  });
  const server = http2.createServer(handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log(options.name, `listening on http://${options.host}:${port} (h2c)${identityKeys ? ', request identity required' : ''}`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      const deadline = setTimeout(() => {
        for (const session of sessions) session.destroy();
        resolve();
      }, options.shutdownGraceMillis ?? 10_000);
      deadline.unref();
      for (const session of sessions) session.close();
      server.close(() => {
        clearTimeout(deadline);
        void tracing.flush().finally(resolve);
      });
    }));

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log(options.name, `${signal}: shutting down`);
      void close().then(() => process.exit(0));
    });
  }
  return { port, close };
}

function log(name: string, message: string): void {
  console.log(logLine({ level: 'info', service: name, msg: message }));
}
