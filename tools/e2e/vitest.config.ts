import { defineConfig, mergeConfig } from 'vitest/config';
import { baseConfig } from '../../vitest.base.js';

// Each file starts its own restate-server and three apps; one file at a time keeps timer-based tests honest on
// a 2-core machine.
export default mergeConfig(
  baseConfig,
  defineConfig({ test: { fileParallelism: false, testTimeout: 60_000, hookTimeout: 60_000 } }),
);
