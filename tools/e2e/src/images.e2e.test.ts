import { execSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import { freePort, isListening, SHOP_APPS, waitUntil, WORKSPACE_ROOT } from '@tickets/local-restate';
import { describe, expect, it } from 'vitest';

/**
 * What each image contains, without a Docker engine: the app's production artifact built with the command the
 * Dockerfile runs (the app's `build` script), copied alone into an empty directory and started with plain `node`.
 */
const SERVICES: Record<string, string[]> = {
  'user-session': ['UserSession'],
  'ticket-db': ['Event', 'RowAvailability', 'TicketDb'],
  checkout: ['CheckoutProcess', 'Order', 'Ticket'],
};

function discover(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const request = session.request({ ':method': 'GET', ':path': '/discover', accept: 'application/vnd.restate.endpointmanifest.v3+json' });
    let body = '';
    let status = 0;
    request.on('response', (headers) => (status = Number(headers[':status'])));
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      session.close();
      resolve({ status, body });
    });
    request.on('error', reject);
    request.end();
  });
}

describe('production artifacts', () => {
  it('the Dockerfile builds with the app’s own build script', () => {
    const dockerfile = readFileSync(path.join(WORKSPACE_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('RUN pnpm --filter "@tickets/${APP}" run build');
    // What makes an app without identity keys refuse to start (below).
    expect(dockerfile).toContain('ENV NODE_ENV=production');
  });

  it.each(SHOP_APPS.map((app) => app.name))('%s runs alone from an empty directory and answers discovery over h2c', async (name) => {
    const appDir = path.join(WORKSPACE_ROOT, 'apps', name);
    const build = (JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { scripts: { build: string } }).scripts.build;
    execSync(build, { cwd: appDir, stdio: 'pipe' });

    const dir = mkdtempSync(path.join(os.tmpdir(), `image-${name}-`));
    try {
      for (const file of readdirSync(path.join(appDir, 'dist'))) copyFileSync(path.join(appDir, 'dist', file), path.join(dir, file));
      const bytes = statSync(path.join(dir, 'main.mjs')).size;
      console.log(`${name}: main.mjs ${(bytes / 1024 / 1024).toFixed(2)} MB`);
      expect(bytes).toBeGreaterThan(100_000);

      const port = await freePort();
      // As the image runs it (NODE_ENV=production), an app without identity keys refuses to start: anything that
      // reached its port could call the internal handlers. Unsigned only when told that nothing else can reach it.
      const env = { PATH: process.env.PATH, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), STRIPE_API_KEY: 'sk_test_image', SMTP_HOST: '127.0.0.1' };
      const refused = spawnSync(process.execPath, ['main.mjs'], { cwd: dir, env, encoding: 'utf8', timeout: 15_000 });
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain('RESTATE_IDENTITY_KEYS: required in production');
      const child = spawn(process.execPath, ['main.mjs'], { cwd: dir, env: { ...env, ALLOW_UNSIGNED_REQUESTS: 'true' }, stdio: 'ignore' });
      try {
        await waitUntil(`${name} to listen`, () => isListening(port), 15_000);
        const { status, body } = await discover(port);
        expect(status).toBe(200);
        expect((JSON.parse(body) as { services: { name: string }[] }).services.map((s) => s.name).sort()).toEqual(SERVICES[name]);
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        child.kill('SIGKILL');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
