import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateRequestIdentity } from './identity.js';
import { freePort } from './ports.js';
import { RestateServer } from './restate-server.js';

/**
 * A Restate cluster of `size` nodes on this machine: one cluster name, each node with its own data dir and ports,
 * every node a metadata-server member, partitions replicated on 2 nodes, so any one node can die. All nodes sign
 * with the same request-identity key, so the endpoints trust whichever node calls them.
 */
export class RestateCluster {
  private constructor(
    readonly nodes: RestateServer[],
    private readonly dir: string,
    readonly identityPublicKey: string,
  ) {}

  static async start(options: { size?: number; env?: Record<string, string> } = {}): Promise<RestateCluster> {
    const size = options.size ?? 3;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'restate-cluster-'));
    const identity = generateRequestIdentity(dir);
    const nodePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
    const metadataAddresses = JSON.stringify(nodePorts.map((port) => `http://127.0.0.1:${port}`));
    const started = await Promise.allSettled(
      nodePorts.map((nodePort, index) =>
        RestateServer.start({
          baseDir: path.join(dir, `n${index + 1}`),
          nodePort,
          nodeName: `n${index + 1}`,
          requestIdentity: false,
          env: {
            RESTATE_CLUSTER_NAME: 'local-cluster',
            RESTATE_FORCE_NODE_ID: String(index + 1),
            RESTATE_AUTO_PROVISION: index === 0 ? 'true' : 'false',
            RESTATE_DEFAULT_REPLICATION: '2',
            RESTATE_METADATA_CLIENT__ADDRESSES: metadataAddresses,
            RESTATE_WORKER__INVOKER__REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE: identity.privateKeyPemFile,
            ...options.env,
          },
        }),
      ),
    );
    const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) {
      // One node did not come up: stop the others before their data dirs are removed from under them.
      await Promise.all(nodes.map((node) => node.dispose()));
      rmSync(dir, { recursive: true, force: true });
      throw failed.reason;
    }
    return new RestateCluster(nodes, dir, identity.publicKey);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.dispose()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
