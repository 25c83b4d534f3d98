import { describe, expect, it } from 'vitest';
import { bundleModules, cpuBreakdown, type CpuProfile } from './cpu-profile.js';

// A bundle as esbuild writes it: each module headed by a comment with its path.
const BUNDLE_URL = 'file:///srv/apps/ticket-db/dist/main.mjs';
const BUNDLE = [
  '// ../../node_modules/.pnpm/zod@4.1.0/node_modules/zod/v4/core/parse.js', // line 0
  'function safeParse() {}',
  '// ../../node_modules/.pnpm/@restatedev+restate-sdk@1.17.2/node_modules/@restatedev/restate-sdk/dist/endpoint.js', // line 2
  '// @__NO_SIDE_EFFECTS__',
  'function validateConnectionSignature() {}',
  '// ../../libs/service-runtime/src/logger.ts', // line 5
  'function jsonLogger() {}',
  '// src/ticket-db.ts', // line 7
  'function apply() {}',
].join('\n');

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

describe('bundleModules', () => {
  it('answers the module a line of the bundle comes from', () => {
    const moduleAt = bundleModules(BUNDLE);
    expect(moduleAt(1)).toContain('/zod/');
    expect(moduleAt(4)).toContain('@restatedev/restate-sdk/dist/endpoint.js');
    expect(moduleAt(6)).toBe('../../libs/service-runtime/src/logger.ts');
    expect(moduleAt(8)).toBe('src/ticket-db.ts');
  });
});

describe('cpuBreakdown', () => {
  // root ─┬ (idle)
  //       ├ (garbage collector)
  //       ├ validateConnectionSignature ─ wasm-function[1]   (the identity check, whatever runs inside it)
  //       ├ wasm-function[2]                                  (the SDK's core)
  //       ├ apply ─ safeParse                                 (zod, called by a handler)
  //       ├ jsonLogger
  //       ├ emit (node:events) ─ writeUtf8String              (a binding without a URL)
  //       ├ (program)
  //       └ RestateInvokeResponse                             (the SDK's JavaScript)
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 4, 6, 7, 9, 10, 12, 13] },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('(garbage collector)') },
      { id: 4, callFrame: frame('validateConnectionSignature', BUNDLE_URL, 4), children: [5] },
      { id: 5, callFrame: frame('wasm-function[1]', 'wasm://wasm/0064') },
      { id: 6, callFrame: frame('wasm-function[2]', 'wasm://wasm/0064') },
      { id: 7, callFrame: frame('apply', BUNDLE_URL, 8), children: [8] },
      { id: 8, callFrame: frame('safeParse', BUNDLE_URL, 1) },
      { id: 9, callFrame: frame('jsonLogger', BUNDLE_URL, 6) },
      { id: 10, callFrame: frame('emit', 'node:events', 470), children: [11] },
      { id: 11, callFrame: frame('writeUtf8String') },
      { id: 12, callFrame: frame('(program)') },
      { id: 13, callFrame: frame('RestateInvokeResponse', BUNDLE_URL, 3) },
    ],
    // One sample per node that runs, in µs: the idle one is left out of the busy time.
    samples: [2, 3, 5, 4, 6, 7, 8, 9, 11, 10, 12, 13],
    timeDeltas: [5_000, 1_000, 3_000, 1_000, 2_000, 1_000, 500, 250, 750, 250, 250, 500],
  };

  it('counts each busy sample once, for the part its stack says', () => {
    const { busyMs, parts } = cpuBreakdown(profile, new Map([[BUNDLE_URL, BUNDLE]]));
    expect(busyMs).toBe(10.5);
    expect(parts).toEqual({
      'request identity check': 4,
      'Restate SDK core (WebAssembly)': 2,
      'Restate SDK (JavaScript)': 0.5,
      zod: 0.5,
      'handlers (apps/*/src)': 1,
      'project libs (libs/*)': 0.25,
      'other npm packages': 0,
      'Node.js (HTTP/2, streams, I/O)': 1,
      'garbage collection': 1,
      'V8 (compiled code, natives)': 0.25,
    });
  });

  it('counts the code of a bundle it was not given as V8, not as the app', () => {
    const { parts } = cpuBreakdown(profile, new Map());
    expect(parts['handlers (apps/*/src)']).toBe(0);
    expect(parts['V8 (compiled code, natives)']).toBe(0.25 + 1 + 0.5 + 0.25 + 0.5);
  });
});
