import type { TJoinResponse } from '@careline/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../fhir/index.js';
import { createMailer } from '../../platform/mail/mailer.js';
import { AccessWorld, tagged } from '../../test-support/access-world.js';
import { createJoinLinks, JOIN_FAILURES_PER_MINUTE, type JoinLinks } from './join-links.js';

let w: AccessWorld;
let links: JoinLinks;

beforeAll(async () => {
  w = await AccessWorld.create();
  const app = w.t.app;
  links = createJoinLinks({ platform: app.platform, store: app.fhir, accessFor: async () => systemContext('test'), careTeamOf: async () => [], mailer: createMailer(app.platform.config, app.platform.log), publicBase: () => 'https://care.example' });
});
afterAll(async () => w.close());

async function appointment(id: string, startOffsetMin: number, status = 'booked'): Promise<{ start: Date; end: Date }> {
  const start = new Date(Date.now() + startOffsetMin * 60_000);
  const end = new Date(start.getTime() + 20 * 60_000);
  await w.t.app.fhir.update(systemContext('test-seed'), 'Appointment', id, tagged('org-1', {
    resourceType: 'Appointment', id, status, start: start.toISOString(), end: end.toISOString(),
    participant: [{ actor: { reference: 'Patient/pa' }, status: 'accepted' }, { actor: { reference: 'Practitioner/dr-1' }, status: 'accepted' }],
  }));
  return { start, end };
}

const joinAs = async (token: string, ip = '127.0.0.1') => w.t.app.inject({ method: 'POST', url: '/api/visits/join', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token }) });

describe('join links', () => {
  it('issue: 256-bit token in the URL fragment, only its hash stored, validity from the slot and the configured minutes', async () => {
    const { start, end } = await appointment('appt-l1', -5);
    const link = await links.issue({ appointmentId: 'appt-l1', kind: 'patient', participantRef: 'Patient/pa', displayName: 'Ana', start, end, createdBy: 'system' });
    expect(link.url).toBe(`https://care.example/visit/join#t=${link.token}`);
    const { joinEarlyMinutes, joinLateMinutes } = w.t.app.platform.config.video;
    expect(link.validFrom.getTime()).toBe(start.getTime() - joinEarlyMinutes * 60_000);
    expect(link.validUntil.getTime()).toBe(end.getTime() + joinLateMinutes * 60_000);
    const { rows } = await w.t.tdb.db.query<{ token_hash: string }>('SELECT token_hash FROM visit_link WHERE id = $1', [link.linkId]);
    expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(link.token);
    const r = await joinAs(link.token);
    expect(r.statusCode).toBe(200);
    expect(r.json<TJoinResponse>().self).toMatchObject({ kind: 'patient', displayName: 'Ana', host: false });
  });

  it('too early 409 with the opening time; expired 410; withdrawn 410; cancelled visit 410; unknown 404', async () => {
    const early = await appointment('appt-l2', 120);
    const e = await links.issue({ appointmentId: 'appt-l2', kind: 'guest', displayName: 'G', role: 'family', start: early.start, end: early.end, createdBy: 'system' });
    const r409 = await joinAs(e.token);
    expect(r409.statusCode).toBe(409);
    expect(r409.body).toContain('join-link-not-open');
    expect(r409.body).toContain(e.validFrom.toISOString());

    const past = await appointment('appt-l3', -600);
    const p = await links.issue({ appointmentId: 'appt-l3', kind: 'guest', displayName: 'G', start: past.start, end: past.end, createdBy: 'system' });
    const r410 = await joinAs(p.token);
    expect(r410.statusCode).toBe(410);
    expect(r410.body).toContain('join-link-expired');

    const now = await appointment('appt-l4', -1);
    const n = await links.issue({ appointmentId: 'appt-l4', kind: 'guest', displayName: 'G', start: now.start, end: now.end, createdBy: 'system' });
    expect(await links.revokeAll('appt-l4', 'rescheduled')).toBe(1);
    expect((await joinAs(n.token)).statusCode).toBe(410);

    const gone = await appointment('appt-l5', -1, 'cancelled');
    const c = await links.issue({ appointmentId: 'appt-l5', kind: 'patient', displayName: 'Ana', start: gone.start, end: gone.end, createdBy: 'system' });
    const cancelled = await joinAs(c.token);
    expect(cancelled.statusCode).toBe(410);
    expect(cancelled.body).toContain('visit-cancelled');

    expect((await joinAs(`vl_${'x'.repeat(43)}`, '10.0.0.9')).statusCode).toBe(404);
  });

  it('guessing is rate-limited per address: after the allowed failures even a good token waits', async () => {
    const { start, end } = await appointment('appt-l6', -1);
    const good = await links.issue({ appointmentId: 'appt-l6', kind: 'guest', displayName: 'G', start, end, createdBy: 'system' });
    const ip = '10.0.0.66';
    for (let i = 0; i < JOIN_FAILURES_PER_MINUTE; i++) expect((await joinAs(`vl_${String(i).padStart(43, 'y')}`, ip)).statusCode).toBe(404);
    const limited = await joinAs(good.token, ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    expect((await joinAs(good.token, '10.0.0.67')).statusCode).toBe(200);
  });

  it('guests: the clinician invites (link once), lists and revokes; others may not', async () => {
    await appointment('appt-l7', -1);
    const r = await w.call('clinician', 'POST', '/api/visits/appt-l7/guests', { displayName: 'Ivo', role: 'interpreter' });
    expect(r.statusCode).toBe(201);
    const invited = r.json<{ id: string; url: string }>();
    expect(invited.url).toMatch(/\/visit\/join#t=vl_[A-Za-z0-9_-]{43}$/);
    const list = await w.call('clinician', 'GET', '/api/visits/appt-l7/guests');
    expect(list.json()).toEqual([expect.objectContaining({ id: invited.id, displayName: 'Ivo', role: 'interpreter', revokedAt: null })]);
    expect(list.body).not.toContain('vl_');
    expect((await w.call('patient', 'POST', '/api/visits/appt-l7/guests', { displayName: 'X', role: 'family' })).statusCode).toBe(403);
    expect((await w.call('clinician-org2', 'GET', '/api/visits/appt-l7/guests')).statusCode).toBe(404);
    expect((await w.call('clinician', 'POST', '/api/visits/appt-l7/guests', { displayName: '', role: 'family' })).statusCode).toBe(400);
    expect((await w.call('clinician', 'DELETE', `/api/visits/appt-l7/guests/${invited.id}`)).statusCode).toBe(204);
    expect((await w.call('clinician', 'DELETE', `/api/visits/appt-l7/guests/${invited.id}`)).statusCode).toBe(204);
    expect((await joinAs(invited.url.split('#t=')[1] ?? '')).statusCode).toBe(410);
  });
});
