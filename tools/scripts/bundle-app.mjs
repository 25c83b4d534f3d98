// Bundle the app in the current directory into one self-contained ESM file, dist/main.mjs: the artifact the
// dev runner, the integration tests and the container image all run with plain `node`.
import { build } from 'esbuild';
import { rmSync, statSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  conditions: ['development'],
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
console.log(`dist/main.mjs ${(statSync('dist/main.mjs').size / 1024).toFixed(0)} KiB`);
