// The engine's ceiling, served like an app: a no-op virtual-object handler, and one that calls another virtual
// object and returns (the shape of addTicket); and the reference example the targets were set from. Run only by the
// benchmark.
import * as restate from '@restatedev/restate-sdk';
import { endpointEnv, readConfig, serveEndpoint } from '@tickets/service-runtime';
import { referenceExample } from './reference-example.js';

const noop = restate.object({
  name: 'BenchNoop',
  handlers: { noop: async (_ctx: restate.ObjectContext) => true },
});

const hop = restate.object({
  name: 'BenchHop',
  handlers: {
    hop: async (ctx: restate.ObjectContext) => ctx.objectClient<typeof noop>({ name: 'BenchNoop' }, ctx.key).noop(),
  },
});

const config = readConfig(endpointEnv(9089));
await serveEndpoint({ name: 'bench-ceiling', services: [noop, hop, ...referenceExample], config });
