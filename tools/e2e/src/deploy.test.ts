import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SHOP_APPS, SMALL_NODE_SETTINGS, WORKSPACE_ROOT } from '@tickets/local-restate';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** What can be checked of the Helm chart and of `nx affected` without helm, kubectl or a Git change. */
const chart = path.join(WORKSPACE_ROOT, 'deploy', 'helm', 'tickets');
const values = parse(readFileSync(path.join(chart, 'values.yaml'), 'utf8')) as {
  requestIdentityKeys: string;
  apps: Record<string, { port: number; secretEnv: string[]; env: Record<string, string> }>;
  restate: { env: { name: string; value: string }[] };
};
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(path.join(chart, 'values.schema.json'), 'utf8')));

describe('Helm chart', () => {
  const IDENTITY_KEY = 'publickeyv1_ChjENKeMvCtRnqG2mrBK1HmPKufgFUc98K4w5jpbq1eR';

  it('its default values validate against values.schema.json once the identity key is given', () => {
    const installed = { ...values, requestIdentityKeys: IDENTITY_KEY };
    expect(validate(installed), JSON.stringify(validate.errors)).toBe(true);
  });

  it('refuses to install without an identity key, unless unsigned requests are allowed in so many words', () => {
    expect(values.requestIdentityKeys).toBe('');
    expect(validate(values)).toBe(false);
    expect(validate({ ...values, allowUnsignedRequests: false })).toBe(false);
    expect(validate({ ...values, allowUnsignedRequests: true }), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['an unknown registration mode', { registration: { mode: 'manual' } }],
    ['a secret in plain env', { apps: { ...values.apps, checkout: { ...values.apps.checkout, env: { STRIPE_API_KEY: 'sk_live_x' } } } }],
    ['a missing app', { apps: { 'user-session': values.apps['user-session'], 'ticket-db': values.apps['ticket-db'] } }],
    ['a port out of range', { apps: { ...values.apps, 'ticket-db': { ...values.apps['ticket-db'], port: 70000 } } }],
    ['a malformed identity key', { requestIdentityKeys: 'not-a-key' }],
    ['a log level the apps do not know', { apps: { ...values.apps, 'ticket-db': { ...values.apps['ticket-db'], env: { LOG_LEVEL: 'warning' } } } }],
    ['a trace collector without a scheme', { apps: { ...values.apps, 'ticket-db': { ...values.apps['ticket-db'], env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' } } } }],
    ['a PORT that would leave the probes behind', { apps: { ...values.apps, 'ticket-db': { ...values.apps['ticket-db'], env: { PORT: '9999' } } } }],
  ])('refuses %s', (_, override) => {
    expect(validate({ ...values, requestIdentityKeys: IDENTITY_KEY, ...override })).toBe(false);
  });

  it('installs exactly the apps in apps/, each on its own default port', () => {
    expect(Object.keys(values.apps).sort()).toEqual(readdirSync(path.join(WORKSPACE_ROOT, 'apps')).sort());
    for (const { name, defaultPort } of SHOP_APPS) {
      expect(values.apps[name]?.port).toBe(defaultPort);
      const services = readFileSync(path.join(WORKSPACE_ROOT, 'apps', name, 'src', 'services.ts'), 'utf8');
      expect(services).toContain(`endpointEnv(${defaultPort})`);
    }
  });

  it("gives its bundled Restate server the embedded server's trim, cleanup and invoker settings", () => {
    const env = new Map(values.restate.env.map(({ name, value }) => [name, value]));
    for (const name of ['RESTATE_WORKER__TRIM_DELAY_INTERVAL', 'RESTATE_WORKER__CLEANUP_INTERVAL', 'RESTATE_WORKER__INVOKER__CONCURRENT_INVOCATIONS_LIMIT']) {
      expect(env.get(name), name).toBe(SMALL_NODE_SETTINGS[name]);
    }
  });

  it('documents every Secret key the chart reads', () => {
    const readme = readFileSync(path.join(WORKSPACE_ROOT, 'README.md'), 'utf8');
    const deploying = readme.slice(readme.indexOf('## Deploying'));
    for (const key of Object.values(values.apps).flatMap((app) => app.secretEnv)) expect(deploying).toContain(`\`${key}\``);
  });
});

describe('nx affected', () => {
  const affectedApps = (file: string) =>
    JSON.parse(
      execFileSync(path.join(WORKSPACE_ROOT, 'node_modules', '.bin', 'nx'), ['show', 'projects', '--affected', `--files=${file}`, '--projects', 'tag:type:app', '--json'], {
        cwd: WORKSPACE_ROOT,
        env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
        encoding: 'utf8',
      }),
    ) as string[];

  it('touching one app selects only that app', () => {
    expect(affectedApps('apps/ticket-db/src/seat.ts')).toEqual(['ticket-db']);
    expect(affectedApps('apps/checkout/src/order.ts')).toEqual(['checkout']);
  });

  it('touching the contracts selects all three apps', () => {
    expect(affectedApps('libs/contracts/src/ids.ts').sort()).toEqual(['checkout', 'ticket-db', 'user-session']);
  });

  it('touching the Dockerfile selects all three apps, so that their images are built again', () => {
    expect(affectedApps('Dockerfile').sort()).toEqual(['checkout', 'ticket-db', 'user-session']);
  });
});
