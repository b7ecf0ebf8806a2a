/**
 * A throwaway PostgreSQL cluster for tests that run where the host's server is out of reach (inside
 * the video tests' loopback-only network namespace, 127.0.0.1:5432 is a different, empty loopback).
 * Debian's own binaries (`initdb`, `pg_ctl` from /usr/lib/postgresql/<major>/bin), a temp folder,
 * 127.0.0.1 on a free port, durability off (fsync, full-page writes): about a second to start.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PG_ROOT = '/usr/lib/postgresql';

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication: a test-only cluster). */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Immediate shutdown, then the folder is removed. Safe to call twice. */
  stop(): Promise<void>;
}

/** The newest installed major's bin folder, or CARELINE_PG_BIN. */
export function postgresBinDir(): string | undefined {
  const fromEnv = process.env.CARELINE_PG_BIN;
  if (fromEnv) return existsSync(path.join(fromEnv, 'initdb')) ? fromEnv : undefined;
  if (!existsSync(PG_ROOT)) return undefined;
  const majors = readdirSync(PG_ROOT)
    .filter((d) => /^\d+$/.test(d) && existsSync(path.join(PG_ROOT, d, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] === undefined ? undefined : path.join(PG_ROOT, majors[0], 'bin');
}

/** A TCP port free on 127.0.0.1 right now (the kernel's pick; the caller binds it at once). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** uid and gid of the `postgres` system user (initdb and postgres refuse to run as root). */
function postgresUser(): { uid: number; gid: number } {
  const user = readPasswd('postgres');
  if (!user) throw new Error('running as root but there is no `postgres` user to run the cluster as');
  return user;
}

function readPasswd(name: string): { uid: number; gid: number } | undefined {
  // /etc/passwd: name:x:uid:gid:… — read directly, no shelling out to `id`.
  const text = readFileSync('/etc/passwd', 'utf8');
  const fields = text.split('\n').find((l) => l.startsWith(`${name}:`))?.split(':');
  if (!fields || fields[2] === undefined || fields[3] === undefined) return undefined;
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(`no PostgreSQL server binaries under ${PG_ROOT} (apt-get install postgresql) and CARELINE_PG_BIN is unset`);
  const asRoot = os.userInfo().uid === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'careline-pg-'));
  const data = path.join(dir, 'data');
  const owner = asRoot ? postgresUser() : undefined;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  // As root, run the binaries as `postgres`; the folder is theirs, so they can write it.
  const exec = (tool: string, args: readonly string[], timeoutMs: number) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { timeout: timeoutMs }) : run(path.join(bin, tool), [...args], { timeout: timeoutMs });
  let started = false;
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    await exec('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], 60_000);
    const port = await freePort();
    // A test cluster: losing it on a crash costs nothing, so durability is traded for speed.
    appendFileSync(
      path.join(data, 'postgresql.conf'),
      [
        `listen_addresses = '127.0.0.1'`,
        `port = ${port}`,
        `unix_socket_directories = '${dir}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'shared_buffers = 32MB',
        'max_connections = 100',
        '',
      ].join('\n'),
    );
    await exec('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start'], 90_000);
    started = true;
    let stopped = false;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      dir,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop'], 45_000);
        } finally {
          remove();
        }
      },
    };
  } catch (err) {
    if (started) await exec('pg_ctl', ['-D', data, '-m', 'immediate', 'stop'], 30_000).catch(() => undefined);
    remove();
    throw err;
  }
}
