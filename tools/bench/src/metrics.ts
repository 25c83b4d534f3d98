import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Peak resident memory of a process so far (VmHWM), in MiB; undefined if it is gone. */
export function peakRssMiB(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Bytes under a directory, like `du -b`. */
export function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    try {
      total += entry.isDirectory() ? directoryBytes(full) : statSync(full).size;
    } catch {
      // RocksDB removes files while we walk: a vanished file holds no bytes.
    }
  }
  return total;
}
