/**
 * Child process for e2e/crash-durability.test.ts. Opens the PGlite data folder given as argv[2],
 * migrates it, then inserts rows forever, one autocommitted statement each, and prints
 * `ack <id>` only after PGlite has resolved that statement — i.e. after the commit was acknowledged,
 * which is the promise Careline makes to its own callers. The parent kills it with SIGKILL at an
 * arbitrary moment and checks that every acknowledged id survived.
 *
 * Run with `node --import tsx e2e/support/durability-writer.ts DATA_DIR ROUND`.
 */
import { migrate } from '../../packages/server/src/platform/db/migrate.js';
import { openPglite } from '../../packages/server/src/platform/db/pglite-database.js';

const [dataDir, roundArg] = process.argv.slice(2);
if (!dataDir || !roundArg) {
  process.stderr.write('usage: durability-writer DATA_DIR ROUND\n');
  process.exit(2);
}
const round = Number(roundArg);

const db = await openPglite({ dataDir });
await migrate(db);
await db.exec(`CREATE TABLE IF NOT EXISTS e2e_durability (
  id      bigserial PRIMARY KEY,
  round   integer   NOT NULL,
  payload text      NOT NULL
)`);
process.stdout.write('ready\n');

// A few hundred bytes per row so the WAL keeps moving across pages while the parent waits to kill.
const payload = 'x'.repeat(300);
for (;;) {
  const { rows } = await db.query<{ id: number }>('INSERT INTO e2e_durability (round, payload) VALUES ($1, $2) RETURNING id', [round, payload]);
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('INSERT … RETURNING gave no id');
  // stdout to a pipe is synchronous on Linux: the ack is in the parent's pipe before the next INSERT starts.
  process.stdout.write(`ack ${id}\n`);
}
