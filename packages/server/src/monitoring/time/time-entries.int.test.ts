import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessWorld, PRINCIPALS } from '../../test-support/access-world.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { UserPrincipal } from '../../identity/index.js';
import { deleteTimeEntry } from './delete-time-entry.js';

interface Entry { id: string; practitioner: string; seconds: number; deletable: boolean; interactive: boolean }

describe('monitoring time entries', () => {
  let w: AccessWorld;
  const entry = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ patient: 'Patient/pa', start: '2026-11-10T17:00:00Z', seconds: 600, interactive: true, ...over });
  const audited = async (kind: string): Promise<number> =>
    (await w.t.tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_event WHERE kind = $1 AND $2 = ANY (patients) AND content LIKE '%monitoring-time-entry%'", [kind, 'Patient/pa'])).rows[0]?.n ?? -1;

  beforeAll(async () => {
    w = await AccessWorld.create();
  }, 120_000);
  afterAll(async () => w.close());

  it('the care team logs time; the server records the practitioner; audited', async () => {
    const r = await w.call('clinician', 'POST', '/api/monitoring/time-entries', { ...entry(), practitioner: 'Practitioner/dr-x' });
    expect(r.statusCode).toBe(400); // the practitioner is never the body's
    const ok = await w.call('clinician', 'POST', '/api/monitoring/time-entries', entry({ note: 'called about BP' }));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<Entry>()).toMatchObject({ practitioner: 'Practitioner/dr-1', seconds: 600, interactive: true, deletable: true });
    expect((await w.call('nurse', 'POST', '/api/monitoring/time-entries', entry({ seconds: 300, interactive: false }))).statusCode).toBe(201);
    expect(await audited('create')).toBe(2);
  });

  it('other clinics, patients and staff without care of the patient get 404; the future is refused', async () => {
    for (const who of ['clinician-org2', 'patient', 'front-desk'] as const) {
      expect((await w.call(who, 'POST', '/api/monitoring/time-entries', entry())).statusCode, who).toBe(404);
      expect((await w.call(who, 'GET', '/api/monitoring/time-entries?patient=Patient/pa&month=2026-11')).statusCode, who).toBe(404);
    }
    expect((await w.call('clinician', 'POST', '/api/monitoring/time-entries', entry({ start: new Date(Date.now() + 3_600_000).toISOString() }))).statusCode).toBe(400);
    expect((await w.call('clinician', 'POST', '/api/monitoring/time-entries', entry({ seconds: 0 }))).statusCode).toBe(400);
    expect((await w.call('clinician', 'GET', '/api/monitoring/time-entries?patient=Patient/pa&month=2026-13')).statusCode).toBe(400);
  });

  it('lists a month in the clinic time zone, with the total', async () => {
    // 2026-11-01T05:30Z is still 31 October in Denver (the default clinic zone).
    expect((await w.call('clinician', 'POST', '/api/monitoring/time-entries', entry({ start: '2026-11-01T05:30:00Z', seconds: 60 }))).statusCode).toBe(201);
    const nov = await w.call('nurse', 'GET', '/api/monitoring/time-entries?patient=Patient/pa&month=2026-11');
    expect(nov.statusCode, nov.body).toBe(200);
    const body = nov.json<{ entries: Entry[]; seconds: number; timeZone: string }>();
    expect(body).toMatchObject({ seconds: 900, timeZone: 'America/Denver' });
    // The nurse may delete only the entry the nurse wrote.
    expect(body.entries.map((e) => [e.seconds, e.deletable])).toEqual([[600, false], [300, true]]);
    expect((await w.call('nurse', 'GET', '/api/monitoring/time-entries?patient=Patient/pa&month=2026-10')).json<{ seconds: number }>().seconds).toBe(60);
  });

  it('an author removes their own entry within 24 h; not someone else\'s, not later', async () => {
    const mine = (await w.call('clinician', 'POST', '/api/monitoring/time-entries', entry({ seconds: 120 }))).json<Entry>();
    expect((await w.call('nurse', 'DELETE', `/api/monitoring/time-entries/${mine.id}`)).statusCode).toBe(404);
    expect((await w.call('clinician', 'DELETE', `/api/monitoring/time-entries/${mine.id}`)).statusCode).toBe(204);
    expect((await w.call('clinician', 'DELETE', `/api/monitoring/time-entries/${mine.id}`)).statusCode).toBe(404);
    expect(await audited('delete')).toBe(1);

    const old = (await w.call('clinician', 'POST', '/api/monitoring/time-entries', entry({ seconds: 30 }))).json<Entry>();
    const later = new Date(Date.now() + 25 * 3_600_000);
    const ctx = { actor: 'User/x', policy: { canRead: () => true } } as unknown as Parameters<typeof deleteTimeEntry>[2];
    const attempt = deleteTimeEntry(w.t.tdb.db, w.t.app.platform.audit, ctx, PRINCIPALS.clinician as UserPrincipal, old.id, later);
    await expect(attempt).rejects.toBeInstanceOf(CarelineError);
  });
});
