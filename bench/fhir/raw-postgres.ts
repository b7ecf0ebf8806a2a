import pg from 'pg';
import { createTempDatabase } from '../lib/temp-postgres.js';
import { measureCeiling, RAW_TABLE_DDL, type RawCeiling, type RawPlan } from './raw-ceiling.js';

/** The PostgreSQL ceiling, in its own temporary database (dropped straight after). */
export async function postgresCeiling(content: string, plan: RawPlan): Promise<RawCeiling> {
  const db = await createTempDatabase();
  const clients: pg.Client[] = [];
  try {
    const most = Math.max(1, ...plan.connections);
    for (let i = 0; i < most; i++) {
      const client = new pg.Client({ connectionString: db.url, application_name: 'careline-bench-raw' });
      await client.connect();
      clients.push(client);
    }
    await clients[0]?.query(RAW_TABLE_DDL);
    return await measureCeiling((n) => clients.slice(0, n), content, plan);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
    await db.drop();
  }
}
