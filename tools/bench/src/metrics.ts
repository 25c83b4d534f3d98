import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Peak resident memory of a process so far (VmHWM), in MiB; undefined if it is gone. */
export function peakRssMiB(pid: number | undefined): number | undefined {
  const kib = statusKiB(pid, 'VmHWM');
  return kib === undefined ? undefined : kib / 1024;
}

/** Resident memory of a process now (VmRSS), in MiB; undefined if it is gone. */
export function rssMiB(pid: number | undefined): number | undefined {
  const kib = statusKiB(pid, 'VmRSS');
  return kib === undefined ? undefined : kib / 1024;
}

/**
 * Keeps the highest anonymous resident memory (RssAnon: heap, stacks, caches) of each process, sampled every
 * `intervalMs`. The rest of a process's RSS is pages of files it maps, above all restate-server's own binary (225 MB
 * on disk for 1.7.12): clean pages that the kernel takes back when a container reaches its memory limit. So a limit
 * must hold the anonymous peak plus the code in use, not the whole RSS peak.
 */
export function sampleAnonymousMemory(pids: ReadonlyMap<string, number | undefined>, intervalMs = 200) {
  const peaks = new Map<string, number>();
  const sample = () => {
    for (const [name, pid] of pids) {
      const anon = statusKiB(pid, 'RssAnon');
      if (anon !== undefined) peaks.set(name, Math.max(peaks.get(name) ?? 0, anon / 1024));
    }
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  sample();
  return {
    /** The highest anonymous memory of `name` seen so far, in MiB. */
    peakMiB: (name: string) => (sample(), peaks.get(name)),
    stop: () => clearInterval(timer),
  };
}

function statusKiB(pid: number | undefined, field: string): number | undefined {
  if (!pid) return undefined;
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
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

/** Linux's clock ticks per second (`getconf CLK_TCK`), the unit of the CPU times in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system) a process and every process it started have used so far, in ms; 0 once it is gone. The
 * ceiling endpoint runs under tsx, whose handlers run in a child process, so descendants count.
 */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
    const children = readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean));
    return own + children.reduce((sum, child) => sum + cpuMs(Number(child)), 0);
  } catch {
    return 0;
  }
}
