import { randomUUID } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Counter } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AccessWorld } from '../../test-support/access-world.js';

const BROKER = { host: '127.0.0.1', port: 1883 };
const URL = `mqtt://${BROKER.host}:${String(BROKER.port)}`;

async function brokerReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = netConnect(BROKER).once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => {
      resolve(false);
    });
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

const reachable = await brokerReachable();
if (!reachable) {
  if (process.env.CI === 'true') throw new Error(`MQTT tests need a broker at ${URL} (Mosquitto); in CI a missing broker is a failure.`);
  // eslint-disable-next-line no-console -- a skip must say why, or it reads as coverage
  console.warn(`[device-mqtt] skipped: no MQTT broker at ${URL} (apt-get install mosquitto)`);
}

const iso = (minutesAgo: number): string => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const until = async (what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/**
 * MQTT ingestion through the real local Mosquitto: a device publishes to its own readings topic
 * (QoS 1); Careline, subscribed in its own share group with a persistent session, stores the
 * readings through the idempotent ingest and acknowledges each only after commit.
 */
describe.skipIf(!reachable)('MQTT device ingest', () => {
  const run = randomUUID().slice(0, 8);
  const clientId = `careline-test-${run}`;
  let w: AccessWorld;
  let device: MqttClient;
  const errors: { topic: string; body: { error: string; problems: { path: string; message: string }[] } }[] = [];

  const enroll = async (kind: string): Promise<string> => {
    const r = await w.call('clinician', 'POST', '/api/monitoring/devices', { patient: 'Patient/pa', kind });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ device: string }>().device.slice('Device/'.length);
  };
  const counted = async (outcome: string): Promise<number> => {
    const metric = w.t.app.platform.metrics.registry.getSingleMetric('careline_mqtt_messages_total') as Counter<'outcome'> | undefined;
    const values = (await metric?.get())?.values ?? [];
    return values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  };
  const storedFor = async (deviceId: string): Promise<number> => {
    const r = await w.t.tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM fhir_resource WHERE resource_type = 'Observation' AND content::jsonb #>> '{device,reference}' = $1", [`Device/${deviceId}`]);
    return r.rows[0]?.n ?? 0;
  };
  const publish = async (deviceId: string, payload: unknown): Promise<void> => {
    await device.publishAsync(`careline/devices/${deviceId}/readings`, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1 });
  };

  beforeAll(async () => {
    w = await AccessWorld.create({ CARELINE_MQTT_URL: URL, CARELINE_MQTT_CLIENT_ID: clientId, CARELINE_MQTT_SHARE_GROUP: `test-${run}` });
    // A device's own connection (anonymous on the local broker; in production the broker authenticates it).
    device = await connectAsync(URL, { clientId: `device-${run}`, protocolVersion: 5 });
    device.on('message', (topic, payload) => {
      errors.push({ topic, body: JSON.parse(payload.toString()) as (typeof errors)[number]['body'] });
    });
    await device.subscribeAsync('careline/devices/+/errors', { qos: 1 });
    await until('Careline to subscribe', async () => w.t.app.platform.metrics.registry.getSingleMetric('careline_mqtt_connected') !== undefined && (await w.t.app.platform.metrics.registry.getSingleMetricAsString('careline_mqtt_connected')).endsWith(' 1'));
    // The subscription is sent right after CONNACK; give the SUBACK a moment.
    await new Promise((r) => setTimeout(r, 200));
  }, 120_000);

  afterAll(async () => {
    await device.endAsync();
    await w.close();
    // Remove the test's persistent session from the broker.
    const cleanup = await connectAsync(URL, { clientId, protocolVersion: 5, clean: true, properties: { sessionExpiryInterval: 0 } });
    await cleanup.endAsync();
  });

  it('stores a published reading as an Observation, once however often it is published', async () => {
    const cuff = await enroll('bp-cuff');
    const reading = { id: 'm-1', type: 'blood-pressure', systolic: 131, diastolic: 84, takenAt: iso(5) };
    await publish(cuff, reading);
    await until('the reading', async () => (await storedFor(cuff)) === 1);
    const before = await counted('stored');
    await publish(cuff, { readings: [reading] });
    await publish(cuff, reading);
    await until('both replays', async () => (await counted('stored')) >= before + 2);
    expect(await storedFor(cuff)).toBe(1);
    const obs = await w.t.tdb.db.query<{ content: string }>("SELECT content FROM fhir_resource WHERE resource_type = 'Observation' AND content::jsonb #>> '{device,reference}' = $1", [`Device/${cuff}`]);
    const o = JSON.parse(obs.rows[0]?.content ?? '{}') as { subject: { reference: string }; code: { coding: { code: string }[] } };
    expect(o.subject.reference).toBe('Patient/pa');
    expect(o.code.coding[0]?.code).toBe('85354-9');
  });

  it('drops messages of revoked and unknown devices', async () => {
    const scale = await enroll('scale');
    expect((await w.call('clinician', 'POST', `/api/monitoring/devices/${scale}/revoke`)).statusCode).toBe(204);
    const before = await counted('unknown-device');
    await publish(scale, { type: 'weight', value: 80, unit: 'kg', takenAt: iso(3) });
    await publish('no-such-device', { type: 'weight', value: 80, unit: 'kg', takenAt: iso(3) });
    await until('both drops', async () => (await counted('unknown-device')) >= before + 2);
    expect(await storedFor(scale)).toBe(0);
  });

  it('acknowledges an invalid message and answers its located problems on the errors topic', async () => {
    const cuff = await enroll('bp-cuff');
    await publish(cuff, { type: 'blood-pressure', systolic: 400, diastolic: 90, takenAt: iso(1) });
    await publish(cuff, { readings: [{ type: 'weight', value: 80, unit: 'stone', takenAt: iso(1) }] });
    await publish(cuff, 'not json');
    await publish(cuff, { type: 'blood-pressure', systolic: 120, takenAt: iso(1) });
    await until('four error replies', async () => errors.filter((e) => e.topic === `careline/devices/${cuff}/errors`).length >= 4);
    const mine = errors.filter((e) => e.topic === `careline/devices/${cuff}/errors`).map((e) => e.body);
    expect(mine.every((b) => b.error === 'invalid')).toBe(true);
    expect(mine[0]?.problems[0]?.path).toBe('readings[0].systolic');
    expect(mine[1]?.problems[0]?.path).toBe('readings[0].unit');
    expect(mine[2]?.problems[0]?.message).toContain('not JSON');
    expect(mine[3]?.problems[0]?.path).toBe('diastolic');
    expect(await storedFor(cuff)).toBe(0);
  });

  it('acknowledges only after commit: a reading whose store fails is redelivered by the broker and stored once', async () => {
    const oximeter = await enroll('pulse-oximeter');
    const db = w.t.app.platform.db;
    const failed = await counted('failed');
    const spy = vi.spyOn(db, 'transaction').mockRejectedValueOnce(new Error('database unavailable'));
    try {
      await publish(oximeter, { id: 'ox-1', type: 'spo2', value: 96, takenAt: iso(2) });
      await until('the failed store', async () => (await counted('failed')) > failed);
      expect(await storedFor(oximeter)).toBe(0);
      // Careline dropped the connection without a PUBACK; after its backoff it reconnects and the
      // broker redelivers the reading from the persistent session.
      await until('the redelivered reading', async () => (await storedFor(oximeter)) === 1, 15_000);
    } finally {
      spy.mockRestore();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await storedFor(oximeter)).toBe(1);
  }, 30_000);
});
