import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Node's options for an app process that writes a CPU profile of its whole life into `dir` when it exits. */
export const cpuProfileArgs = (dir: string): string[] => ['--cpu-prof', `--cpu-prof-dir=${dir}`];

/** The parts of a `.cpuprofile` that the breakdown reads (Chrome DevTools' format, as `node --cpu-prof` writes it). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export const CPU_PARTS = [
  // The SDK checks every request's signature from restate-server (request identity keys) in its WebAssembly core.
  'request identity check',
  'Restate SDK core (WebAssembly)',
  'Restate SDK (JavaScript)',
  'zod',
  'handlers (apps/*/src)',
  'project libs (libs/*)',
  'other npm packages',
  'Node.js (HTTP/2, streams, I/O)',
  'garbage collection',
  'V8 (compiled code, natives)',
] as const;
export type CpuPart = (typeof CPU_PARTS)[number];

export interface CpuBreakdown {
  /** Time the profile saw the main thread busy, in ms (its idle samples left out): sampled, not the process's CPU. */
  busyMs: number;
  /** ms per part, summing to busyMs. */
  parts: Record<CpuPart, number>;
}

/**
 * Where a bundle's lines come from: esbuild heads each module it bundles with a `// <path>` comment (unminified
 * builds, as the apps' are). Answers the module that holds a 0-based line.
 */
export function bundleModules(source: string): (line: number) => string | undefined {
  const starts: [line: number, module: string][] = [];
  source.split('\n').forEach((text, line) => {
    const module = /^\/\/ ((?:\.\.\/)*[\w@.+-][\w@.+/-]*\.(?:[mc]?[jt]sx?|json))$/.exec(text)?.[1];
    if (module) starts.push([line, module]);
  });
  return (line) => {
    let found: string | undefined;
    for (const [start, module] of starts) {
      if (start > line) break;
      found = module;
    }
    return found;
  };
}

function bundledPart(module: string | undefined): CpuPart {
  if (!module) return 'V8 (compiled code, natives)';
  if (/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?@restatedev\//.test(module)) return 'Restate SDK (JavaScript)';
  if (/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?zod\//.test(module)) return 'zod';
  if (module.includes('node_modules/')) return 'other npm packages';
  if (/^(?:\.\.\/)*libs\//.test(module)) return 'project libs (libs/*)';
  return 'handlers (apps/*/src)';
}

/**
 * Sums a CPU profile by part: a sample counts for the request identity check when that is on its stack, and
 * otherwise for where its innermost frame's code comes from. `bundles` holds the source of each bundle the process
 * ran (keyed by its file:// URL), to tell the app's own code from the packages bundled with it.
 */
export function cpuBreakdown(profile: CpuProfile, bundles: ReadonlyMap<string, string>): CpuBreakdown {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const modulesOf = new Map([...bundles].map(([url, source]) => [url, bundleModules(source)]));
  const partOf = new Map<number, CpuPart | 'idle'>();
  const classify = (id: number): CpuPart | 'idle' => {
    const { functionName, url, lineNumber } = nodes.get(id)?.callFrame ?? { functionName: '', url: '', lineNumber: 0 };
    if (functionName === '(idle)') return 'idle';
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      if (nodes.get(at)?.callFrame.functionName === 'validateConnectionSignature') return 'request identity check';
    }
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (url.startsWith('wasm://')) return 'Restate SDK core (WebAssembly)';
    if (url.startsWith('node:')) return 'Node.js (HTTP/2, streams, I/O)';
    const modules = modulesOf.get(url);
    if (modules) return bundledPart(modules(lineNumber));
    // Natives without a URL: '(program)', and Node's bindings (writing to sockets, microtasks, …).
    return url === '' && !functionName.startsWith('(') ? 'Node.js (HTTP/2, streams, I/O)' : 'V8 (compiled code, natives)';
  };
  const parts = Object.fromEntries(CPU_PARTS.map((part) => [part, 0])) as Record<CpuPart, number>;
  let busyMs = 0;
  profile.samples.forEach((id, index) => {
    let part = partOf.get(id);
    if (part === undefined) partOf.set(id, (part = classify(id)));
    if (part === 'idle') return;
    // A sample counts for the time since the one before it; over the many thousand samples of a run, which of the
    // two neighbours it is given to makes no difference.
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    parts[part] += ms;
    busyMs += ms;
  });
  return { busyMs, parts };
}

export interface AppCpuProfile extends CpuBreakdown {
  /** The app(s) the process served. */
  app: string;
  file: string;
}

/**
 * The profiles the app processes wrote into `dir` when they exited (`CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile`),
 * each summed by part. `apps` names each process by its pid.
 */
export function readAppCpuProfiles(dir: string, apps: ReadonlyMap<number, string>): AppCpuProfile[] {
  const sources = new Map<string, string>();
  const bundleSource = (url: string) => {
    if (!sources.has(url)) sources.set(url, readFileSync(fileURLToPath(url), 'utf8'));
    return sources.get(url) as string;
  };
  return readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .flatMap((name) => {
      const app = apps.get(Number(name.split('.')[3]));
      if (!app) return [];
      const file = path.join(dir, name);
      const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
      const bundleUrls = new Set(profile.nodes.map(({ callFrame }) => callFrame.url).filter((url) => url.startsWith('file://') && url.endsWith('.mjs')));
      const bundles = new Map([...bundleUrls].map((url) => [url, bundleSource(url)]));
      return [{ app, file, ...cpuBreakdown(profile, bundles) }];
    })
    .sort((a, b) => a.app.localeCompare(b.app));
}
