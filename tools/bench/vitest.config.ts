import { defineConfig, mergeConfig } from 'vitest/config';
import { baseConfig } from '../../vitest.base.js';

export default mergeConfig(baseConfig, defineConfig({ test: { fileParallelism: false, testTimeout: 180_000, hookTimeout: 60_000 } }));
