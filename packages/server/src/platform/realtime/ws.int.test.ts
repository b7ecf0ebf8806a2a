import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp, type CarelineApp } from '../../app.js';
import type { Database } from '../db/database.js';
import { signInPatient } from '../../test-support/identity-kit.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createTestDatabase, testBackend, testConfig, type TestDatabase } from '../../test-support/test-database.js';

/** Access token of a signed-in patient, set in each suite's beforeAll. */
let accessToken = '';

/** What /ws sends; loose on purpose, so the tests assert the exact shapes. */
interface ServerMessage {
  readonly type: string;
  readonly topic?: string;
  readonly payload?: unknown;
  readonly code?: string;
}

/**
 * A real `ws` client that keeps every message it receives, so a test can wait for the one it
 * expects (with a deadline) and then check that nothing it must not see arrived before it.
 */
class TestClient {
  readonly received: ServerMessage[] = [];
  readonly closed: Promise<{ readonly code: number; readonly reason: string }>;
  private wake: (() => void)[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.received.push(JSON.parse(data.toString('utf8')) as ServerMessage);
      const w = this.wake;
      this.wake = [];
      for (const f of w) f();
    });
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
  }

  static async connect(baseUrl: string): Promise<TestClient> {
    // /ws admits signed-in callers only (identity); browsers pass the token this way.
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?access_token=${accessToken}`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new TestClient(socket);
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Resolves to (and removes) the first received message matching; rejects after timeoutMs. */
  async next(match: (m: ServerMessage) => boolean, timeoutMs = 5_000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.received.findIndex(match);
      if (i >= 0) return this.received.splice(i, 1)[0] as ServerMessage;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; received ${JSON.stringify(this.received).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async subscribe(topic: string): Promise<void> {
    this.send({ type: 'subscribe', topic });
    expect(await this.next((m) => m.topic === topic && (m.type === 'subscribed' || m.type === 'error'))).toEqual({ type: 'subscribed', topic });
  }

  async close(): Promise<void> {
    this.socket.close();
    await this.closed;
  }
}

const isMessageOn = (topic: string) => (m: ServerMessage) => m.type === 'message' && m.topic === topic;

async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function gauge(app: CarelineApp): Promise<number> {
  return (await app.platform.metrics.wsConnections.get()).values[0]?.value ?? 0;
}

/** Over NOTIFY's 8000-byte limit, so it must travel by reference (see bus.ts). */
const BIG = { note: 'b'.repeat(12_000), list: Array.from({ length: 50 }, (_, i) => i) };

describe('WebSocket endpoint with the test channel enabled', () => {
  let t: TestApp;
  let url: string;
  const clients: TestClient[] = [];
  const connect = async (): Promise<TestClient> => {
    const c = await TestClient.connect(url);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await createTestApp({ CARELINE_ENABLE_TEST_CHANNEL: 'true' });
    accessToken = await signInPatient(t.app);
    url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await t.close();
  });

  it('relays a bus publish to a subscribed client as {type:"message",topic,payload}', async () => {
    const c = await connect();
    await c.subscribe('test.greeting');
    await t.app.platform.bus.publish('test.greeting', { hello: 'world', n: 1 });
    expect(await c.next(isMessageOn('test.greeting'))).toEqual({ type: 'message', topic: 'test.greeting', payload: { hello: 'world', n: 1 } });
  });

  it('relays a payload that went through the bus by reference', async () => {
    const c = await connect();
    await c.subscribe('test.big');
    await t.app.platform.bus.publish('test.big', BIG);
    expect(await c.next(isMessageOn('test.big'))).toEqual({ type: 'message', topic: 'test.big', payload: BIG });
  });

  it('refuses a topic outside the test channel with code "forbidden" and relays nothing from it', async () => {
    const c = await connect();
    c.send({ type: 'subscribe', topic: 'careline.private' });
    expect(await c.next((m) => m.type === 'error')).toMatchObject({ type: 'error', code: 'forbidden', topic: 'careline.private' });
    await c.subscribe('test.barrier');
    await t.app.platform.bus.publish('careline.private', { secret: true });
    await t.app.platform.bus.publish('test.barrier', 'after');
    // The barrier was published second on the same connection, so the private one was dispatched first.
    await c.next(isMessageOn('test.barrier'));
    expect(c.received.filter((m) => m.topic === 'careline.private')).toEqual([]);
  });

  it('answers garbage with code "invalid-message" and keeps the connection usable', async () => {
    const c = await connect();
    const garbage: unknown[] = [
      'not json at all',
      '{"type":"subscribe"',
      { type: 'subscribe' },
      { type: 'subscribe', topic: 42 },
      { type: 'subscribe', topic: `test.${'x'.repeat(200)}` },
      { type: 'shout', topic: 'test.greeting' },
      [1, 2, 3],
      'null',
    ];
    for (const g of garbage) {
      c.send(g);
      expect(await c.next(() => true), JSON.stringify(g)).toMatchObject({ type: 'error', code: 'invalid-message' });
    }
    c.send({ type: 'ping' });
    expect(await c.next(() => true)).toEqual({ type: 'pong' });
  });

  it('stops relaying a topic after unsubscribe', async () => {
    const c = await connect();
    await c.subscribe('test.unsub');
    await c.subscribe('test.unsub-barrier');
    c.send({ type: 'unsubscribe', topic: 'test.unsub' });
    expect(await c.next((m) => m.type === 'unsubscribed')).toEqual({ type: 'unsubscribed', topic: 'test.unsub' });
    await t.app.platform.bus.publish('test.unsub', 'should not arrive');
    await t.app.platform.bus.publish('test.unsub-barrier', 'barrier');
    await c.next(isMessageOn('test.unsub-barrier'));
    expect(c.received.filter((m) => m.topic === 'test.unsub')).toEqual([]);
  });

  it('counts open connections in careline_websocket_connections', async () => {
    await waitFor(async () => (await gauge(t.app)) === clients.length, 'the gauge to match the open clients');
    const base = await gauge(t.app);
    const a = await TestClient.connect(url);
    const b = await TestClient.connect(url);
    await waitFor(async () => (await gauge(t.app)) === base + 2, 'two more connections');
    await a.close();
    await waitFor(async () => (await gauge(t.app)) === base + 1, 'one connection fewer');
    await b.close();
    await waitFor(async () => (await gauge(t.app)) === base, 'the gauge back to where it was');
    const metrics = await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(metrics.body).toMatch(new RegExp(`^careline_websocket_connections ${base}$`, 'm'));
  });
});

describe('WebSocket endpoint with the test channel disabled (the default)', () => {
  let t: TestApp;
  let url: string;

  beforeAll(async () => {
    t = await createTestApp();
    accessToken = await signInPatient(t.app);
    url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    // The last test closes the app itself.
    await t.tdb.drop();
  });

  it('refuses even test.* topics', async () => {
    const c = await TestClient.connect(url);
    c.send({ type: 'subscribe', topic: 'test.greeting' });
    expect(await c.next(() => true)).toMatchObject({ type: 'error', code: 'forbidden', topic: 'test.greeting' });
    await c.close();
  });

  it('closes open sockets when the app closes', async () => {
    const c = await TestClient.connect(url);
    c.send({ type: 'ping' });
    await c.next((m) => m.type === 'pong');
    const started = performance.now();
    await t.app.close();
    const closed = await Promise.race([c.closed, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('socket still open 5 s after app.close()')), 5_000))]);
    // 1001 "going away" (RFC 6455 §7.4.1): the client should reconnect elsewhere, not report an error.
    expect(closed.code).toBe(1001);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

/*
 * Two server instances on one database: the whole point of the bus. PGlite is one connection inside
 * one process, so a second instance cannot share it: this runs in the postgres project only.
 */
describe('WebSocket across two app instances on one database', () => {
  const pglite = testBackend() === 'pglite';
  if (pglite) {
    // eslint-disable-next-line no-console -- a skip must say why, or it reads as coverage
    console.info('SKIPPED on pglite: "two app instances on one database" needs PostgreSQL (PGlite is a single in-process connection); it runs in the postgres project.');
  }
  let tdb: TestDatabase;
  let second: Database;
  let app1: CarelineApp;
  let app2: CarelineApp;
  let url1: string;
  let url2: string;

  beforeAll(async () => {
    if (pglite) return;
    tdb = await createTestDatabase();
    second = tdb.openAnother();
    const config = testConfig({ CARELINE_ENABLE_TEST_CHANNEL: 'true' });
    app1 = await buildApp(config, { db: tdb.db });
    app2 = await buildApp(config, { db: second });
    url1 = await app1.listen({ host: '127.0.0.1', port: 0 });
    url2 = await app2.listen({ host: '127.0.0.1', port: 0 });
    accessToken = await signInPatient(app1);
  });
  afterAll(async () => {
    if (pglite) return;
    await app1.close();
    await app2.close();
    await tdb.drop();
  });

  it.skipIf(pglite)('delivers a message published on instance 1 to a client of instance 2, inline and by reference', async () => {
    expect(url1).not.toBe(url2);
    const c = await TestClient.connect(url2);
    try {
      await c.subscribe('test.cross');
      await app1.platform.bus.publish('test.cross', { from: 'instance 1' });
      expect(await c.next(isMessageOn('test.cross'))).toEqual({ type: 'message', topic: 'test.cross', payload: { from: 'instance 1' } });
      await app1.platform.bus.publish('test.cross', BIG);
      expect(await c.next(isMessageOn('test.cross'))).toEqual({ type: 'message', topic: 'test.cross', payload: BIG });
    } finally {
      await c.close();
    }
  });

  it.skipIf(pglite)('works in the other direction too, with clients on both instances', async () => {
    const on1 = await TestClient.connect(url1);
    const on2 = await TestClient.connect(url2);
    try {
      await on1.subscribe('test.both');
      await on2.subscribe('test.both');
      await app2.platform.bus.publish('test.both', 'from instance 2');
      for (const c of [on1, on2]) expect(await c.next(isMessageOn('test.both'))).toEqual({ type: 'message', topic: 'test.both', payload: 'from instance 2' });
    } finally {
      await on1.close();
      await on2.close();
    }
  });
});
