import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateRequestIdentity } from './identity.js';
import { ensurePortsFree, freePort, waitUntil } from './ports.js';
import { ManagedProcess } from './process.js';

/** The restate-server binary that npm installed for this platform (spawned directly: no Node wrapper in between). */
export function restateServerBinary(): string {
  const require = createRequire(import.meta.url);
  const wrapper = require.resolve('@restatedev/restate-server/package.json');
  return createRequire(wrapper).resolve(`@restatedev/restate-server-${os.platform()}-${os.arch()}/bin/restate-server`);
}

/**
 * The embedded server's settings, sized for a small machine and each measured (README: Configuration). The ones any
 * single node serving an on-sale wants go to the Helm chart's bundled server too (a test keeps the two the same).
 */
export const SMALL_NODE_SETTINGS: Readonly<Record<string, string>> = {
  // Fewer partitions than the default 24 and a 256 MiB RocksDB budget instead of 2 GiB took the server's peak
  // RSS from 658 to about 400 MiB in a quick run on 2 cores, and improved throughput. 256 MiB is the least
  // Restate takes: a smaller value is raised to it (MIN_ROCKSDB_MEMORY in its config), which the block cache's
  // capacity metric confirms.
  RESTATE_DEFAULT_NUM_PARTITIONS: '4',
  RESTATE_ROCKSDB_TOTAL_MEMORY_SIZE: '256MiB',
  // A single node's log can go as soon as its partition store has flushed past it: the 10-minute default
  // waits for snapshot copies, which only a cluster has (without a snapshot repository it trims nothing).
  // With the default, a full bench run ended with most of its log still on disk.
  RESTATE_WORKER__TRIM_DELAY_INTERVAL: '0s',
  // Finished invocations kept for a while (TicketDb's shared reserve answers, 10 s) are removed by a scan
  // that runs hourly by default, so an hour of reserve answers sat in the partition store.
  RESTATE_WORKER__CLEANUP_INTERVAL: '1m',
  // An add holds its invocation slot while it waits for its reserve call, and the reserve needs a slot too.
  // With the default of 1,000, a crowd of 6,000 adds at once filled the slots with waiting callers, so
  // nothing moved until they were suspended after the 60 s inactivity timeout: 91 s instead of 30 s
  // (restatedev/restate#2761). The memory each running invocation may use stays bounded by the invoker's budget.
  RESTATE_WORKER__INVOKER__CONCURRENT_INVOCATIONS_LIMIT: '10000',
  // jemalloc's defaults are 4 arenas per core and freed pages kept for 10 s: on 2 cores, 2 arenas that give
  // pages back after a second lowered the server's peak RSS by about 45 MiB in the same load (see docs).
  MALLOC_CONF: 'narenas:2,background_thread:true,dirty_decay_ms:1000',
};

export interface RestateServerOptions {
  /** Data directory; a fresh temp dir (removed on `dispose`) when omitted. */
  baseDir?: string;
  ingressPort?: number;
  adminPort?: number;
  nodePort?: number;
  /** Node name; the data dir is keyed on it, so a restart must use the same one. */
  nodeName?: string;
  /** Extra RESTATE_* settings, e.g. `RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT: '0s'`. */
  env?: Record<string, string>;
  /** Write server output to `<baseDir>/restate-server.log` (default) or to stdout. */
  quiet?: boolean;
  /**
   * Sign every request to the endpoints with a key made for this run (default true); endpoints given
   * `identityPublicKey` then refuse anything else.
   */
  requestIdentity?: boolean;
  /**
   * A command to start the server under, such as a memory limit (`systemd-run --user --scope -p MemoryMax=512M`).
   * The server's command line is appended; the launcher must exec it, so that the PID stays the server's.
   */
  launcher?: readonly string[];
}

export class RestateServer {
  readonly ingressUrl: string;
  readonly adminUrl: string;
  /** What the server itself stores (its log and partition store), without the log files written next to it. */
  readonly dataDir: string;
  private readonly process: ManagedProcess;

  private constructor(
    readonly baseDir: string,
    private readonly ownsBaseDir: boolean,
    readonly ports: { ingress: number; admin: number; node: number },
    env: Record<string, string>,
    quiet: boolean,
    /** The `publickeyv1_…` key endpoints verify this server's requests with, if it signs them. */
    readonly identityPublicKey: string | undefined,
    readonly nodeName: string,
    launcher: readonly string[],
  ) {
    this.dataDir = path.join(baseDir, nodeName);
    this.ingressUrl = `http://127.0.0.1:${ports.ingress}`;
    this.adminUrl = `http://127.0.0.1:${ports.admin}`;
    // The launcher, if any, runs the server's command line after its own.
    const binary = restateServerBinary();
    const [command = binary, ...args] = [...launcher, binary, '--base-dir', baseDir, '--no-logo'];
    this.process = new ManagedProcess({
      name: `restate-server ${nodeName}`,
      command,
      args,
      env: {
        RESTATE_LISTEN_MODE: 'tcp',
        RESTATE_BIND_IP: '127.0.0.1',
        RESTATE_BIND_PORT: String(ports.node),
        RESTATE_ADVERTISED_ADDRESS: `http://127.0.0.1:${ports.node}`,
        RESTATE_ADMIN__BIND_PORT: String(ports.admin),
        RESTATE_INGRESS__BIND_PORT: String(ports.ingress),
        RESTATE_NODE_NAME: nodeName,
        RESTATE_LOG_FILTER: 'warn',
        ...SMALL_NODE_SETTINGS,
        ...env,
      },
      logFile: quiet ? path.join(baseDir, 'restate-server.log') : undefined,
    });
  }

  static async start(options: RestateServerOptions = {}): Promise<RestateServer> {
    const ownsBaseDir = !options.baseDir;
    const baseDir = options.baseDir ?? mkdtempSync(path.join(os.tmpdir(), 'restate-'));
    mkdirSync(baseDir, { recursive: true });
    const ports = {
      ingress: options.ingressPort ?? (await freePort()),
      admin: options.adminPort ?? (await freePort()),
      node: options.nodePort ?? (await freePort()),
    };
    const identity = options.requestIdentity === false ? undefined : generateRequestIdentity(baseDir);
    const env = { ...(identity ? { RESTATE_WORKER__INVOKER__REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE: identity.privateKeyPemFile } : {}), ...options.env };
    const server = new RestateServer(baseDir, ownsBaseDir, ports, env, options.quiet ?? true, identity?.publicKey, options.nodeName ?? 'local', options.launcher ?? []);
    try {
      await server.restart();
    } catch (error) {
      // Not healthy in time, or dead: leave no process and no temp dir behind.
      await server.dispose();
      throw error;
    }
    return server;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Start (again) on the same data dir and ports and wait until admin and ingress answer. */
  async restart(): Promise<void> {
    await ensurePortsFree('restate-server', Object.values(this.ports));
    this.process.start();
    await waitUntil('restate-server to become healthy', async () => {
      this.process.failIfExited();
      const [admin, ingress] = await Promise.all([
        fetch(`${this.adminUrl}/health`),
        fetch(`${this.ingressUrl}/restate/health`),
      ]);
      return admin.ok && ingress.ok;
    });
  }

  stop(): Promise<void> {
    return this.process.stop(10_000);
  }

  /** SIGKILL: a crash, data dir left as it was. */
  kill(): Promise<void> {
    return this.process.kill();
  }

  /** Stop and remove the data dir if it was a temp dir of our own. */
  async dispose(): Promise<void> {
    await this.stop();
    this.process.closeLog();
    if (this.ownsBaseDir) rmSync(this.baseDir, { recursive: true, force: true });
  }
}
