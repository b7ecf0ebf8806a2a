import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessWorld } from '../../test-support/access-world.js';

interface Note {
  text: string;
  author: string | null;
  time: string | null;
}

/** Notes on an alert (issue #7 item 5): Annotations on its Task, written as the caller, audited. */
describe('monitoring alert notes', () => {
  let w: AccessWorld;
  let alertId = '';
  let taskId = '';

  beforeAll(async () => {
    w = await AccessWorld.create();
    expect((await w.call('clinician', 'POST', '/api/monitoring/enrollments', { patient: 'Patient/pa', program: 'hypertension' })).statusCode).toBe(201);
    const device = await w.call('clinician', 'POST', '/api/monitoring/devices', { patient: 'Patient/pa', kind: 'bp-cuff' });
    const token = device.json<{ token: string }>().token;
    const reading = { readings: [{ id: 'n-1', type: 'blood-pressure', systolic: 188, diastolic: 97, takenAt: new Date(Date.now() - 60_000).toISOString() }] };
    const posted = await w.t.app.inject({ method: 'POST', url: '/api/monitoring/webhook', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(reading) });
    expect(posted.statusCode, posted.body).toBe(201);
    const queue = await w.call('clinician', 'GET', '/api/monitoring/alerts?patient=Patient/pa');
    const alert = queue.json<{ alerts: { id: string; patient: string; task: string }[] }>().alerts[0];
    if (!alert) throw new Error('no alert raised');
    alertId = alert.id;
    taskId = alert.task.slice('Task/'.length);
  }, 120_000);
  afterAll(async () => w.close());

  it('the queue can be narrowed to one patient', async () => {
    const mine = await w.call('clinician', 'GET', '/api/monitoring/alerts?patient=Patient/pa');
    expect(mine.json<{ alerts: { patient: string }[] }>().alerts.map((a) => a.patient)).toEqual(['Patient/pa']);
    const other = await w.call('clinician', 'GET', '/api/monitoring/alerts?patient=Patient/pb');
    expect(other.json<{ alerts: unknown[] }>().alerts).toEqual([]);
    expect((await w.call('clinician', 'GET', '/api/monitoring/alerts?patient=pa')).statusCode).toBe(400);
  });

  it('care-team members add notes, kept in order with their authors on the Task', async () => {
    const first = await w.call('clinician', 'POST', `/api/monitoring/alerts/${alertId}/notes`, { text: '  Called the patient; cuff placement checked.  ' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json<{ notes: Note[] }>().notes).toEqual([{ text: 'Called the patient; cuff placement checked.', author: 'Practitioner/dr-1', time: expect.any(String) as string }]);
    const second = await w.call('nurse', 'POST', `/api/monitoring/alerts/${alertId}/notes`, { text: 'Repeat reading tomorrow morning.' });
    expect(second.statusCode, second.body).toBe(201);
    const listed = await w.call('specialist', 'GET', `/api/monitoring/alerts/${alertId}/notes`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ notes: Note[] }>().notes.map((n) => [n.author, n.text])).toEqual([
      ['Practitioner/dr-1', 'Called the patient; cuff placement checked.'],
      ['Practitioner/nurse-1', 'Repeat reading tomorrow morning.'],
    ]);
    const task = await w.stored('Task', taskId);
    expect((task?.note as { text: string }[]).map((n) => n.text)).toHaveLength(2);
  });

  it('notes written at the same moment are all kept (If-Match and retry)', async () => {
    const texts = ['a', 'b', 'c'].map((x) => `Concurrent note ${x}`);
    const answers = await Promise.all(texts.map((text, i) => w.call(i % 2 === 0 ? 'clinician' : 'nurse', 'POST', `/api/monitoring/alerts/${alertId}/notes`, { text })));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201]);
    const all = (await w.call('clinician', 'GET', `/api/monitoring/alerts/${alertId}/notes`)).json<{ notes: Note[] }>().notes.map((n) => n.text);
    for (const text of texts) expect(all).toContain(text);
  });

  it('each note is audited as a patch of the Task by its author', async () => {
    const rows = await w.t.tdb.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_event WHERE kind = 'patch' AND agent = $1 AND $2 = ANY (patients) AND position($3 in content) > 0",
      ['User/00000000-0000-4000-8000-000000000004', 'Patient/pa', `Task/${taskId}`],
    );
    expect(rows.rows[0]?.n).toBeGreaterThanOrEqual(1);
  });

  it('refuses empty notes, other clinics, patients and unknown alerts', async () => {
    const empty = await w.call('clinician', 'POST', `/api/monitoring/alerts/${alertId}/notes`, { text: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('text');
    expect((await w.call('clinician', 'POST', `/api/monitoring/alerts/${alertId}/notes`, { text: 'x'.repeat(2001) })).statusCode).toBe(400);
    expect((await w.call('clinician-org2', 'POST', `/api/monitoring/alerts/${alertId}/notes`, { text: 'hello' })).statusCode).toBe(404);
    expect((await w.call('clinician-org2', 'GET', `/api/monitoring/alerts/${alertId}/notes`)).statusCode).toBe(404);
    expect((await w.call('patient', 'POST', `/api/monitoring/alerts/${alertId}/notes`, { text: 'hello' })).statusCode).toBe(404);
    expect((await w.call('clinician', 'POST', '/api/monitoring/alerts/00000000-0000-4000-8000-000000000000/notes', { text: 'hello' })).statusCode).toBe(404);
  });
});
