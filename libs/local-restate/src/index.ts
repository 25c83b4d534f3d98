export { cancelInvocation, purgeInvocation, querySql, registerDeployment, serviceState, setState, waitForInvocationsToFinish } from './admin.js';
export { freePort, isListening, waitUntil } from './ports.js';
export { ManagedProcess, type ProcessSpec } from './process.js';
export { RestateServer, restateServerBinary, SMALL_NODE_SETTINGS, type RestateServerOptions } from './restate-server.js';
export { appBundle, LocalSystem, SHOP_APPS, WORKSPACE_ROOT, type AppName, type RunningApp, type SystemOptions } from './system.js';
export { generateRequestIdentity, type RequestIdentity } from './identity.js';
export { RestateCluster } from './cluster.js';
