import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessService } from '../../identity/access/index.js';
import { emailsOfFhirUsers } from '../../identity/index.js';
import { AccountRepository } from '../../identity/storage/account-repository.js';
import { createMailer } from '../../platform/mail/mailer.js';
import { AccessWorld } from '../../test-support/access-world.js';
import { startSmtpSink, type SmtpSink } from '../../test-support/smtp-sink.js';
import { escalateAlerts, type EscalationDeps } from './escalate-alerts.js';

/** An alert nobody acknowledges is mailed to the care team once, after the configured minutes, without PHI. */
describe('alert escalation', () => {
  let w: AccessWorld;
  let smtp: SmtpSink;
  let deps: EscalationDeps;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    w = await AccessWorld.create({ CARELINE_ALERT_ESCALATION_MINUTES: '15' });
    const { platform } = w.t.app;
    const access = new AccessService(platform.db, w.t.app.fhir, { insecureOpen: false });
    // Accounts for two members of Patient/pa's care team, and one for a practitioner not on it.
    const accounts = new AccountRepository(platform.db);
    for (const [email, fhirUser] of [['dr1@example.test', 'Practitioner/dr-1'], ['rn1@example.test', 'Practitioner/nurse-1'], ['dr2@example.test', 'Practitioner/dr-2']] as const) {
      const id = randomUUID();
      await accounts.insert({ id, email, passwordHash: null, fhirUser: null, emailVerified: true });
      await accounts.setFhirUser(id, fhirUser);
    }
    const careTeam = await w.call('clinician', 'POST', '/api/monitoring/enrollments', { patient: 'Patient/pa', program: 'hypertension' });
    expect(careTeam.statusCode, careTeam.body).toBe(201);
    const device = await w.call('clinician', 'POST', '/api/monitoring/devices', { patient: 'Patient/pa', kind: 'bp-cuff' });
    const token = device.json<{ token: string }>().token;
    const reading = await w.t.app.inject({
      method: 'POST', url: '/api/monitoring/webhook', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ readings: [{ type: 'blood-pressure', systolic: 188, diastolic: 96, takenAt: new Date(Date.now() - 60_000).toISOString() }] }),
    });
    expect(reading.statusCode).toBe(201);
    deps = {
      platform,
      mailer: createMailer({ mail: { smtpUrl: smtp.url, from: 'careline@example.test' } }, platform.log),
      careTeamOf: async (patient) => access.careTeamOf(patient),
      emailsOf: async (refs) => emailsOfFhirUsers(platform.db, refs),
      consoleUrl: () => 'https://care.example.test/console',
    };
  }, 120_000);
  afterAll(async () => {
    deps.mailer.close();
    await w.close();
    await smtp.close();
  });

  it('waits the configured minutes, mails every care-team member once, names no patient', async () => {
    const now = Date.now();
    expect(await escalateAlerts(deps, new Date(now + 10 * 60_000))).toBe(0);
    expect(await escalateAlerts(deps, new Date(now + 16 * 60_000))).toBe(1);
    const to = (await Promise.all(['dr1@example.test', 'rn1@example.test'].map((a) => smtp.waitFor(a)))).map((m) => m.raw);
    for (const raw of to) {
      expect(raw).toContain('https://care.example.test/console');
      for (const secret of ['Alvarez', 'Patient/pa', '188']) expect(raw).not.toContain(secret);
    }
    expect(smtp.messages.some((m) => m.to.includes('dr2@example.test'))).toBe(false);
    // Once per alert, however often the job runs.
    expect(await escalateAlerts(deps, new Date(now + 30 * 60_000))).toBe(0);
  });

  it('does not escalate an acknowledged alert', async () => {
    const reading = await w.call('clinician', 'GET', '/api/monitoring/alerts');
    const [alert] = reading.json<{ alerts: { id: string }[] }>().alerts;
    expect((await w.call('clinician', 'POST', `/api/monitoring/alerts/${alert?.id ?? ''}/resolve`, {})).statusCode).toBe(200);
    const device = await w.call('clinician', 'POST', '/api/monitoring/devices', { patient: 'Patient/pa', kind: 'bp-cuff' });
    await w.t.app.inject({
      method: 'POST', url: '/api/monitoring/webhook', headers: { authorization: `Bearer ${device.json<{ token: string }>().token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ readings: [{ type: 'blood-pressure', systolic: 181, diastolic: 90, takenAt: new Date(Date.now() - 30_000).toISOString() }] }),
    });
    const [fresh] = (await w.call('clinician', 'GET', '/api/monitoring/alerts')).json<{ alerts: { id: string }[] }>().alerts;
    expect((await w.call('nurse', 'POST', `/api/monitoring/alerts/${fresh?.id ?? ''}/acknowledge`, {})).statusCode).toBe(200);
    expect(await escalateAlerts(deps, new Date(Date.now() + 60 * 60_000))).toBe(0);
  });
});
