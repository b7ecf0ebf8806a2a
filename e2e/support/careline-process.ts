/**
 * Spawning the real `careline` process (and other children) from e2e tests, with every wait bounded
 * and every child tracked so afterEach/afterAll can kill whatever a failed test left running.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = path.join(REPO_ROOT, 'packages/server/bin/careline.js');

export interface ExitResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface Tracked {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<ExitResult>;
  stdout(): string;
  stderr(): string;
  hasExited(): boolean;
}

const live = new Set<Tracked>();
const tempDirs = new Set<string>();

/** Spawns a child whose output is collected and which killAll() will reap. */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): Tracked {
  const child = spawn(command, [...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
  let out = '';
  let err = '';
  let done = false;
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<ExitResult>((resolve) => {
    // 'close' (not 'exit') so stdout/stderr are fully read before anyone looks at them.
    child.once('close', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  const tracked: Tracked = { child, pid: child.pid, exited, stdout: () => out, stderr: () => err, hasExited: () => done };
  live.add(tracked);
  void exited.then(() => live.delete(tracked));
  return tracked;
}

/** SIGKILLs every child still running and waits (bounded) for each to be gone. */
export async function killAll(): Promise<void> {
  const running = [...live];
  for (const t of running) {
    if (!t.hasExited()) t.child.kill('SIGKILL');
  }
  await Promise.all(running.map((t) => withTimeout(t.exited, 10_000, `pid ${t.pid} to die after SIGKILL`).catch(() => undefined)));
}

/** A fresh folder under the system temp dir, removed by removeTempDirs(). */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `careline-e2e-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

/**
 * The environment for a `careline` child: ours, minus anything Careline would read from the
 * developer's shell (a DATABASE_URL there would silently switch the test to PostgreSQL).
 */
export function carelineEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('CARELINE_') || k === 'DATABASE_URL') continue;
    env[k] = v;
  }
  return { ...env, CARELINE_DATA_DIR: dataDir, CARELINE_PORT: '0', CARELINE_LOG_LEVEL: 'warn', CARELINE_JOBS: 'false', ...extra };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls until check() returns a value other than undefined, or fails after timeoutMs. */
export async function waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface CliRun extends ExitResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs one `careline …` command to completion (killed if it outlives timeoutMs). */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<CliRun> {
  const started = Date.now();
  const t = spawnTracked(process.execPath, [CLI, ...args], { env });
  try {
    const r = await withTimeout(t.exited, timeoutMs, `careline ${args.join(' ')}`);
    return { ...r, stdout: t.stdout(), stderr: t.stderr(), ms: Date.now() - started };
  } catch (err) {
    t.child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\nstdout: ${t.stdout()}\nstderr: ${t.stderr()}`, { cause: err });
  }
}

export interface RunningCareline {
  readonly process: Tracked;
  readonly pid: number;
  /** Base URL with trailing slash, as printed by the server. */
  readonly url: string;
  /** Sends the signal and waits (bounded) for the process to end. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitResult>;
}

const RUNNING = /Careline is running\. Open (\S+)/;

/** `careline start`, resolved once the server prints its URL; fails early if the process dies first. */
export async function startCareline(env: NodeJS.ProcessEnv, timeoutMs = 45_000): Promise<RunningCareline> {
  return awaitListening(spawnTracked(process.execPath, [CLI, 'start'], { env }), timeoutMs);
}

/** Waits for an already spawned `careline start` to print its URL. */
export async function awaitListening(t: Tracked, timeoutMs = 45_000): Promise<RunningCareline> {
  const url = await waitFor(
    () => {
      const m = RUNNING.exec(t.stdout());
      if (m?.[1]) return m[1];
      if (t.hasExited()) throw new Error(`careline start exited before listening.\nstdout: ${t.stdout()}\nstderr: ${t.stderr()}`);
      return undefined;
    },
    timeoutMs,
    'careline start to print its URL',
  );
  return {
    process: t,
    pid: t.pid,
    url,
    async stop(signal = 'SIGTERM', stopTimeoutMs = 15_000) {
      if (!t.hasExited()) t.child.kill(signal);
      return withTimeout(t.exited, stopTimeoutMs, `careline (pid ${t.pid}) to exit after ${signal}`);
    },
  };
}

export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
}

export async function getJson(url: string, timeoutMs = 10_000): Promise<JsonResponse> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text, the assertion will show it
  }
  return { status: res.status, body };
}

/** Whether a process with this pid exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
