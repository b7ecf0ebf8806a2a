import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAppointment, TBookablePractitionersResponse, TMyAppointmentsResponse, TSlotsResponse } from '@careline/contracts';
import { ORGANIZATION_TAG_SYSTEM, systemContext } from '../../fhir/index.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { INTERPRETER_EXTENSION, PREFERRED_LANGUAGE_EXTENSION } from './appointment-resource.js';
import { seedDemoSchedules } from './demo-schedules.js';
import { searchAll } from './fhir-query.js';
import { VISIT_MODE_EXTENSION } from './visit-types.js';

interface Demo {
  organizationId: string;
  password: string;
  accounts: { email: string; role: string; fhirUser: string | null }[];
}
type Ext = { url?: string; valueCode?: string; valueBoolean?: boolean };
const ext = (r: Record<string, unknown>, url: string): Ext | undefined => (r.extension as Ext[] | undefined)?.find((e) => e.url === url);

/** The demo clinic comes with a calendar: clinicians' hours in Denver, free slots, and visits past, today and ahead. */
describe('demo clinic schedules', () => {
  let t: TestApp;
  let demo: Demo;
  let token = '';
  const ref = (prefix: string): string => demo.accounts.find((a) => a.email.startsWith(prefix))?.fhirUser ?? '';
  const get = async (url: string): Promise<LightMyRequestResponse> => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const demoAppointments = async () => searchAll(t.app.fhir, systemContext('test'), 'Appointment', { _tag: `${ORGANIZATION_TAG_SYSTEM}|${demo.organizationId}` });

  beforeAll(async () => {
    t = await createTestApp();
    const r = await t.app.inject({ method: 'POST', url: '/api/setup/demo', payload: { patients: 5, seed: 3 } });
    expect(r.statusCode, r.body).toBe(201);
    demo = r.json<Demo>();
    const login = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'patient1@valle-verde.example.org', password: demo.password } });
    expect(login.statusCode, login.body).toBe(200);
    token = login.json<{ accessToken: string }>().accessToken;
  }, 180_000);
  afterAll(async () => t.close());

  it('a portal patient sees the clinicians with hours in America/Denver, their own first', async () => {
    const res = await get('/api/visits/practitioners');
    expect(res.statusCode).toBe(200);
    const { practitioners } = res.json<TBookablePractitionersResponse>();
    expect(practitioners.map((p) => p.reference).sort()).toEqual([ref('dr.ortiz'), ref('dr.chen'), ref('dr.haddad')].sort());
    expect(practitioners[0]).toMatchObject({ reference: ref('dr.ortiz'), onCareTeam: true, timeZone: 'America/Denver' });
  });

  it('has free slots over the next week, in local office hours, and one of them can be booked', async () => {
    const from = new Date().toISOString();
    const to = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const res = await get(`/api/visits/schedule/slots?practitioner=${ref('dr.ortiz')}&visitType=follow-up-video&from=${from}&to=${to}`);
    expect(res.statusCode).toBe(200);
    const { slots } = res.json<TSlotsResponse>();
    expect(slots.length).toBeGreaterThan(20);
    for (const s of slots) expect(s.localStart).toMatch(/T(0[89]|1[0-6]):[0-5]\d:00-0[67]:00$/);
    const slot = slots[5];
    const booked = await t.app.inject({ method: 'POST', url: '/api/visits/appointments', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify({ practitioner: ref('dr.ortiz'), visitType: 'follow-up-video', start: slot?.start }) });
    expect(booked.statusCode, booked.body).toBe(201);
  });

  it('the first portal patient has a video visit ahead; the clinic has audio-only, interpreter and past visits', async () => {
    const mine = await get('/api/visits/appointments/mine');
    expect(mine.statusCode).toBe(200);
    expect(mine.json<TMyAppointmentsResponse>().upcoming.some((a: TAppointment) => a.visitType.mode === 'video' && a.practitioner.reference === ref('dr.ortiz') && a.timeZone === 'America/Denver')).toBe(true);
    const all = (await demoAppointments()).filter((a) => String(a.id).startsWith('demo-visit-'));
    const now = Date.now();
    const ahead = all.filter((a) => a.status === 'booked' && Date.parse(String(a.start)) > now);
    expect(ahead.length).toBeGreaterThanOrEqual(5);
    expect(ahead.some((a) => ext(a, VISIT_MODE_EXTENSION)?.valueCode === 'audio')).toBe(true);
    expect(ahead.filter((a) => ext(a, VISIT_MODE_EXTENSION)?.valueCode === 'video').length).toBeGreaterThanOrEqual(3);
    const interpreted = all.filter((a) => ext(a, INTERPRETER_EXTENSION)?.valueBoolean === true);
    expect(interpreted).toHaveLength(1);
    expect(ext(interpreted[0] ?? {}, PREFERRED_LANGUAGE_EXTENSION)?.valueCode).toBe('es');
    expect(all.filter((a) => a.status === 'fulfilled' && Date.parse(String(a.end)) <= now).length).toBeGreaterThanOrEqual(3);
    for (const a of all) expect(Date.parse(String(a.start))).toBeLessThan(now + 9 * 86_400_000);
  });

  it('loading the calendar again replaces it rather than adding to it', async () => {
    const before = (await demoAppointments()).length;
    const schedules = async () => (await searchAll(t.app.fhir, systemContext('test'), 'Schedule', { _tag: `${ORGANIZATION_TAG_SYSTEM}|${demo.organizationId}` })).length;
    const schedulesBefore = await schedules();
    const patients = (await searchAll(t.app.fhir, systemContext('test'), 'Patient', { _tag: `${ORGANIZATION_TAG_SYSTEM}|${demo.organizationId}` })).map((p) => `Patient/${String(p.id)}`);
    const again = await seedDemoSchedules(t.app.fhir, t.app.platform.db, {
      organizationId: demo.organizationId, practitioners: { primary: ref('dr.ortiz'), second: ref('dr.chen'), specialist: ref('dr.haddad') }, patients, seed: 3,
    });
    expect(again.schedules).toBe(3);
    expect(again.appointments).toBeGreaterThan(8);
    expect(await schedules()).toBe(schedulesBefore);
    expect((await demoAppointments()).length).toBe(before);
  });
});
