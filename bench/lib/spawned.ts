import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { defer } from './cleanup.js';

export interface SpawnOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Shown in errors and cleanup messages. */
  readonly label: string;
}

const TAIL_LINES = 40;
/** Careline drains for up to CARELINE_SHUTDOWN_TIMEOUT_MS (10 s by default) before closing. */
const KILL_AFTER_MS = 20_000;

/**
 * A child process whose output lines we can wait on. It is registered for cleanup the moment it
 * is spawned, so a failing bench never leaves it running.
 */
export class Spawned {
  readonly pid: number;
  private readonly tail: string[] = [];
  private readonly waiters = new Set<(line: string) => void>();
  private readonly exited: Promise<number | string>;
  private exitedWith: number | string | undefined;
  private readonly forget: () => Promise<void>;

  private constructor(private readonly child: ChildProcess, readonly label: string) {
    if (child.pid === undefined) throw new Error(`${label}: spawn failed`);
    this.pid = child.pid;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitedWith = code ?? signal ?? 'unknown';
        resolve(this.exitedWith);
      });
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => this.onLine(line));
    }
    this.forget = defer(`stop ${label} (pid ${this.pid})`, () => this.kill());
  }

  static start(options: SpawnOptions): Spawned {
    const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    return new Spawned(child, options.label);
  }

  /** Resolves with the first output line (from now on) that matches, or fails on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(onLine);
      };
      const onLine = (line: string): void => {
        const match = pattern.exec(line);
        if (!match) return;
        done();
        resolve(match);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.label}: no line matching ${pattern} within ${timeoutMs} ms\n${this.output()}`));
      }, timeoutMs);
      this.waiters.add(onLine);
      void this.exited.then((how) => {
        if (!this.waiters.has(onLine)) return;
        done();
        reject(new Error(`${this.label}: exited (${how}) before printing ${pattern}\n${this.output()}`));
      });
    });
  }

  /** The last lines the process printed, for error messages. */
  output(): string {
    return this.tail.map((l) => `  | ${l}`).join('\n');
  }

  /** SIGTERM, then SIGKILL after KILL_AFTER_MS; resolves with the exit code or signal. */
  async stop(): Promise<number | string> {
    await this.forget();
    return this.exited;
  }

  private async kill(): Promise<void> {
    if (this.exitedWith !== undefined) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), KILL_AFTER_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private onLine(line: string): void {
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    for (const waiter of [...this.waiters]) waiter(line);
  }
}
