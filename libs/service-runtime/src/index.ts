import './node20-shim.js';

export { DurationMillis, EndpointEnv, endpointEnv, readConfig, type EndpointConfig } from './config.js';
export { serveEndpoint, type RunningEndpoint, type ServeOptions } from './serve.js';
export { validKey } from './validate.js';
export { zip } from './zip.js';
export { isCancellation, untilDone } from './cancellation.js';
export { bearerToken, requireBearer } from './bearer.js';
export { createLambdaHandler, discoverLambdaServices } from './lambda.js';
export { jsonLogger, logLine } from './logger.js';
