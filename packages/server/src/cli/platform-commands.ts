import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config/config.js';
import { DataDirLock, readServerInfo } from '../platform/db/data-dir-lock.js';
import { migrate } from '../platform/db/migrate.js';
import { openPglite, PgliteDatabase } from '../platform/db/pglite-database.js';
import { doctorReport, type DoctorReport } from '../operations/doctor-report.js';
import { accessDatabase, callServer } from './embedded-access.js';
import type { CliCommand, CliOutput } from './command.js';

export function platformCommands(io: CliOutput): CliCommand[] {
  return [
    {
      name: 'start',
      summary: 'Run the Careline server',
      usage: 'careline start',
      run: async () => {
        // Loaded on demand: other commands need none of the server's modules.
        const { runStart } = await import('./start.js');
        const code = await runStart(io);
        // Exit even if a library left a handle open: the server has been closed cleanly by now.
        process.exit(code);
      },
    },
    {
      name: 'migrate',
      summary: 'Apply pending database migrations (also done at every start)',
      usage: 'careline migrate',
      run: async () => {
        const access = await accessDatabase(loadConfig(), 'careline migrate');
        if (access.via === 'server') {
          const r = JSON.parse((await callServer(access.server, 'POST', '/migrate')).toString('utf8')) as { applied: number[]; current: number };
          io.out(`Through the running server (pid ${access.server.pid}): schema at version ${r.current}; applied now: ${r.applied.join(', ') || 'none'}.`);
          return 0;
        }
        try {
          const r = await migrate(access.db);
          io.out(`Schema at version ${r.current}; applied now: ${r.applied.join(', ') || 'none'}.`);
          return 0;
        } finally {
          await access.release();
        }
      },
    },
    {
      name: 'doctor',
      summary: 'Print the effective configuration (secrets hidden) and check the database',
      usage: 'careline doctor',
      run: async () => {
        const config = loadConfig();
        let report: DoctorReport;
        let via = 'directly';
        try {
          const access = await accessDatabase(config, 'careline doctor');
          if (access.via === 'server') {
            via = `through the running server (pid ${access.server.pid})`;
            report = JSON.parse((await callServer(access.server, 'GET', '/doctor')).toString('utf8')) as DoctorReport;
          } else {
            try {
              report = await doctorReport(config, access.db);
            } finally {
              await access.release();
            }
          }
        } catch (err) {
          report = await doctorReport(config, undefined, err as Error);
        }
        io.out(`Careline doctor (database checked ${via})`);
        io.out(JSON.stringify(report.config, null, 2));
        for (const c of report.checks) io.out(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
        return report.ok ? 0 : 1;
      },
    },
    {
      name: 'backup',
      summary: 'Write a consistent backup of the embedded database (safe while the server runs)',
      usage: 'careline backup [--out FILE]',
      run: async (args) => {
        const { values } = parseArgs({ args: [...args], options: { out: { type: 'string' } } });
        const config = loadConfig();
        if (config.database.kind !== 'pglite') {
          io.err('careline backup covers the embedded database. For PostgreSQL use pg_dump (see README, Backups).');
          return 2;
        }
        const out = path.resolve(values.out ?? `careline-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.tar.gz`);
        const access = await accessDatabase(config, 'careline backup');
        let bytes: Buffer;
        if (access.via === 'server') {
          bytes = await callServer(access.server, 'POST', '/backup');
        } else {
          try {
            if (!(access.db instanceof PgliteDatabase)) throw new Error('unexpected backend');
            bytes = Buffer.from(await (await access.db.dump()).arrayBuffer());
          } finally {
            await access.release();
          }
        }
        mkdirSync(path.dirname(out), { recursive: true });
        writeFileSync(out, bytes, { mode: 0o600 });
        io.out(`Backup written to ${out} (${(bytes.length / 1024 / 1024).toFixed(1)} MiB)${access.via === 'server' ? ` through the running server (pid ${access.server.pid})` : ''}.`);
        return 0;
      },
    },
    {
      name: 'restore',
      summary: 'Replace the embedded database with a backup (server must be stopped)',
      usage: 'careline restore FILE',
      run: async (args) => {
        const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
        const file = positionals[0];
        if (!file) {
          io.err('usage: careline restore FILE');
          return 2;
        }
        const config = loadConfig();
        if (config.database.kind !== 'pglite') {
          io.err('careline restore covers the embedded database. For PostgreSQL use pg_restore or psql.');
          return 2;
        }
        const server = readServerInfo(config.dataDir);
        if (server) {
          io.err(`The Careline server (pid ${server.pid}) is running on ${config.dataDir}. Stop it first: a restore replaces its data.`);
          return 1;
        }
        // Check the whole file before touching anything: PGlite's loader fails late, noisily, and half-way
        // through writing the staging folder when handed something that is not a gzip'd tar.
        const problem = await backupProblem(path.resolve(file));
        if (problem) {
          io.err(`${file} is not a Careline backup (${problem}). Nothing was changed.`);
          return 1;
        }
        const lock = DataDirLock.acquire(config.dataDir, 'careline restore');
        try {
          const target = config.database.dataDir;
          const staging = `${target}.restoring`;
          // A staging folder left by an interrupted restore is only a copy of a backup file, and PGlite
          // refuses to load into a folder that already holds a database: it would block every later restore.
          rmSync(staging, { recursive: true, force: true });
          // Load into a staging folder first, so a bad backup never replaces good data.
          try {
            const db = await openPglite({ dataDir: staging, loadDataDir: new Blob([readFileSync(path.resolve(file))]) });
            await db.query('SELECT 1');
            await db.close();
          } catch (err) {
            rmSync(staging, { recursive: true, force: true });
            throw err;
          }
          let kept = '';
          if (existsSync(target)) {
            kept = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
            renameSync(target, kept);
          }
          renameSync(staging, target);
          io.out(`Restored ${file} into ${target}.${kept ? ` The previous data was kept in ${kept}.` : ''}`);
          return 0;
        } finally {
          lock.release();
        }
      },
    },
  ];
}

/** Why a file is not what `careline backup` writes (a gzip'd tar of a data folder), or undefined. */
async function backupProblem(file: string): Promise<string | undefined> {
  statSync(file); // a missing or unreadable file fails here with the system's own message
  let head = Buffer.alloc(0);
  // Streamed: the whole archive is checked without holding its decompressed size in memory.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (head.length < 512) head = Buffer.concat([head, chunk]).subarray(0, 512);
      done();
    },
  });
  try {
    await pipeline(createReadStream(file), createGunzip(), sink);
  } catch (err) {
    return `not a complete gzip file: ${(err as Error).message}`;
  }
  // A tar header carries the "ustar" magic at offset 257.
  if (head.subarray(257, 262).toString('latin1') !== 'ustar') return 'no tar archive inside';
  return undefined;
}
