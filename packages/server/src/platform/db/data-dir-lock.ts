import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite admits one process per data folder; a second opener would corrupt it. The server and the
 * CLI both take this lock before opening the folder. The holder also publishes how to reach it
 * (server.json, mode 0600), so the CLI can go through a running server instead of opening the folder.
 */
export interface LockHolder {
  readonly pid: number;
  readonly startedAt: string;
  readonly purpose: string;
}

export interface ServerInfo {
  readonly pid: number;
  readonly url: string;
  /** Bearer token for the loopback-only admin routes the CLI uses. */
  readonly adminToken: string;
}

export class DataDirBusyError extends Error {
  constructor(readonly holder: LockHolder, readonly dataDir: string) {
    super(`The data folder ${dataDir} is in use by process ${holder.pid} (${holder.purpose}, since ${holder.startedAt}).`);
    this.name = 'DataDirBusyError';
  }
}

const LOCK_FILE = 'careline.lock';
const SERVER_FILE = 'server.json';

/** Data folders (resolved) whose lock this process holds right now. */
const heldHere = new Set<string>();

/** Whether the process recorded in dataDir's lock or server file still holds it. */
function isAlive(pid: number, dataDir: string): boolean {
  // Our own pid in a file we did not write in this process is a leftover of an earlier process that had
  // the same pid: a container's entry process gets the same pid (often 1) on every restart, so after a
  // crash the server would otherwise refuse to start forever, "in use by process 1" — itself.
  if (pid === process.pid) return heldHere.has(path.resolve(dataDir));
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLockHolder(dataDir: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')) as LockHolder;
    return isAlive(holder.pid, dataDir) ? holder : undefined;
  } catch {
    return undefined;
  }
}

export function readServerInfo(dataDir: string): ServerInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(path.join(dataDir, SERVER_FILE), 'utf8')) as ServerInfo;
    return isAlive(info.pid, dataDir) ? info : undefined;
  } catch {
    return undefined;
  }
}

export class DataDirLock {
  private released = false;
  private constructor(readonly dataDir: string) {}

  /** Takes the lock or throws DataDirBusyError; a lock left by a dead process is taken over. */
  static acquire(dataDir: string, purpose: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, LOCK_FILE);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        const holder: LockHolder = { pid: process.pid, startedAt: new Date().toISOString(), purpose };
        writeSync(fd, JSON.stringify(holder));
        closeSync(fd);
        heldHere.add(path.resolve(dataDir));
        return new DataDirLock(dataDir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = readLockHolder(dataDir);
        if (holder) throw new DataDirBusyError(holder, dataDir);
        rmSync(file, { force: true }); // stale: its process is gone
      }
    }
    throw new Error(`could not take the lock on ${dataDir}`);
  }

  publishServer(info: ServerInfo): void {
    const file = path.join(this.dataDir, SERVER_FILE);
    writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
    chmodSync(file, 0o600);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    rmSync(path.join(this.dataDir, SERVER_FILE), { force: true });
    rmSync(path.join(this.dataDir, LOCK_FILE), { force: true });
    heldHere.delete(path.resolve(this.dataDir));
  }
}
