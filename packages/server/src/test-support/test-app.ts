import { buildApp, type BuildAppOptions, type CarelineApp } from '../app.js';
import { createTestDatabase, testConfig, type TestDatabase } from './test-database.js';

export interface TestApp {
  readonly app: CarelineApp;
  readonly tdb: TestDatabase;
  close(): Promise<void>;
}

/** buildApp() on a fresh cloned database, for app.inject() tests. */
export async function createTestApp(env: Record<string, string> = {}, options: Omit<BuildAppOptions, 'db'> = {}): Promise<TestApp> {
  const tdb = await createTestDatabase();
  const app = await buildApp(testConfig(env), { ...options, db: tdb.db });
  return {
    app,
    tdb,
    async close() {
      await app.close();
      await tdb.drop();
    },
  };
}
