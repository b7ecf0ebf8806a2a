/**
 * The remote-monitoring dashboard in real Chromium (issue #7 item 5): the clinician's panel sorted by
 * urgency, a patient's trend charts with limits and data tables, CGM time in ranges and the AGP, an
 * alert acknowledged with a note, the monitoring timer, the billing report with its CSV; and the
 * patient's "My readings" with a reading typed in by hand. axe finds nothing serious on any screen,
 * nothing overflows at 360 px, and each screen is photographed at both widths.
 *
 * One server and one demo clinic for the file; the monitoring data (enrolments, devices, readings)
 * is created through the real APIs; staff enrol TOTP and their session cookie is handed to the browser.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertWebBuilt, browserAvailable, horizontalOverflow, openBrowser, screenshotBothWidths, seriousViolations, type BrowserSession } from '../support/browser.js';
import { killAll, removeTempDirs } from '../support/careline-process.js';
import { totp } from '../support/totp.js';
import { startWebServer } from '../support/web-server.js';

const available = browserAvailable();
let browser: BrowserSession | undefined;
let origin = '';
let demo: { password: string; accounts: { email: string; role: string; fhirUser: string | null }[] } = { password: '', accounts: [] };

interface Session {
  readonly accessToken: string;
  readonly cookie: string;
}
const CLINICIAN = 'dr.ortiz@valle-verde.example.org';
const DAY = 86_400_000;

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Signs a staff account in through the API, enrolling TOTP first (then a recovery code). */
async function signInStaff(email: string): Promise<Session> {
  let res = await post('/auth/login', { email, password: demo.password });
  if (res.status === 401) {
    const auth = { authorization: `Bearer ${res.headers.get('careline-enrolment-token') ?? ''}` };
    const setup = (await (await post('/auth/mfa/totp/setup', {}, auth)).json()) as { secret: string };
    const confirmed = await post('/auth/mfa/totp/confirm', { otp: totp(setup.secret) }, auth);
    expect(confirmed.status).toBe(200);
    const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
    res = await post('/auth/login', { email, password: demo.password, otp: recoveryCodes[0] });
  }
  expect(res.status, `sign-in of ${email}`).toBe(200);
  const { accessToken } = (await res.json()) as { accessToken: string };
  const cookie = /careline_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
  expect(cookie).not.toBe('');
  return { accessToken, cookie };
}

async function asBrowser(context: BrowserContext, session: Session): Promise<void> {
  await context.clearCookies();
  await context.addCookies([{ name: 'careline_session', value: session.cookie, url: origin, httpOnly: true, sameSite: 'Lax' }]);
}

async function api(session: Session, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${session.accessToken}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function patientName(session: Session, patient: string): Promise<string> {
  const p = (await (await api(session, 'GET', `/fhir/R4/${patient}`)).json()) as { name: { given?: string[]; family?: string }[] };
  const n = p.name[0];
  return [...(n?.given ?? []), n?.family ?? ''].join(' ').trim();
}

function demoPatient(index: number): { email: string; fhirUser: string } {
  const a = demo.accounts.filter((x) => x.role === 'patient')[index];
  expect(a?.fhirUser).toMatch(/^Patient\//);
  return { email: a?.email ?? '', fhirUser: a?.fhirUser ?? '' };
}

async function device(session: Session, patient: string, kind: string): Promise<string> {
  const res = await api(session, 'POST', '/api/monitoring/devices', { patient, kind, manufacturer: 'E2E', serial: `${kind}-${patient}` });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

async function checkScreen(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await seriousViolations(page), name).toEqual([]);
  expect(await horizontalOverflow(page), `${name} at 360 px`).toBeLessThanOrEqual(0);
  await screenshotBothWidths(page, name);
}

let clinician: Session;
const heart = { patient: '', name: '', email: '' };
const cgm = { patient: '', name: '' };

beforeAll(async () => {
  if (!available) return;
  assertWebBuilt();
  const server = await startWebServer();
  origin = server.origin;
  const res = await post('/api/setup/demo', {});
  expect(res.status).toBe(201);
  demo = (await res.json()) as typeof demo;
  clinician = await signInStaff(CLINICIAN);

  // Heart failure: three weeks of morning blood pressure, pulse and weight, and one crisis reading.
  const p0 = demoPatient(0);
  Object.assign(heart, { patient: p0.fhirUser, email: p0.email, name: await patientName(clinician, p0.fhirUser) });
  expect((await api(clinician, 'POST', '/api/monitoring/enrollments', { patient: heart.patient, program: 'heart-failure', consentDate: '2026-11-01', setupDate: '2026-11-02' })).status).toBe(201);
  const cuff = await device(clinician, heart.patient, 'bp-cuff');
  const now = Date.now();
  const readings = Array.from({ length: 21 }, (_, i) => {
    const at = new Date(now - (21 - i) * DAY + 3_600_000).toISOString();
    return [
      { id: `bp-${String(i)}`, type: 'blood-pressure', systolic: 128 + (i % 5) * 4, diastolic: 80 + (i % 3) * 3, pulse: 68 + (i % 4), takenAt: at },
      { id: `w-${String(i)}`, type: 'weight', value: 82 + (i % 3) * 0.2, unit: 'kg', takenAt: at },
    ];
  }).flat();
  readings.push({ id: 'bp-crisis', type: 'blood-pressure', systolic: 186, diastolic: 98, pulse: 90, takenAt: new Date(now - 30 * 60_000).toISOString() });
  const sent = await fetch(`${origin}/api/monitoring/webhook`, { method: 'POST', headers: { authorization: `Bearer ${cuff}`, 'content-type': 'application/json' }, body: JSON.stringify({ readings }) });
  expect(sent.status, await sent.clone().text()).toBe(201);

  // Diabetes with a CGM: three days of sensor glucose every 15 minutes through the Nightscout API.
  const p1 = demoPatient(1);
  Object.assign(cgm, { patient: p1.fhirUser, name: await patientName(clinician, p1.fhirUser) });
  expect((await api(clinician, 'POST', '/api/monitoring/enrollments', { patient: cgm.patient, program: 'diabetes-cgm', consentDate: '2026-11-01' })).status).toBe(201);
  const sensor = await device(clinician, cgm.patient, 'cgm');
  const entries = Array.from({ length: 3 * 96 }, (_, i) => {
    const date = now - (3 * 96 - i) * 15 * 60_000;
    const hour = new Date(date).getUTCHours();
    return { type: 'sgv', sgv: Math.round(130 + 60 * Math.sin((hour / 24) * 2 * Math.PI) + (i % 7) * 3), date, dateString: new Date(date).toISOString(), direction: 'Flat', device: 'xDrip-DexcomG6' };
  });
  const ns = await fetch(`${origin}/api/v1/entries?token=${encodeURIComponent(sensor)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(entries) });
  expect(ns.status, await ns.clone().text()).toBeLessThan(300);
}, 300_000);
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});
afterAll(async () => {
  await killAll();
  removeTempDirs();
});

describe.skipIf(!available)('remote monitoring dashboard (Chromium)', () => {
  it('the panel lists enrolled patients most urgent first, as a table on desktop and cards on a phone', { timeout: 120_000 }, async () => {
    browser = await openBrowser();
    const { page, context } = browser;
    await asBrowser(context, clinician);
    await page.goto(`${origin}/console`);
    await page.getByRole('navigation').getByRole('link', { name: 'Monitoring', exact: true }).click();
    await page.waitForURL(/\/console\/monitoring$/);
    await page.getByRole('heading', { name: 'Remote monitoring', level: 1 }).waitFor();
    const table = page.getByTestId('panel-table');
    await table.locator('tbody tr').first().waitFor();
    // The heart-failure patient has an open high alert: first, and said in words.
    expect(await table.locator('tbody tr').first().getAttribute('data-patient')).toBe(heart.patient);
    expect(await table.locator('tbody tr').first().textContent()).toContain('High alert');
    await table.getByRole('link', { name: `Open the monitoring of ${cgm.name}` }).waitFor();
    // The program filter narrows the list.
    await page.getByLabel('Program').selectOption('diabetes-cgm');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Program').selectOption('');
    await checkScreen(page, 'rpm-panel');
    await page.setViewportSize({ width: 360, height: 780 });
    await page.getByTestId('panel-cards').locator('li').first().waitFor();
    expect(await page.getByTestId('panel-cards').locator('li').first().getAttribute('data-urgency')).toBe('high');
    expect(browser.problems).toEqual([]);
  });

  it('a patient’s trends show the limits and a data table; an alert is acknowledged with a note; the timer logs time', { timeout: 180_000 }, async () => {
    browser = await openBrowser();
    const { page, context } = browser;
    await asBrowser(context, clinician);
    await page.goto(`${origin}/console/monitoring`);
    await page.getByRole('link', { name: `Open the monitoring of ${heart.name}` }).click();
    await page.waitForURL(/\/console\/monitoring\/patients\//);
    await page.getByRole('heading', { name: `Patient monitoring: ${heart.name}`, level: 1 }).waitFor();
    const bp = page.getByTestId('chart-bp');
    await bp.locator('.recharts-line').first().waitFor();
    // The chart's description says what it shows, including the limits drawn.
    expect(await bp.textContent()).toMatch(/Blood pressure over the last 30 days: \d+ readings/);
    expect(await bp.textContent()).toContain('at or above 180');
    expect(await bp.locator('.recharts-reference-line').count()).toBeGreaterThan(0);
    await page.getByTestId('chart-weight').locator('.recharts-line').first().waitFor();
    // The same data as a table, for screen readers (and anyone).
    await bp.getByText('Show the data as a table').click();
    await expect.poll(() => bp.getByTestId('table-bp').locator('tbody tr').count()).toBeGreaterThan(20);
    expect(await bp.getByTestId('table-bp').locator('tbody tr').first().textContent()).toContain('186');
    // 7 days: fewer readings.
    await page.getByText('7 days', { exact: true }).click();
    await expect.poll(async () => (await bp.textContent()) ?? '').toMatch(/last 7 days: \d+ readings/);
    expect(await page.getByTestId('start-video-visit').getAttribute('href')).toBe(`/console/book?patient=${encodeURIComponent(heart.patient)}`);

    const alerts = page.getByTestId('patient-alerts-list');
    const open = alerts.locator('li[data-status="open"]').filter({ hasText: /180|systolic/i }).first();
    await open.waitFor();
    await open.getByLabel('Note on this alert').fill('Called the patient: repeat reading was 150/90; diuretic taken late.');
    await open.getByRole('button', { name: 'Add the note' }).click();
    await open.getByTestId('alert-notes').getByText('Called the patient: repeat reading was 150/90; diuretic taken late.').waitFor();
    const alertId = (await open.getAttribute('data-alert')) ?? '';
    await checkScreen(page, 'rpm-patient');
    await alerts.locator(`li[data-alert="${alertId}"]`).getByRole('button', { name: `Acknowledge the alert for ${heart.name}` }).click();
    await alerts.locator(`li[data-alert="${alertId}"][data-status="acknowledged"]`).waitFor();
    const notes = (await (await api(clinician, 'GET', `/api/monitoring/alerts/${alertId}/notes`)).json()) as { notes: { text: string }[] };
    expect(notes.notes.map((n) => n.text)).toContain('Called the patient: repeat reading was 150/90; diuretic taken late.');

    // The monitoring timer: start, stop, saved to this month's time.
    const time = page.getByTestId('panel-time');
    await time.getByRole('button', { name: 'Start the timer' }).click();
    await time.getByTestId('time-running').filter({ hasText: /Timer running: 0:0[1-9]/ }).waitFor();
    await time.getByRole('button', { name: 'Stop and save' }).click();
    await time.getByTestId('time-status').filter({ hasText: /Saved 0:0\d of monitoring time/ }).waitFor();
    await time.getByTestId('time-entries').locator('tbody tr').first().waitFor();
    expect(browser.problems).toEqual([]);
  });

  it('a CGM patient shows time in ranges and the ambulatory glucose profile', { timeout: 120_000 }, async () => {
    browser = await openBrowser();
    const { page, context } = browser;
    await asBrowser(context, clinician);
    await page.goto(`${origin}/console/monitoring/patients/${cgm.patient.slice('Patient/'.length)}`);
    const panel = page.getByTestId('panel-cgm');
    await panel.getByTestId('chart-agp').locator('.recharts-area').first().waitFor();
    await panel.getByTestId('chart-tir').locator('.recharts-bar-rectangle').first().waitFor();
    expect(await panel.getByTestId('chart-tir').textContent()).toMatch(/In range, 70 to 180: [\d.]+ %/);
    await panel.getByTestId('chart-agp').getByText('Show the data as a table').click();
    expect(await panel.getByTestId('table-agp').locator('tbody tr').count()).toBe(24);
    await checkScreen(page, 'rpm-cgm');
    expect(browser.problems).toEqual([]);
  });

  it('the billing report lists the clinic’s patients, opens a patient’s detail and downloads CSV', { timeout: 120_000 }, async () => {
    browser = await openBrowser();
    const { page, context } = browser;
    await asBrowser(context, clinician);
    await page.goto(`${origin}/console/monitoring/billing`);
    await page.getByRole('heading', { name: 'Monitoring billing report', level: 1 }).waitFor();
    const table = page.getByTestId('billing-table');
    const row = table.locator(`tr[data-patient="${heart.patient}"]`).first();
    await row.waitFor();
    const details = row.getByRole('button', { name: /^Details of / });
    await details.first().click();
    expect(await details.first().getAttribute('aria-expanded')).toBe('true');
    const controls = (await details.first().getAttribute('aria-controls')) ?? '';
    await page.locator(`[id="${controls}"]`).getByTestId('billing-detail').filter({ hasText: 'Consent recorded' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^rpm-billing-.*\.csv$/);
    expect(readFileSync(await download.path(), 'utf8').length).toBeGreaterThan(0);
    await page.getByText(/^Saved rpm-billing-/).waitFor();
    await checkScreen(page, 'rpm-billing');
    expect(browser.problems).toEqual([]);
  });

  it('the patient sees their readings in plain language and adds one by hand, checked before sending', { timeout: 120_000 }, async () => {
    browser = await openBrowser();
    const { page } = browser;
    await page.goto(`${origin}/signin`);
    await page.getByLabel('Email').fill(heart.email);
    await page.locator('input[name="password"]').fill(demo.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/portal$/);
    await page.getByRole('navigation').getByRole('link', { name: 'My readings' }).click();
    await page.waitForURL(/\/portal\/readings$/);
    await page.getByTestId('chart-bp').locator('.recharts-line').first().waitFor();
    expect(await page.getByTestId('guide-bp').textContent()).toContain('Your care team is alerted when a reading is');

    const form = page.getByTestId('panel-add-reading');
    await form.getByLabel(/Top number/).fill('400');
    await form.getByLabel(/Bottom number/).fill('85');
    await form.getByRole('button', { name: 'Save the reading' }).click();
    await form.getByText('Enter a value from 40 to 300.').waitFor();
    await form.getByLabel(/Top number/).fill('138');
    await form.getByRole('button', { name: 'Save the reading' }).click();
    await form.getByText('Your reading was saved. Your care team can see it.').waitFor();
    const bp = page.getByTestId('chart-bp');
    await bp.getByText('Show the data as a table').click();
    await bp.getByTestId('table-bp').locator('tbody tr').filter({ hasText: 'Typed in by the patient' }).first().waitFor();
    await checkScreen(page, 'rpm-my-readings');
    await page.getByLabel('Language').first().selectOption('es');
    await page.getByRole('heading', { name: 'Mis mediciones', level: 1 }).waitFor();
    expect(await seriousViolations(page), 'my readings (es)').toEqual([]);
    expect(browser.problems).toEqual([]);
  });
});
