import { defineConfig } from 'vitest/config';

/** Shared by every project's vitest.config.ts: resolve workspace libs to their TypeScript sources. */
export const baseConfig = defineConfig({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'] } },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
