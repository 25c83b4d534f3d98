import { execSync, spawn } from 'node:child_process';
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
    expect(readFileSync(path.join(WORKSPACE_ROOT, 'Dockerfile'), 'utf8')).toContain('RUN pnpm --filter "@tickets/${APP}" run build');
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
      const child = spawn(process.execPath, ['main.mjs'], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), STRIPE_API_KEY: 'sk_test_image', SMTP_HOST: '127.0.0.1' },
        stdio: 'ignore',
      });
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
