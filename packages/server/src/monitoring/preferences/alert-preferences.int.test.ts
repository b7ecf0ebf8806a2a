import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessService } from '../../identity/access/index.js';
import { emailsOfFhirUsers, practitionerAlertsTopic } from '../../identity/index.js';
import { AccountRepository } from '../../identity/storage/account-repository.js';
import { createMailer } from '../../platform/mail/mailer.js';
import { AccessWorld, type Actor } from '../../test-support/access-world.js';
import { startSmtpSink, type SmtpSink } from '../../test-support/smtp-sink.js';
import { escalateAlerts, type EscalationDeps } from '../jobs/escalate-alerts.js';

const ALL = { programs: ['hypertension', 'heart-failure', 'diabetes-meter', 'diabetes-cgm', 'copd-asthma', 'post-operative'], severities: ['high', 'medium'], escalationEmail: true };
const TEAM = { clinician: 'Practitioner/dr-1', nurse: 'Practitioner/nurse-1', specialist: 'Practitioner/spec-1' } as const;
const MAIL = { clinician: 'dr1@example.test', nurse: 'rn1@example.test', specialist: 'spec1@example.test' } as const;

/**
 * Per-clinician alert preferences: a clinician's own, validated and audited; honoured by the live
 * fan-out (the alert is still in their queue) and by escalation mail, which never reaches nobody.
 */
describe('monitoring alert preferences', () => {
  let w: AccessWorld;
  let smtp: SmtpSink;
  let deps: EscalationDeps;
  let token = '';
  const received: Record<string, unknown[]> = {};
  const offs: (() => void)[] = [];
  const put = async (who: Actor, body: unknown): Promise<LightMyRequestResponse> => w.call(who, 'PUT', '/api/monitoring/preferences', body);
  const reading = async (systolic: number): Promise<void> => {
    const r = await w.t.app.inject({
      method: 'POST', url: '/api/monitoring/webhook', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ readings: [{ type: 'blood-pressure', systolic, diastolic: 90, takenAt: new Date(Date.now() - 60_000).toISOString() }] }),
    });
    expect(r.statusCode, r.body).toBe(201);
  };
  const until = async (pred: () => boolean, ms: number): Promise<void> => {
    const end = Date.now() + ms;
    while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  };
  const mailsTo = (address: string): number => smtp.messages.filter((m) => m.to.includes(address)).length;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    w = await AccessWorld.create({ CARELINE_ALERT_ESCALATION_MINUTES: '15' });
    const { platform } = w.t.app;
    const accounts = new AccountRepository(platform.db);
    for (const who of ['clinician', 'nurse', 'specialist'] as const) {
      const id = randomUUID();
      await accounts.insert({ id, email: MAIL[who], passwordHash: null, fhirUser: null, emailVerified: true });
      await accounts.setFhirUser(id, TEAM[who]);
      received[TEAM[who]] = [];
      offs.push(platform.bus.subscribe(practitionerAlertsTopic(TEAM[who]), (payload) => received[TEAM[who]]?.push(payload)));
    }
    expect((await w.call('clinician', 'POST', '/api/monitoring/enrollments', { patient: 'Patient/pa', program: 'hypertension' })).statusCode).toBe(201);
    token = (await w.call('clinician', 'POST', '/api/monitoring/devices', { patient: 'Patient/pa', kind: 'bp-cuff' })).json<{ token: string }>().token;
    const access = new AccessService(platform.db, w.t.app.fhir, { insecureOpen: false });
    deps = {
      platform,
      mailer: createMailer({ mail: { smtpUrl: smtp.url, from: 'careline@example.test' } }, platform.log),
      careTeamOf: async (patient) => access.careTeamOf(patient),
      emailsOf: async (refs) => emailsOfFhirUsers(platform.db, refs),
      consoleUrl: () => 'https://care.example.test/console',
    };
  }, 120_000);
  afterAll(async () => {
    for (const off of offs) off();
    deps.mailer.close();
    await w.close();
    await smtp.close();
  });

  it('defaults to everything; a clinician saves and reads back their own, audited', async () => {
    const first = await w.call('clinician', 'GET', '/api/monitoring/preferences');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual(ALL);
    const saved = await put('nurse', { programs: ['heart-failure', 'diabetes-cgm'], severities: ['medium', 'high'], escalationEmail: false });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({ programs: ['heart-failure', 'diabetes-cgm'], severities: ['high', 'medium'], escalationEmail: false });
    expect((await w.call('nurse', 'GET', '/api/monitoring/preferences')).json()).toEqual(saved.json());
    // Another clinician's preferences are untouched.
    expect((await w.call('clinician', 'GET', '/api/monitoring/preferences')).json()).toEqual(ALL);
    const audited = await w.t.tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_event WHERE kind = 'account-change' AND agent = $1 AND content LIKE '%monitoring-alert-preferences%'", ['User/00000000-0000-4000-8000-000000000005']);
    expect(audited.rows[0]?.n).toBe(1);
  });

  it('refuses what is not a preference with a 400 that says where', async () => {
    const cases: [unknown, string][] = [
      [{ programs: ['hypertension', 'asthma'], severities: [], escalationEmail: true }, 'programs'],
      [{ programs: ['hypertension', 'hypertension'], severities: [], escalationEmail: true }, 'programs'],
      [{ programs: [], severities: ['low'], escalationEmail: true }, 'severities'],
      [{ programs: [], severities: [], escalationEmail: 'yes' }, 'escalationEmail'],
      [{ programs: [], severities: [], escalationEmail: true, quietHours: '22-07' }, 'quietHours'],
    ];
    for (const [body, where] of cases) {
      const r = await put('clinician', body);
      expect(r.statusCode, r.body).toBe(400);
      // Where: the field's path, or for an unknown field (expression `body.`) its name in the diagnostics.
      expect(JSON.stringify(r.json<{ issue: { expression?: string[]; diagnostics?: string }[] }>().issue.map((i) => [i.expression, i.diagnostics]))).toContain(where);
    }
    expect((await w.call('clinician', 'GET', '/api/monitoring/preferences')).json()).toEqual(ALL);
  });

  it('is for clinical staff only', async () => {
    for (const who of ['patient', 'caregiver', 'front-desk', 'admin'] as const) {
      expect((await w.call(who, 'GET', '/api/monitoring/preferences')).statusCode, who).toBe(403);
      expect((await put(who, ALL)).statusCode, who).toBe(403);
    }
    expect((await w.call(undefined, 'GET', '/api/monitoring/preferences')).statusCode).toBe(401);
  });

  it('live alerts skip who opted out of the program or severity; the alert stays in their queue', async () => {
    // nurse: hypertension off (saved above); specialist: high severity off; clinician: everything.
    expect((await put('specialist', { ...ALL, severities: ['medium'] })).statusCode).toBe(200);
    await reading(186);
    await until(() => (received[TEAM.clinician]?.length ?? 0) > 0, 2000);
    expect(received[TEAM.clinician]?.[0]).toMatchObject({ condition: 'hypertension:systolic-high', severity: 'high' });
    // The bus delivers in order per instance: give the others the same chance before concluding.
    await new Promise((r) => setTimeout(r, 300));
    expect(received[TEAM.nurse]).toEqual([]);
    expect(received[TEAM.specialist]).toEqual([]);
    for (const who of ['nurse', 'specialist'] as const) {
      const queue = (await w.call(who, 'GET', '/api/monitoring/alerts')).json<{ alerts: { condition: string }[] }>().alerts;
      expect(queue.map((a) => a.condition), who).toEqual(['hypertension:systolic-high']);
    }
  });

  it('escalation mail skips who turned it off, and still reaches someone when all did', async () => {
    expect(await escalateAlerts(deps, new Date(Date.now() + 16 * 60_000))).toBe(1);
    await smtp.waitFor(MAIL.clinician);
    await smtp.waitFor(MAIL.specialist);
    expect(mailsTo(MAIL.nurse)).toBe(0);

    const [alert] = (await w.call('clinician', 'GET', '/api/monitoring/alerts')).json<{ alerts: { id: string }[] }>().alerts;
    expect((await w.call('clinician', 'POST', `/api/monitoring/alerts/${alert?.id ?? ''}/resolve`, {})).statusCode).toBe(200);
    for (const who of ['clinician', 'nurse', 'specialist'] as const) expect((await put(who, { ...ALL, escalationEmail: false })).statusCode).toBe(200);
    await reading(183);
    const before = { clinician: mailsTo(MAIL.clinician), nurse: mailsTo(MAIL.nurse), specialist: mailsTo(MAIL.specialist) };
    expect(await escalateAlerts(deps, new Date(Date.now() + 16 * 60_000))).toBe(1);
    // Nobody wants mail: the care team's first member (by reference: Practitioner/dr-1) gets it anyway.
    await until(() => mailsTo(MAIL.clinician) > before.clinician, 5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsTo(MAIL.clinician)).toBe(before.clinician + 1);
    expect(mailsTo(MAIL.nurse)).toBe(before.nurse);
    expect(mailsTo(MAIL.specialist)).toBe(before.specialist);
  });
});
