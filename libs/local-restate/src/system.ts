import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerDeployment } from './admin.js';
import { RestateCluster } from './cluster.js';
import { ensurePortsFree, freePort, isListening, waitUntil } from './ports.js';
import { ManagedProcess } from './process.js';
import { RestateServer, type RestateServerOptions } from './restate-server.js';

export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The three endpoint processes, each run from the bundle its build target produces (as its container does). */
export const SHOP_APPS = [
  { name: 'user-session', defaultPort: 9081 },
  { name: 'ticket-db', defaultPort: 9082 },
  { name: 'checkout', defaultPort: 9083 },
] as const;

export type AppName = (typeof SHOP_APPS)[number]['name'];

export const appBundle = (name: AppName): string => path.join(WORKSPACE_ROOT, 'apps', name, 'dist', 'main.mjs');

export interface RunningApp {
  name: AppName;
  port: number;
  url: string;
  process: ManagedProcess;
}

export interface SystemOptions {
  server?: RestateServerOptions;
  /** Run on a cluster of this many nodes instead of one server (`server` options are then ignored). */
  clusterSize?: number;
  /** Environment for every app, e.g. `{ HOLD_DURATION: '1s' }`. */
  appEnv?: Record<string, string>;
  /** Use the apps' default ports (dev runner) instead of free ones (tests). */
  defaultPorts?: boolean;
  /**
   * An OTLP/HTTP collector (e.g. `http://localhost:4318`): restate-server and every app send it their traces, which
   * share trace ids across the hops of one request.
   */
  tracingEndpoint?: string;
  /** `files` (default): each app writes to `<server base dir>/<app>.log`; `stdout`: prefixed lines on stdout. */
  appLogs?: 'files' | 'stdout';
  /**
   * Bench only: load all three app bundles into one Node process (each still on its own port and registered as its
   * own deployment), to compare with one process per app as deployed.
   */
  appsInOneProcess?: boolean;
  /** Extra Node options for every app process, e.g. `['--cpu-prof', '--cpu-prof-dir=/tmp/profiles']` (Node 20 refuses those in NODE_OPTIONS). */
  appNodeArgs?: string[];
}

const ONE_PROCESS_LAUNCHER = fileURLToPath(new URL('./apps-in-one-process.mjs', import.meta.url));

/** restate-server (or a cluster of them) plus the three apps, each registered as its own deployment. */
export class LocalSystem {
  private constructor(
    /** One server, or every node of the cluster. */
    readonly nodes: readonly RestateServer[],
    readonly apps: ReadonlyMap<AppName, RunningApp>,
    private readonly dispose: () => Promise<void>,
  ) {}

  /** The first (or only) node. */
  get server(): RestateServer {
    return this.nodes[0] as RestateServer;
  }

  get ingressUrl(): string {
    return this.server.ingressUrl;
  }

  get adminUrl(): string {
    return this.server.adminUrl;
  }

  static async start(options: SystemOptions = {}): Promise<LocalSystem> {
    for (const { name } of SHOP_APPS) {
      if (!existsSync(appBundle(name))) throw new Error(`${appBundle(name)} is missing: build the apps first (pnpm nx run-many -t build)`);
    }
    let nodes: RestateServer[];
    let identityPublicKey: string | undefined;
    let dispose: () => Promise<void>;
    const tracing: Record<string, string> = options.tracingEndpoint ? { RESTATE_TRACING_ENDPOINT: `otlp+${options.tracingEndpoint.replace(/\/$/, '')}/v1/traces` } : {};
    const serverEnv = { ...tracing, ...options.server?.env };
    if (options.clusterSize) {
      const cluster = await RestateCluster.start({ size: options.clusterSize, env: serverEnv });
      ({ nodes, identityPublicKey } = cluster);
      dispose = () => cluster.dispose();
    } else {
      const single = await RestateServer.start({ ...options.server, env: serverEnv });
      nodes = [single];
      identityPublicKey = single.identityPublicKey;
      dispose = () => single.dispose();
    }
    const server = nodes[0] as RestateServer;
    const apps = new Map<AppName, RunningApp>();
    const ports = new Map<AppName, number>();
    for (const { name, defaultPort } of SHOP_APPS) ports.set(name, options.defaultPorts ? defaultPort : await freePort());
    const appProcess = (name: string, args: string[], port?: number) =>
      new ManagedProcess({
        name,
        command: globalThis.process.execPath,
        args: ['--enable-source-maps', ...(options.appNodeArgs ?? []), ...args],
        env: {
          ...(options.tracingEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: options.tracingEndpoint } : {}),
          ...options.appEnv,
          ...(identityPublicKey ? { RESTATE_IDENTITY_KEYS: identityPublicKey } : {}),
          HOST: '127.0.0.1',
          ...(port ? { PORT: String(port) } : {}),
        },
        logFile: options.appLogs === 'stdout' ? undefined : path.join(server.baseDir, `${name}.log`),
      });
    const shared = options.appsInOneProcess
      ? appProcess('apps', [ONE_PROCESS_LAUNCHER, ...SHOP_APPS.map(({ name }) => `${ports.get(name)}=${appBundle(name)}`)])
      : undefined;
    try {
      for (const { name } of SHOP_APPS) {
        const port = ports.get(name) as number;
        apps.set(name, { name, port, url: `http://127.0.0.1:${port}`, process: shared ?? appProcess(name, [appBundle(name)], port) });
      }
      const system = new LocalSystem(nodes, apps, dispose);
      await Promise.all([...apps.keys()].map((name) => system.startApp(name)));
      for (const app of apps.values()) await registerDeployment(server.adminUrl, app.url);
      return system;
    } catch (error) {
      await Promise.all([...new Set([...apps.values()].map((app) => app.process))].map((process) => process.stop()));
      await dispose();
      throw error;
    }
  }

  app(name: AppName): RunningApp {
    const app = this.apps.get(name);
    if (!app) throw new Error(`unknown app ${name}`);
    return app;
  }

  /** (Re)start an app (unless it shares a process that is running) and wait until its port accepts connections. */
  async startApp(name: AppName): Promise<void> {
    const app = this.app(name);
    if (!app.process.running) {
      await ensurePortsFree(name, [app.port]);
      app.process.start();
    }
    // A crash is noticed at once; the time limit only guards against a hang. A start takes a second or two, but CI
    // runs the suites next to its type-aware lint on two cores, where one took more than 20 s.
    await waitUntil(
      `${name} to listen on ${app.port}`,
      async () => {
        app.process.failIfExited();
        return isListening(app.port);
      },
      60_000,
    );
  }

  async stop(): Promise<void> {
    const processes = new Set([...this.apps.values()].map((app) => app.process));
    await Promise.all([...processes].map((process) => process.stop()));
    for (const process of processes) process.closeLog();
    await this.dispose();
  }
}
