import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackend, type TestDatabase } from '../../test-support/test-database.js';

/**
 * The storage seam promises that capability code cannot tell the backends apart by the values it
 * gets back (database.ts). Every expectation here is literal, so the same file passing in the pglite
 * and the postgres project is the parity proof.
 */
describe(`result types on ${testBackend()}`, () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    await tdb.db.exec(`
      CREATE TABLE test_parity (id bigserial PRIMARY KEY, amount numeric(10,2) NOT NULL, ok boolean NOT NULL,
        doc jsonb NOT NULL, tags text[] NOT NULL, at timestamptz NOT NULL);
      INSERT INTO test_parity (amount, ok, doc, tags, at) VALUES
        (12.50, true,  '{"a":[1,2],"b":{"c":null}}', ARRAY['x','y,z',NULL,'q"r'], '2024-03-10T12:34:56.789Z'),
        (0.05,  false, '[1,"two"]',                  ARRAY[]::text[],             '2024-10-27T01:30:00Z');
    `);
  });
  afterAll(async () => tdb.drop());

  it('int8 and count(*) → number', async () => {
    const { rows } = await tdb.db.query('SELECT count(*) AS n, max(id) AS top, 42::int8 AS i8, 7::int4 AS i4, 3::int2 AS i2, 1.5::float8 AS f8 FROM test_parity');
    expect(rows).toEqual([{ n: 2, top: 2, i8: 42, i4: 7, i2: 3, f8: 1.5 }]);
  });

  it('numeric (and sum/avg of integers, which are numeric) → string, exactly as stored', async () => {
    const { rows } = await tdb.db.query(
      "SELECT amount, 'NaN'::numeric AS nan, sum(amount) OVER () AS total, sum(id) OVER () AS id_sum, avg(2) OVER () AS mean FROM test_parity ORDER BY id",
    );
    expect(rows).toEqual([
      { amount: '12.50', nan: 'NaN', total: '12.55', id_sum: '3', mean: '2.0000000000000000' },
      { amount: '0.05', nan: 'NaN', total: '12.55', id_sum: '3', mean: '2.0000000000000000' },
    ]);
  });

  it('json and jsonb → parsed values (objects, arrays, strings)', async () => {
    const { rows } = await tdb.db.query<{ doc: unknown }>('SELECT doc FROM test_parity ORDER BY id');
    expect(rows.map((r) => r.doc)).toEqual([{ a: [1, 2], b: { c: null } }, [1, 'two']]);
    const scalars = await tdb.db.query(`SELECT '"s"'::jsonb AS s, '{"k":1}'::json AS j, 'null'::jsonb AS n, NULL::jsonb AS missing`);
    expect(scalars.rows).toEqual([{ s: 's', j: { k: 1 }, n: null, missing: null }]);
  });

  it('timestamptz → Date at the same instant; timestamp and date → Date (read as UTC under TZ=UTC)', async () => {
    const { rows } = await tdb.db.query<{ at: Date }>('SELECT at FROM test_parity ORDER BY id');
    for (const r of rows) expect(r.at).toBeInstanceOf(Date);
    expect(rows.map((r) => r.at.toISOString())).toEqual(['2024-03-10T12:34:56.789Z', '2024-10-27T01:30:00.000Z']);
    const other = await tdb.db.query<{ ts: Date; d: Date }>("SELECT '2024-03-10 12:34:56'::timestamp AS ts, '2024-03-10'::date AS d");
    expect(other.rows[0]?.ts.toISOString()).toBe('2024-03-10T12:34:56.000Z');
    expect(other.rows[0]?.d.toISOString()).toBe('2024-03-10T00:00:00.000Z');
  });

  it('boolean → boolean', async () => {
    const { rows } = await tdb.db.query('SELECT ok, NOT ok AS flipped FROM test_parity ORDER BY id');
    expect(rows).toEqual([
      { ok: true, flipped: false },
      { ok: false, flipped: true },
    ]);
  });

  it('text[] → string[] with NULLs, commas and quotes intact', async () => {
    const { rows } = await tdb.db.query<{ tags: unknown }>('SELECT tags FROM test_parity ORDER BY id');
    expect(rows.map((r) => r.tags)).toEqual([['x', 'y,z', null, 'q"r'], []]);
  });

  it('arrays of int8, numeric, timestamptz and jsonb follow their element type', async () => {
    const { rows } = await tdb.db.query(
      `SELECT array_agg(id ORDER BY id) AS ids, array_agg(amount ORDER BY id) AS amounts, array_agg(at ORDER BY id) AS ats,
              ARRAY['{"k":1}'::jsonb] AS docs, ARRAY[ARRAY[1,2],ARRAY[3,4]]::int8[] AS grid
       FROM test_parity`,
    );
    expect(rows).toEqual([
      {
        ids: [1, 2],
        amounts: ['12.50', '0.05'],
        ats: [new Date('2024-03-10T12:34:56.789Z'), new Date('2024-10-27T01:30:00Z')],
        docs: [{ k: 1 }],
        grid: [
          [1, 2],
          [3, 4],
        ],
      },
    ]);
  });

  it('interval → its text form', async () => {
    const { rows } = await tdb.db.query("SELECT '1 day 2 hours'::interval AS iv, '90 minutes'::interval AS short");
    expect(rows).toEqual([{ iv: '1 day 02:00:00', short: '01:30:00' }]);
  });

  it('uuid, text and bytea', async () => {
    const { rows } = await tdb.db.query<{ u: unknown; t: unknown; b: unknown }>(
      "SELECT '5b1e1a4e-1c8d-4a8e-9c3e-1f1e1a4e1c8d'::uuid AS u, 'x'::text AS t, 'ab'::bytea AS b",
    );
    expect(rows[0]?.u).toBe('5b1e1a4e-1c8d-4a8e-9c3e-1f1e1a4e1c8d');
    expect(rows[0]?.t).toBe('x');
    // pg hands out a Buffer and PGlite a plain Uint8Array: code may rely on Uint8Array only.
    expect(rows[0]?.b).toBeInstanceOf(Uint8Array);
    expect([...(rows[0]?.b as Uint8Array)]).toEqual([97, 98]);
  });

  it('parameters: Date, number, string, boolean, string[] and JSON text round-trip the same way', async () => {
    const { rows } = await tdb.db.query(
      'SELECT $1::timestamptz AS at, $2::int8 AS n, $3::numeric AS amount, $4::boolean AS ok, $5::text[] AS tags, $6::jsonb AS doc, $7::jsonb AS list, $8::text AS nothing',
      [
        new Date('2024-01-02T03:04:05.678Z'),
        9007199254740991,
        '1.10',
        true,
        ['p', 'q,r', null],
        JSON.stringify({ x: [1, 'two'] }),
        // Always stringify JSON parameters: pg would send a JS array as a PostgreSQL array literal.
        JSON.stringify([1, 2]),
        null,
      ],
    );
    expect(rows).toEqual([
      { at: new Date('2024-01-02T03:04:05.678Z'), n: 9007199254740991, amount: '1.10', ok: true, tags: ['p', 'q,r', null], doc: { x: [1, 'two'] }, list: [1, 2], nothing: null },
    ]);
  });

  it('rowCount counts affected rows for writes and returned rows for reads', async () => {
    const upd = await tdb.db.query('UPDATE test_parity SET ok = ok WHERE id > 0');
    expect(upd).toEqual({ rows: [], rowCount: 2 });
    const none = await tdb.db.query('SELECT 1 AS one WHERE false');
    expect(none).toEqual({ rows: [], rowCount: 0 });
  });
});

describe(`transactions and scripts on ${testBackend()}`, () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    await tdb.db.exec('CREATE TABLE test_tx (id integer PRIMARY KEY, note text NOT NULL)');
  });
  afterAll(async () => tdb.drop());

  const notes = async (): Promise<string[]> => (await tdb.db.query<{ note: string }>('SELECT note FROM test_tx ORDER BY id')).rows.map((r) => r.note);

  it('commits when the function resolves, and returns its value', async () => {
    const result = await tdb.db.transaction(async (tx) => {
      await tx.query('INSERT INTO test_tx VALUES ($1, $2)', [1, 'kept']);
      await tx.exec("INSERT INTO test_tx VALUES (2, 'kept too')");
      return (await tx.query<{ n: number }>('SELECT count(*) AS n FROM test_tx')).rows[0]?.n;
    });
    expect(result).toBe(2);
    expect(await notes()).toEqual(['kept', 'kept too']);
  });

  it('rolls back everything when the function throws, and rethrows the same error', async () => {
    const boom = new Error('boom');
    await expect(
      tdb.db.transaction(async (tx) => {
        await tx.query('INSERT INTO test_tx VALUES ($1, $2)', [3, 'rolled back']);
        await tx.exec("UPDATE test_tx SET note = 'changed'");
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await notes()).toEqual(['kept', 'kept too']);
  });

  it('rolls back when a statement fails, and the database stays usable', async () => {
    await expect(
      tdb.db.transaction(async (tx) => {
        await tx.query('INSERT INTO test_tx VALUES ($1, $2)', [4, 'rolled back']);
        await tx.query('INSERT INTO test_tx VALUES ($1, $2)', [1, 'duplicate key']);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await notes()).toEqual(['kept', 'kept too']);
    await tdb.db.query('INSERT INTO test_tx VALUES ($1, $2)', [5, 'after']);
    expect(await notes()).toEqual(['kept', 'kept too', 'after']);
  });

  it('sees its own writes inside and hides them from outside until commit', async (ctx) => {
    ctx.skip(testBackend() !== 'postgres', 'PGlite runs one statement at a time, so nothing can look in from outside during a transaction');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));
    const tx = tdb.db.transaction(async (t) => {
      await t.query('INSERT INTO test_tx VALUES ($1, $2)', [6, 'pending']);
      expect((await t.query('SELECT note FROM test_tx WHERE id = 6')).rows).toEqual([{ note: 'pending' }]);
      inserted();
      await gate;
    });
    await insertedSignal;
    expect(await notes()).not.toContain('pending');
    release();
    await tx;
    expect(await notes()).toContain('pending');
  });

  it('exec() runs several statements and resolves to the last statement’s rows', async () => {
    const rows = await tdb.db.exec(`
      INSERT INTO test_tx VALUES (10, 'script');
      UPDATE test_tx SET note = note || '!' WHERE id = 10;
      SELECT id, note, 2::int8 AS big, 1.0::numeric AS num FROM test_tx WHERE id = 10;
    `);
    expect(rows).toEqual([{ id: 10, note: 'script!', big: 2, num: '1.0' }]);
    expect(await tdb.db.exec('SELECT 1 AS a; SELECT 2 AS b')).toEqual([{ b: 2 }]);
    // A last statement that returns no rows yields an empty array.
    expect(await tdb.db.exec("SELECT 1 AS a; DELETE FROM test_tx WHERE note = 'nothing'")).toEqual([]);
  });

  it('exec() inside a transaction is rolled back with it', async () => {
    await expect(
      tdb.db.transaction(async (tx) => {
        await tx.exec("INSERT INTO test_tx VALUES (20, 'a'); INSERT INTO test_tx VALUES (21, 'b');");
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect((await tdb.db.query('SELECT count(*) AS n FROM test_tx WHERE id >= 20')).rows).toEqual([{ n: 0 }]);
  });
});
