/**
 * The life of one embedded-database folder, driven through the real `careline` process: first start,
 * a refused second start, CLI commands through the running server, SIGTERM, the same commands
 * directly, takeover of a lock left by a killed server, restore (a bad file refused, a leftover staging
 * folder not in the way), and a start on the restored folder that takes over a stale lock naming the
 * new server's own pid (what a restarted container sees).
 *
 * The steps share one folder and run in order (each builds on the previous one); a failed step kills
 * every child so the following steps fail fast instead of waiting on a half-dead server.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DataDirLock } from '../packages/server/src/platform/db/data-dir-lock.js';
import { openPglite } from '../packages/server/src/platform/db/pglite-database.js';
import {
  awaitListening,
  carelineEnv,
  CLI,
  getJson,
  killAll,
  makeTempDir,
  removeTempDirs,
  runCli,
  spawnTracked,
  startCareline,
  type RunningCareline,
} from './support/careline-process.js';

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await killAll();
});
afterAll(async () => {
  await killAll();
  removeTempDirs();
});

// A secret that must never appear in `careline doctor` output.
const METRICS_TOKEN = 'e2e-metrics-token-do-not-print-7c1f';

const root = makeTempDir('lifecycle');
const dataDir = path.join(root, 'data');
const pgDir = path.join(dataDir, 'pg');
const lockFile = path.join(dataDir, 'careline.lock');
const serverFile = path.join(dataDir, 'server.json');
const backupThroughServer = path.join(root, 'backups', 'through-server.tar.gz');
const backupDirect = path.join(root, 'backups', 'direct.tar.gz');
const env = carelineEnv(dataDir, { CARELINE_METRICS_TOKEN: METRICS_TOKEN });

interface LockFile {
  readonly pid: number;
  readonly purpose: string;
}

interface ServerFile {
  readonly pid: number;
  readonly url: string;
  readonly adminToken: string;
}

const readLock = (): LockFile => JSON.parse(readFileSync(lockFile, 'utf8')) as LockFile;
const readServerFile = (): ServerFile => JSON.parse(readFileSync(serverFile, 'utf8')) as ServerFile;

function mode(file: string): number {
  return statSync(file).mode & 0o777;
}

/** Every file under dir with size and mtime: equal snapshots mean nothing was written. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      const s = statSync(file);
      return `${path.relative(dir, file)} ${s.size} ${s.mtimeMs}`;
    })
    .sort();
}

async function expectReady(server: RunningCareline): Promise<void> {
  const r = await getJson(new URL('readyz', server.url).href);
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ status: 'ready', database: { kind: 'pglite', ok: true } });
}

/** A gzip'd tar of a PostgreSQL data folder. */
function expectDataDirTarball(file: string): void {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  const tar = gunzipSync(bytes);
  expect(tar.subarray(257, 262).toString('latin1')).toBe('ustar');
  expect(tar.includes('PG_VERSION')).toBe(true);
}

async function tableExists(dir: string, table: string): Promise<boolean> {
  const db = await openPglite({ dataDir: dir });
  try {
    const { rows } = await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
    return rows[0]?.t != null;
  } finally {
    await db.close();
  }
}

// Tests in a file run one after another (no `concurrent`), which these steps rely on.
// Generous per-step limit: a first start creates the database, which is slow on a busy machine.
describe('careline on one embedded data folder', { timeout: 90_000 }, () => {
  let server: RunningCareline | undefined;

  function running(): RunningCareline {
    if (!server) throw new Error('no server: an earlier step failed');
    return server;
  }

  it('starts on a fresh folder, prints its URL, serves /readyz and publishes careline.lock and server.json (0600)', async () => {
    server = await startCareline(env);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await expectReady(server);

    expect(readLock()).toMatchObject({ pid: server.pid, purpose: 'careline server' });
    expect(mode(lockFile)).toBe(0o600);
    const info = readServerFile();
    expect(info.pid).toBe(server.pid);
    expect(info.url).toBe(server.url);
    expect(info.adminToken).toMatch(/^[0-9a-f]{64}$/);
    expect(mode(serverFile)).toBe(0o600);
  });

  it('refuses a second start on the same folder quickly, naming the running process, without touching the data', async () => {
    const first = running();
    const before = { files: snapshot(dataDir), lock: readFileSync(lockFile, 'utf8'), server: readFileSync(serverFile, 'utf8') };

    const r = await runCli(['start'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`process ${first.pid}`);
    expect(r.stdout).not.toContain('Careline is running');
    expect(r.ms).toBeLessThan(8_000);

    expect({ files: snapshot(dataDir), lock: readFileSync(lockFile, 'utf8'), server: readFileSync(serverFile, 'utf8') }).toEqual(before);
    await expectReady(first);
  });

  it('runs doctor, migrate and backup through the running server', async () => {
    const { pid } = running();
    const { adminToken } = readServerFile();
    const through = `through the running server (pid ${pid})`;

    const doctor = await runCli(['doctor'], env);
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain(`database checked ${through}`);
    expect(doctor.stdout).toMatch(/^ok\s+database: pglite/m);
    expect(doctor.stdout).toContain('"token": "***"');
    expect(doctor.stdout + doctor.stderr).not.toContain(METRICS_TOKEN);
    expect(doctor.stdout + doctor.stderr).not.toContain(adminToken);

    const migrate = await runCli(['migrate'], env);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toMatch(new RegExp(`^Through the running server \\(pid ${pid}\\): schema at version \\d+; applied now: none\\.$`, 'm'));

    const backup = await runCli(['backup', '--out', backupThroughServer], env);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(through);
    expect(mode(backupThroughServer)).toBe(0o600);
    expectDataDirTarball(backupThroughServer);
  });

  it('stops promptly on SIGTERM with exit 0, removing careline.lock and server.json', async () => {
    const started = Date.now();
    const exit = await running().stop('SIGTERM', 15_000);
    server = undefined;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(existsSync(lockFile)).toBe(false);
    expect(existsSync(serverFile)).toBe(false);
  });

  it('runs doctor and backup directly on the folder when no server runs', async () => {
    const doctor = await runCli(['doctor'], env);
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain('database checked directly');
    expect(doctor.stdout).toMatch(/^ok\s+schema: up to date/m);
    expect(doctor.stdout + doctor.stderr).not.toContain(METRICS_TOKEN);

    const backup = await runCli(['backup', '--out', backupDirect], env);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).not.toContain('through the running server');
    expectDataDirTarball(backupDirect);
    expect(existsSync(lockFile)).toBe(false);

    // A change made after the backup, so the restore below can be seen to undo it.
    const lock = DataDirLock.acquire(dataDir, 'e2e marker');
    try {
      const db = await openPglite({ dataDir: pgDir });
      await db.exec("CREATE TABLE e2e_marker (note text NOT NULL); INSERT INTO e2e_marker VALUES ('written after the backup')");
      await db.close();
    } finally {
      lock.release();
    }
  });

  it('takes over the lock left behind by a server killed with SIGKILL', async () => {
    const killed = await startCareline(env);
    expect(await killed.stop('SIGKILL', 10_000)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(readLock().pid).toBe(killed.pid);
    expect(readServerFile().pid).toBe(killed.pid);

    server = await startCareline(env);
    await expectReady(server);
    expect(readLock().pid).toBe(server.pid);
    expect(readServerFile().pid).toBe(server.pid);
  });

  it('refuses to restore while a server runs, leaving its data in place', async () => {
    const current = running();
    const r = await runCli(['restore', backupThroughServer], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`pid ${current.pid}`);
    expect(r.stderr).toContain('Stop it first');
    expect(readdirSync(dataDir).sort()).toEqual(['careline.lock', 'pg', 'server.json']);
    await expectReady(current);

    expect(await current.stop('SIGTERM', 15_000)).toEqual({ code: 0, signal: null });
    server = undefined;
  });

  it('refuses to restore a file that is not a backup, changing nothing', async () => {
    const truncated = path.join(root, 'backups', 'truncated.tar.gz');
    writeFileSync(truncated, readFileSync(backupThroughServer).subarray(0, 100_000));
    const r = await runCli(['restore', truncated], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${truncated} is not a Careline backup`);
    expect(readdirSync(dataDir)).toEqual(['pg']);
  });

  it('restores with the server stopped, replacing the data and keeping the previous folder aside', async () => {
    // What a restore killed half-way through loading leaves behind must not block the next one.
    mkdirSync(`${pgDir}.restoring`);
    writeFileSync(path.join(`${pgDir}.restoring`, 'PG_VERSION'), '17\n');

    const r = await runCli(['restore', backupThroughServer], env);
    expect(r.code, r.stderr).toBe(0);
    const kept = /The previous data was kept in (.+)\.$/m.exec(r.stdout)?.[1];
    expect(kept, r.stdout).toBeDefined();
    if (!kept) return;
    expect(path.dirname(kept)).toBe(dataDir);
    expect(path.basename(kept)).toMatch(/^pg\.before-restore-/);
    expect(existsSync(`${pgDir}.restoring`)).toBe(false);
    expect(existsSync(lockFile)).toBe(false);

    // The restored folder is the backup (no marker); the kept one is the data as it was (marker).
    expect(await tableExists(pgDir, 'e2e_marker')).toBe(false);
    expect(await tableExists(kept, 'e2e_marker')).toBe(true);
  });

  it('starts and serves on the restored folder, taking over a stale lock naming its own pid (a restarted container)', async () => {
    // A container's entry process gets the same pid on every boot, so after a crash the lock names the
    // new server's own pid. The shell waits for a line, then execs node in place: the server gets exactly
    // the pid we already know, so a crashed predecessor's files can name it before the server starts.
    const child = spawnTracked('sh', ['-c', 'read _ && exec "$0" "$@"', process.execPath, CLI, 'start'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    writeFileSync(lockFile, JSON.stringify({ pid: child.pid, startedAt: '2020-01-01T00:00:00.000Z', purpose: 'careline server' }), { mode: 0o600 });
    writeFileSync(serverFile, JSON.stringify({ pid: child.pid, url: 'http://127.0.0.1:9/', adminToken: '0'.repeat(64) }), { mode: 0o600 });
    child.child.stdin?.end('go\n');

    server = await awaitListening(child);
    await expectReady(server);
    expect(readLock()).toMatchObject({ pid: child.pid, purpose: 'careline server' });
    expect(readLock()).not.toMatchObject({ startedAt: '2020-01-01T00:00:00.000Z' });
    expect(readServerFile().url).toBe(server.url);
    expect(await server.stop('SIGTERM', 15_000)).toEqual({ code: 0, signal: null });
    server = undefined;
    expect(existsSync(lockFile)).toBe(false);
  });
});
