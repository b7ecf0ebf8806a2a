import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessWorld } from '../../test-support/access-world.js';

const now = Date.now();
const iso = (minutesAgo: number): string => new Date(now - minutesAgo * 60_000).toISOString();

/** Nightscout v1 treatments and devicestatus with the shapes AAPS, Loop and xDrip+ post. */
describe('Nightscout treatments and devicestatus', () => {
  let w: AccessWorld;
  let secret: string;
  const ns = (method: 'GET' | 'POST', url: string, body?: unknown, key: string | null = secret): Promise<LightMyRequestResponse> =>
    w.t.app.inject({
      method, url,
      headers: { ...(key === null ? {} : { 'api-secret': createHash('sha1').update(key).digest('hex') }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  const count = async (type: string): Promise<number> =>
    (await w.t.tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM fhir_resource WHERE resource_type = $1 AND content::jsonb #>> '{subject,reference}' = 'Patient/pa'", [type])).rows[0]?.n ?? 0;

  beforeAll(async () => {
    w = await AccessWorld.create();
    const r = await w.call('clinician', 'POST', '/api/monitoring/devices', { patient: 'Patient/pa', kind: 'uploader-app' });
    expect(r.statusCode, r.body).toBe(201);
    secret = r.json<{ nightscout: { apiSecret: string } }>().nightscout.apiSecret;
  }, 120_000);
  afterAll(async () => w.close());

  it('AAPS: boluses, carbs and BG checks map to FHIR once, however often they are re-uploaded', async () => {
    const aaps = [
      { eventType: 'Meal Bolus', insulin: 4.5, carbs: 45, created_at: iso(30), enteredBy: 'openaps://AndroidAPS', isSMB: false, pumpId: 4147, pumpType: 'ACCU_CHEK_COMBO', pumpSerial: '1234', identifier: 'aaps-1' },
      { eventType: 'Correction Bolus', insulin: 0.3, created_at: iso(25), enteredBy: 'openaps://AndroidAPS', isSMB: true, identifier: 'aaps-2' },
      { eventType: 'BG Check', glucose: 7.2, glucoseType: 'Finger', units: 'mmol', created_at: iso(20), enteredBy: 'openaps://AndroidAPS', identifier: 'aaps-3' },
      { eventType: 'Temp Basal', duration: 30, absolute: 0.8, rate: 0.8, created_at: iso(15), enteredBy: 'openaps://AndroidAPS', identifier: 'aaps-4' },
      { eventType: 'Note', notes: 'Pizza, extended bolus', created_at: iso(10), enteredBy: 'openaps://AndroidAPS', identifier: 'aaps-5' },
    ];
    const first = await ns('POST', '/api/v1/treatments', aaps);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<{ _id: string }[]>()).toHaveLength(5);
    const again = await ns('POST', '/api/v1/treatments', aaps);
    expect(again.statusCode).toBe(200);
    expect(again.json<{ _id: string }[]>().map((t) => t._id)).toEqual(first.json<{ _id: string }[]>().map((t) => t._id));
    expect(await count('MedicationAdministration')).toBe(2);
    expect(await count('Communication')).toBe(1);
    const obs = await w.t.tdb.db.query<{ content: string }>("SELECT content FROM fhir_resource WHERE resource_type = 'Observation' AND content::jsonb #>> '{subject,reference}' = 'Patient/pa'");
    const codes = obs.rows.map((r) => JSON.parse(r.content) as { code: { coding: { code: string }[] }; valueQuantity: { value: number; code: string }; meta: { tag: { code: string }[] } });
    const carbs = codes.filter((o) => o.code.coding[0]?.code === '9059-7');
    expect(carbs.map((o) => [o.valueQuantity.value, o.valueQuantity.code])).toEqual([[45, 'g']]);
    const bg = codes.filter((o) => o.code.coding[0]?.code === '2339-0');
    expect(bg).toHaveLength(1);
    expect(bg[0]?.valueQuantity.value).toBeCloseTo(129.7, 0);
    // Typed into the app: never counted as device data.
    expect(bg[0]?.meta.tag.map((t) => t.code)).toContain('patient-entered');
    const got = await ns('GET', '/api/v1/treatments.json?count=10');
    expect(got.statusCode).toBe(200);
    const list = got.json<{ eventType: string; insulin?: number; created_at: string }[]>();
    expect(list.map((t) => t.eventType)).toEqual(['Note', 'Temp Basal', 'BG Check', 'Correction Bolus', 'Meal Bolus']);
    expect(list[4]?.insulin).toBe(4.5);
    const mab = await w.t.tdb.db.query<{ content: string }>("SELECT content FROM fhir_resource WHERE resource_type = 'MedicationAdministration' ORDER BY content");
    const dose = mab.rows.map((r) => (JSON.parse(r.content) as { dosage: { dose: { value: number; code: string } } }).dosage.dose);
    expect(dose.map((d) => d.code)).toEqual(['[iU]', '[iU]']);
  });

  it('Loop and xDrip+: treatments without ids are idempotent by event type and time; bad ones are refused whole', async () => {
    const at = iso(40);
    const loop = { eventType: 'Carb Correction', carbs: 15, absorptionTime: 180, created_at: at, enteredBy: 'loop://iPhone', foodType: '🍎' };
    expect((await ns('POST', '/api/v1/treatments', [loop])).statusCode).toBe(200);
    expect((await ns('POST', '/api/v1/treatments', loop)).statusCode).toBe(200);
    const xdrip = { eventType: 'BG Check', glucose: 112, glucoseType: 'Finger', units: 'mg/dl', created_at: iso(35), enteredBy: 'xdrip', uuid: 'c0ffee' };
    expect((await ns('POST', '/api/v1/treatments', xdrip)).statusCode).toBe(200);
    const carbs = await w.t.tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM fhir_resource WHERE resource_type = 'Observation' AND content::jsonb #>> '{code,coding,0,code}' = '9059-7'");
    expect(carbs.rows[0]?.n).toBe(2);
    const bad = await ns('POST', '/api/v1/treatments', [{ eventType: 'BG Check', glucose: 112, units: 'furlongs', created_at: iso(1) }, { eventType: 'Note', notes: 'x' }]);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('treatments[0].glucose');
    expect(bad.body).toContain('treatments[1].created_at');
    expect((await ns('POST', '/api/v1/treatments', [{ eventType: 'BG Check', glucose: 5000, created_at: iso(1) }])).statusCode).toBe(400);
    expect((await ns('GET', '/api/v1/treatments', undefined, null)).statusCode).toBe(401);
  });

  it('devicestatus: keeps the latest uploader and pump status, without predictions, and answers the newest first', async () => {
    const xdrip = { device: 'xDrip-DexcomG6', uploaderBattery: 64, created_at: iso(12) };
    const loop = {
      device: 'loop://iPhone', created_at: iso(6),
      pump: { clock: iso(6), pumpID: '123456', reservoir: 112.5, battery: { percent: 75 }, suspended: false },
      uploader: { name: 'iPhone', battery: 88 },
      loop: { name: 'Loop', version: '3.2.3', timestamp: iso(6), iob: { iob: 1.85, timestamp: iso(6) }, cob: { cob: 12, timestamp: iso(6) }, predicted: { startDate: iso(6), values: Array.from({ length: 72 }, (_, i) => 120 + i) }, enacted: { rate: 0.5, duration: 30, received: true } },
    };
    const aaps = {
      device: 'openaps://samsung SM-G970F', created_at: iso(1), uploaderBattery: 51, isCharging: false,
      pump: { battery: { percent: 60 }, reservoir: 90, status: { status: 'normal' } },
      openaps: { iob: { iob: 0.6, basaliob: -0.1, time: iso(1) }, suggested: { COB: 20, IOB: 0.6, predBGs: { IOB: Array.from({ length: 48 }, () => 110) } }, enacted: { COB: 20, rate: 0, duration: 30 } },
    };
    for (const s of [xdrip, loop, aaps]) expect((await ns('POST', '/api/v1/devicestatus', s)).statusCode).toBe(200);
    const got = await ns('GET', '/api/v1/devicestatus.json?count=2');
    expect(got.statusCode).toBe(200);
    const list = got.json<Record<string, unknown>[]>();
    expect(list.map((s) => s.device)).toEqual(['openaps://samsung SM-G970F', 'loop://iPhone']);
    expect(list[0]?.careline).toEqual({ uploaderBattery: 51, pumpBattery: 60, reservoir: 90, iob: 0.6, cob: 20, loop: 'enacted' });
    expect(list[1]?.careline).toEqual({ uploaderBattery: 88, pumpBattery: 75, reservoir: 112.5, iob: 1.85, cob: 12, loop: 'enacted' });
    expect(JSON.stringify(list)).not.toContain('predBGs');
    expect(JSON.stringify(list)).not.toContain('"predicted"');
    // Operational status, not FHIR.
    expect((await w.t.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring_nightscout_devicestatus')).rows[0]?.n).toBe(3);
  });
});
