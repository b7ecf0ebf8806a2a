import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { enrolTotp, totpCode, type TestUser } from '../test-support/identity-kit.js';

interface Demo {
  organizationId: string;
  password: string;
  accounts: { email: string; role: string; fhirUser: string | null }[];
  patients: number;
}
interface Bundle {
  total?: number;
  entry?: { resource: { resourceType: string; id: string; subject?: { reference: string } } }[];
}

/**
 * The demo clinic through the HTTP API, as the setup screen's button and a newcomer use it: staff
 * of every role and portal patients sign in with the password shown once, and each sees exactly
 * what the access policy gives their role.
 */
describe('demo clinic', () => {
  let t: TestApp;
  let demo: Demo;
  const login = async (email: string, otp?: string): Promise<{ status: number; token: string; enrol: string }> => {
    const r = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: demo.password, ...(otp ? { otp } : {}) } });
    return { status: r.statusCode, token: r.statusCode === 200 ? r.json<{ accessToken: string }>().accessToken : '', enrol: String(r.headers['careline-enrolment-token'] ?? '') };
  };
  const get = async (token: string, url: string): Promise<{ status: number; body: Bundle }> => {
    const r = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    return { status: r.statusCode, body: r.json<Bundle>() };
  };

  beforeAll(async () => {
    t = await createTestApp();
    const r = await t.app.inject({ method: 'POST', url: '/api/setup/demo', payload: { patients: 5, seed: 3 } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers['cache-control']).toBe('no-store');
    demo = r.json<Demo>();
  }, 120_000);
  afterAll(async () => t.close());

  it('creates staff of every role and portal patients, with a generated password', () => {
    expect(new Set(demo.accounts.map((a) => a.role))).toEqual(new Set(['admin', 'clinician', 'nurse', 'specialist', 'telepresenter', 'front-desk', 'patient']));
    expect(demo.password).toMatch(/^demo-[A-Za-z0-9_-]{16}$/);
    expect(demo.patients).toBe(5);
    for (const a of demo.accounts) expect(a.fhirUser).toMatch(/^(Patient|Practitioner)\//);
  });

  it('is refused a second time, and by the setup button once accounts exist', async () => {
    const again = await t.app.inject({ method: 'POST', url: '/api/setup/demo', payload: {} });
    expect(again.statusCode).toBe(409);
  });

  it('a demo patient signs in and sees their own record only', async () => {
    const patient = demo.accounts.find((a) => a.role === 'patient');
    if (!patient?.fhirUser) throw new Error('no demo patient');
    const { status, token } = await login(patient.email);
    expect(status).toBe(200);
    const obs = await get(token, '/fhir/R4/Observation?_count=100');
    expect(obs.status).toBe(200);
    expect(obs.body.entry?.length ?? 0).toBeGreaterThan(10);
    for (const e of obs.body.entry ?? []) expect(e.resource.subject?.reference).toBe(patient.fhirUser);
    const patients = await get(token, '/fhir/R4/Patient');
    expect(patients.body.entry?.map((e) => `Patient/${e.resource.id}`)).toEqual([patient.fhirUser]);
  });

  // The code confirming enrolment used the current TOTP step; signing in uses the next (a step is accepted once).
  it('the clinician enrols TOTP at first sign-in and then sees the patients of their care teams', async () => {
    const clinician = demo.accounts.find((a) => a.email.startsWith('dr.ortiz'));
    if (!clinician) throw new Error('no demo clinician');
    const first = await login(clinician.email);
    expect(first.status).toBe(401);
    const user: TestUser = { id: '', email: clinician.email, password: demo.password, organizationId: demo.organizationId };
    await enrolTotp(t.app, user, first.enrol);
    const signedIn = await login(clinician.email, await totpCode(user.totpSecret ?? '', Math.floor(Date.now() / 1000) + 30));
    expect(signedIn.status).toBe(200);
    const patients = await get(signedIn.token, '/fhir/R4/Patient?_summary=count');
    expect(patients.body.total).toBe(5);
    // The second clinician's panel is empty: care teams, not the clinic, decide.
    const other = demo.accounts.find((a) => a.email.startsWith('dr.chen'));
    if (!other) throw new Error('no second clinician');
    const enrol = await login(other.email);
    const otherUser: TestUser = { id: '', email: other.email, password: demo.password, organizationId: demo.organizationId };
    await enrolTotp(t.app, otherUser, enrol.enrol);
    const chen = await login(other.email, await totpCode(otherUser.totpSecret ?? '', Math.floor(Date.now() / 1000) + 30));
    expect((await get(chen.token, '/fhir/R4/Observation?_summary=count')).body.total).toBe(0);
  });
});
