import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../platform/db/migrate.js';
import { openPglite } from '../platform/db/pglite-database.js';
import { PostgresDatabase } from '../platform/db/postgres-database.js';
import { Jobs } from '../platform/jobs/jobs.js';
import { adminUrl, databaseUrl } from './postgres-urls.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplateFile: string;
    postgresTemplateDb: string;
  }
}

/**
 * Builds one migrated template per run (creating a PGlite data folder costs seconds); every test
 * file then clones it: PGlite from the dumped tarball, PostgreSQL with CREATE DATABASE … TEMPLATE.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const backend = project.config.env?.CARELINE_TEST_BACKEND ?? 'pglite';
  const cleanups: (() => Promise<void>)[] = [];
  if (backend === 'pglite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'careline-tpl-'));
    const db = await openPglite({});
    await migrate(db);
    const jobs = new Jobs(db);
    await jobs.start();
    await jobs.stop();
    const file = path.join(dir, 'template.tar.gz');
    writeFileSync(file, Buffer.from(await (await db.dump()).arrayBuffer()));
    await db.close();
    project.provide('pgliteTemplateFile', file);
    project.provide('postgresTemplateDb', '');
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  } else {
    const base = process.env.CARELINE_TEST_DATABASE_URL;
    if (!base) throw new Error('CARELINE_TEST_DATABASE_URL is required for the postgres project');
    const name = `careline_tpl_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: adminUrl(base) });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const db = new PostgresDatabase({ url: databaseUrl(base, name), poolMax: 2 });
    await migrate(db);
    const jobs = new Jobs(db);
    await jobs.start();
    await jobs.stop();
    await db.close();
    project.provide('pgliteTemplateFile', '');
    project.provide('postgresTemplateDb', name);
    cleanups.push(async () => {
      // Drop the template and any test database a crashed file left behind.
      const { rows } = await admin.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2",
        [name, `careline_t_${process.pid}_%`],
      );
      for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await admin.end();
    });
  }
  return async () => {
    for (const c of cleanups) await c();
  };
}
