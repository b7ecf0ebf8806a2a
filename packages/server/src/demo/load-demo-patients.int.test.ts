import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { ORGANIZATION_TAG_SYSTEM } from '../fhir/index.js';
import { openAccess } from '../fhir/test-support/fhir-fixtures.js';
import { Prng } from './prng.js';
import { syntheticPatient } from './synthetic-patient.js';
import { loadDemoPatients } from './load-demo-patients.js';

const team = { organizationId: 'demo-clinic', clinician: 'Practitioner/doc', nurse: 'Practitioner/rn', specialist: 'Practitioner/cardio' };
const now = new Date('2026-11-23T12:00:00Z');

describe('demo patients', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, { fhirAccess: () => openAccess });
  });
  afterAll(async () => t.close());

  it('are the same for the same seed and differ for another', () => {
    const a = syntheticPatient(new Prng(7), 0, team, now);
    const b = syntheticPatient(new Prng(7), 0, team, now);
    const c = syntheticPatient(new Prng(8), 0, team, now);
    expect(JSON.stringify(a.bundle)).toBe(JSON.stringify(b.bundle));
    expect(JSON.stringify(a.bundle)).not.toBe(JSON.stringify(c.bundle));
  });

  it('load as valid FHIR with histories, care teams and the clinic tag on every resource', async () => {
    const loaded = await loadDemoPatients(t.app.fhir, t.tdb.db, { team, count: 6, seed: 42, now });
    expect(loaded).toHaveLength(6);
    for (const p of loaded) expect(p.reference).toMatch(/^Patient\/[0-9a-f-]{36}$/);

    const db = t.tdb.db;
    const byType = await db.query<{ resource_type: string; n: number }>('SELECT resource_type, count(*)::int AS n FROM fhir_resource GROUP BY resource_type');
    const n = new Map(byType.rows.map((r) => [r.resource_type, r.n]));
    expect(n.get('Patient')).toBe(6);
    expect(n.get('CareTeam')).toBe(6);
    expect(n.get('Immunization')).toBe(6);
    expect(n.get('Condition') ?? 0).toBeGreaterThanOrEqual(6);
    expect(n.get('MedicationRequest') ?? 0).toBeGreaterThanOrEqual(6);
    expect(n.get('Encounter') ?? 0).toBeGreaterThanOrEqual(6 * 3);
    // At least 30 days of home readings for the first program of every patient.
    expect(n.get('Observation') ?? 0).toBeGreaterThanOrEqual(6 * 30);

    const untagged = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM fhir_resource WHERE NOT ('Organization/demo-clinic' = ANY (compartments))`);
    expect(untagged.rows[0]?.n).toBe(0);
    const first = loaded[0];
    if (!first) throw new Error('nothing loaded');
    const stored = await db.query<{ content: string }>('SELECT content FROM fhir_resource WHERE resource_type = $1 AND id = $2', ['Patient', first.reference.split('/')[1]]);
    const meta = (JSON.parse(stored.rows[0]?.content ?? '{}') as { meta?: { tag?: { system: string; code: string }[] } }).meta;
    expect(meta?.tag).toContainEqual({ system: ORGANIZATION_TAG_SYSTEM, code: 'demo-clinic' });

    // The care team names the patient and the clinician: what the access policy reads.
    const teams = await t.app.inject({ method: 'GET', url: `/fhir/R4/CareTeam?subject=${first.reference}&participant=Practitioner/doc` });
    expect(teams.statusCode, teams.body).toBe(200);
    expect(teams.json<{ entry?: unknown[] }>().entry).toHaveLength(1);
  });
});
