import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { WaitAbandoned } from './ports.js';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Append output here; without it the output goes to this process's stdout, prefixed with the name. */
  logFile?: string;
}

/**
 * Children still running. They die with this process, however it ends: a test that times out, or a harness that
 * throws, must not leave a restate-server and its apps running (and taking CPU from the next run) on the machine.
 */
const running = new Set<ChildProcess>();
const killAll = () => {
  for (const child of running) child.kill('SIGKILL');
};
process.once('exit', killAll);
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  // A signal's default is to end the process without 'exit'. Where someone else handles it (the dev runner stops
  // the system gracefully), they decide; otherwise end the children, then the process, as the default would.
  process.once(signal, () => {
    if (process.listenerCount(signal) > 0) return;
    killAll();
    process.kill(process.pid, signal);
  });
}

/** A child process that can be stopped gracefully, killed hard, and started again with the same spec. */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;

  constructor(readonly spec: ProcessSpec) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** For a wait on this process's start-up: if it has exited, the wait is over, and its log says why. */
  failIfExited(): void {
    if (!this.running) throw new WaitAbandoned(`${this.spec.name} exited during start-up; see ${this.spec.logFile ?? 'its output'}`);
  }

  start(): void {
    if (this.running) throw new Error(`${this.spec.name} is already running`);
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (this.spec.logFile) {
      this.log ??= createWriteStream(this.spec.logFile, { flags: 'a' });
      child.stdout?.pipe(this.log, { end: false });
      child.stderr?.pipe(this.log, { end: false });
    } else {
      const prefix = `[${this.spec.name}] `;
      const forward = (chunk: Buffer) =>
        process.stdout.write(chunk.toString().replace(/^(?=.)/gm, prefix));
      child.stdout?.on('data', forward);
      child.stderr?.on('data', forward);
    }
    this.child = child;
    running.add(child);
    child.once('exit', () => running.delete(child));
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** SIGKILL: the crash case, no cleanup of any kind. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  closeLog(): void {
    this.log?.end();
    this.log = undefined;
  }
}
