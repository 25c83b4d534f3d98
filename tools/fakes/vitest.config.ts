import { baseConfig } from '../../vitest.base.js';
export default baseConfig;
