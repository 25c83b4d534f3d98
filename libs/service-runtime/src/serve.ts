import './node20-shim.js';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createEndpointHandler, type EndpointOptions } from '@restatedev/restate-sdk';
import type { EndpointConfig } from './config.js';
import { endpointSetup } from './endpoint-options.js';
import { logLine } from './logger.js';

export interface ServeOptions {
  /** Name used in log lines, e.g. `ticket-db`. */
  name: string;
  services: EndpointOptions['services'];
  /** The app's settings (`endpointEnv`): where to listen, whose requests to serve, how to log and trace. */
  config: EndpointConfig & { PORT: number };
  /** How long in-flight invocations get to finish after SIGTERM before the process exits anyway. */
  shutdownGraceMillis?: number;
  /** Services whose keys are credentials (a ticket code): logs and traces show only their start (redact.ts). */
  secretKeys?: readonly string[];
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
  const { name, services, config } = options;
  const { options: endpoint, tracing } = endpointSetup(name, services, config, options.secretKeys);
  const handler = createEndpointHandler(endpoint);
  const server = http2.createServer(handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log(name, `listening on http://${config.HOST}:${port} (h2c)${config.RESTATE_IDENTITY_KEYS.length > 0 ? ', request identity required' : ''}`);

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
      log(name, `${signal}: shutting down`);
      void close().then(() => process.exit(0));
    });
  }
  return { port, close };
}

function log(name: string, message: string): void {
  console.log(logLine({ level: 'info', service: name, msg: message }));
}
