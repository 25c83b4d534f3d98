import { defineConfig, mergeConfig } from 'vitest/config';
import { baseConfig } from '../../vitest.base.js';

// A chaos run owns the machine's two cores for a minute: one at a time.
export default mergeConfig(baseConfig, defineConfig({ test: { fileParallelism: false, testTimeout: 240_000, hookTimeout: 60_000 } }));
