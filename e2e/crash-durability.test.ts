/**
 * kill -9 must never lose a write the embedded database acknowledged as committed.
 *
 * A child process (support/durability-writer.ts) inserts rows one autocommitted statement at a
 * time into a real PGlite data folder and prints each id only after the commit resolved. We SIGKILL
 * it at an arbitrary moment, several times over the same folder (so each later round first recovers
 * the folder the previous kill left), then reopen it here and require every acknowledged id.
 */
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openPglite } from '../packages/server/src/platform/db/pglite-database.js';
import { killAll, makeTempDir, removeTempDirs, spawnTracked, waitFor, withTimeout } from './support/careline-process.js';

afterEach(killAll);
afterAll(removeTempDirs);

const ROUNDS = 3;
const WRITER = path.join('e2e', 'support', 'durability-writer.ts');

function ackedIds(stdout: string): number[] {
  return [...stdout.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]));
}

describe('embedded database under kill -9', () => {
  it(`keeps every acknowledged commit across ${ROUNDS} SIGKILLs of the writer`, { timeout: 90_000 }, async () => {
    const dataDir = path.join(makeTempDir('crash'), 'pg');
    const ackedByRound = new Map<number, number[]>();

    for (let round = 1; round <= ROUNDS; round++) {
      // From round 2 on, the writer first has to open the folder the previous SIGKILL left behind.
      const writer = spawnTracked(process.execPath, ['--import', 'tsx', WRITER, dataDir, String(round)]);
      // A different kill point each round, a few hundred acknowledged commits in.
      const killAfter = 200 + Math.floor(Math.random() * 300);
      await waitFor(
        () => {
          if (ackedIds(writer.stdout()).length >= killAfter) return true;
          if (writer.hasExited()) throw new Error(`writer exited early (round ${round}): ${writer.stderr()}`);
          return undefined;
        },
        40_000,
        `${killAfter} acknowledged inserts in round ${round}`,
      );
      writer.child.kill('SIGKILL');
      const exit = await withTimeout(writer.exited, 10_000, 'the writer to die');
      expect(exit.signal).toBe('SIGKILL');
      // Read after death: acks that reached the pipe before the kill count too.
      const acked = ackedIds(writer.stdout());
      expect(acked.length).toBeGreaterThanOrEqual(killAfter);
      ackedByRound.set(round, acked);
    }

    // The folder must open after the last crash and hold every id ever acknowledged.
    const db = await openPglite({ dataDir });
    try {
      const { rows } = await db.query<{ id: number }>('SELECT id FROM e2e_durability');
      const present = new Set(rows.map((r) => r.id));
      const lost = [...ackedByRound].flatMap(([round, ids]) => ids.filter((id) => !present.has(id)).map((id) => `round ${round}: id ${id}`));
      const total = [...ackedByRound.values()].reduce((n, ids) => n + ids.length, 0);
      expect(lost, `${lost.length} of ${total} acknowledged commits lost after SIGKILL`).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
