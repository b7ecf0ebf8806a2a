import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js';
import { BUS_CHANNEL, RealtimeBus } from './bus.js';

/** Polls until cond() holds; a deadline keeps a lost message from hanging the suite. */
async function waitFor(cond: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Received {
  readonly payload: unknown;
  readonly topic: string;
}

function inbox(bus: RealtimeBus, topic: string): { readonly got: Received[]; readonly off: () => void } {
  const got: Received[] = [];
  const off = bus.subscribe(topic, (payload, t) => got.push({ payload, topic: t }));
  return { got, off };
}

describe('RealtimeBus', () => {
  let tdb: TestDatabase;
  let bus: RealtimeBus;
  const errors: Error[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    bus = new RealtimeBus(tdb.db, (err) => errors.push(err));
    await bus.start();
  });
  afterAll(async () => {
    await bus.stop();
    await tdb.drop();
  });

  async function storedRows(topic: string): Promise<unknown[]> {
    const { rows } = await tdb.db.query<{ body: unknown }>('SELECT body FROM careline_bus_payload WHERE topic = $1 ORDER BY id', [topic]);
    return rows.map((r) => r.body);
  }

  it('delivers an inline payload to every subscriber of its topic, and only to them', async () => {
    const a = inbox(bus, 'inline.one');
    const b = inbox(bus, 'inline.one');
    const other = inbox(bus, 'inline.other');
    const payload = { text: 'Grüße 👋', n: 42, nested: [1, null, { ok: true }] };
    await bus.publish('inline.one', payload);
    await waitFor(() => a.got.length === 1 && b.got.length === 1, 'both subscribers');
    expect(a.got).toEqual([{ payload, topic: 'inline.one' }]);
    expect(b.got).toEqual([{ payload, topic: 'inline.one' }]);
    expect(other.got).toEqual([]);
    // Small messages travel inside the NOTIFY itself: nothing is stored.
    expect(await storedRows('inline.one')).toEqual([]);
    for (const s of [a, b, other]) s.off();
  });

  it('sends a payload over the 8 kB NOTIFY limit by reference and delivers it whole', async () => {
    const big = { note: 'x'.repeat(20_000), items: Array.from({ length: 200 }, (_, i) => ({ i, label: `item ${i}` })) };
    const s = inbox(bus, 'big.ascii');
    await bus.publish('big.ascii', big);
    await waitFor(() => s.got.length === 1, 'the by-reference message');
    expect(s.got[0]).toEqual({ payload: big, topic: 'big.ascii' });
    expect(await storedRows('big.ascii')).toEqual([big]);
    s.off();
  });

  it('measures the limit in bytes, not characters', async () => {
    // 4,000 two-byte characters: well under 8,000 characters, over 8,000 bytes.
    const wide = 'é'.repeat(4_000);
    const s = inbox(bus, 'big.utf8');
    await bus.publish('big.utf8', wide);
    await waitFor(() => s.got.length === 1, 'the multi-byte message');
    expect(s.got[0]?.payload).toBe(wide);
    expect(await storedRows('big.utf8')).toEqual([wide]);
    s.off();
  });

  it('relies on NOTIFY really refusing payloads of 8000 bytes or more', async () => {
    // The premise of the by-reference path: if this ever passes, the limit moved.
    await expect(tdb.db.query('SELECT pg_notify($1, $2)', [BUS_CHANNEL, 'x'.repeat(8_000)])).rejects.toThrow(/too long/i);
  });

  it('stops delivering to a handler once it unsubscribes', async () => {
    const gone = inbox(bus, 'unsub.topic');
    const stays = inbox(bus, 'unsub.topic');
    await bus.publish('unsub.topic', 1);
    await waitFor(() => gone.got.length === 1 && stays.got.length === 1, 'the first message');
    gone.off();
    await bus.publish('unsub.topic', 2);
    await bus.publish('unsub.topic', 3);
    // Notifications from one session arrive in order, so once 3 is in, 2 has been dispatched too.
    await waitFor(() => stays.got.length === 3, 'the later messages');
    expect(stays.got.map((r) => r.payload)).toEqual([1, 2, 3]);
    expect(gone.got.map((r) => r.payload)).toEqual([1]);
    stays.off();
  });

  it('rejects invalid topics on publish and subscribe', async () => {
    const invalid = ['', '1starts-with-digit', 'has space', 'semi;colon', "quote'", 'ümlaut', 'a'.repeat(129), '.dot-first'];
    for (const topic of invalid) {
      await expect(bus.publish(topic, {}), topic).rejects.toThrow(/invalid bus topic/);
      expect(() => bus.subscribe(topic, () => undefined), topic).toThrow(/invalid bus topic/);
    }
    // The longest valid topic is accepted.
    const longest = `t${'a'.repeat(127)}`;
    const s = inbox(bus, longest);
    await bus.publish(longest, 'edge');
    await waitFor(() => s.got.length === 1, 'the 128-character topic');
    s.off();
  });

  it('survives a malformed notification on its channel and keeps delivering', async () => {
    const before = errors.length;
    const s = inbox(bus, 'after.garbage');
    await tdb.db.query('SELECT pg_notify($1, $2)', [BUS_CHANNEL, 'not json {']);
    await bus.publish('after.garbage', 'still here');
    await waitFor(() => s.got.length === 1, 'the message after the garbage');
    expect(s.got[0]?.payload).toBe('still here');
    expect(errors.length).toBe(before + 1);
    expect(errors.at(-1)).toBeInstanceOf(SyntaxError);
    s.off();
  });

  it('delivers nothing once stopped, while another bus on the same database still receives', async () => {
    const second = new RealtimeBus(tdb.db);
    await second.start();
    try {
      const stopped = new RealtimeBus(tdb.db);
      await stopped.start();
      const dead = inbox(stopped, 'stop.topic');
      const alive = inbox(second, 'stop.topic');
      await stopped.stop();
      await second.publish('stop.topic', 'after stop');
      await waitFor(() => alive.got.length === 1, 'the live bus');
      expect(dead.got).toEqual([]);
    } finally {
      await second.stop();
    }
  });

  it('purgeOldPayloads removes rows older than the limit and nothing newer', async () => {
    const { rows } = await tdb.db.query<{ id: number }>(
      `INSERT INTO careline_bus_payload (topic, body, created_at) VALUES
         ('purge.old', '"a"', now() - interval '2 hours'),
         ('purge.old', '"b"', now() - interval '61 minutes'),
         ('purge.recent', '"c"', now() - interval '59 minutes'),
         ('purge.recent', '"d"', now())
       RETURNING id`,
    );
    expect(rows).toHaveLength(4);
    const totalBefore = await countRows();

    const removed = await bus.purgeOldPayloads(3600);

    expect(removed).toBe(2);
    expect(await storedRows('purge.old')).toEqual([]);
    expect(await storedRows('purge.recent')).toEqual(['c', 'd']);
    // Rows written by the earlier tests of this file are recent too: all kept.
    expect(await countRows()).toBe(totalBefore - 2);
    expect(await storedRows('big.ascii')).toHaveLength(1);
  });

  async function countRows(): Promise<number> {
    const { rows } = await tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM careline_bus_payload');
    return rows[0]?.n ?? -1;
  }
});
