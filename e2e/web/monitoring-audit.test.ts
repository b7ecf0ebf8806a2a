/**
 * The demo clinic in real Chromium: the admin's audit report (filters, sort, paging, CSV download),
 * a patient's "who saw my record" screen, and the live monitoring alert journey — a device reading
 * crosses a threshold, the clinician's console shows the alert within a second without a reload
 * (announced politely), the clinician acknowledges it, and the audit report shows the 'update' row.
 *
 * One server and one demo clinic for the file (loading the demo takes a while); staff enrol TOTP
 * through the real API and their session cookie is handed to the browser.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertWebBuilt, browserAvailable, horizontalOverflow, inPage, openBrowser, screenshotBothWidths, seriousViolations, type BrowserSession } from '../support/browser.js';
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
const sessions = new Map<string, Session>();

const ADMIN = 'admin@valle-verde.example.org';
const CLINICIAN = 'dr.ortiz@valle-verde.example.org';

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Signs a demo account in through the API; staff enrol TOTP first and sign in with a recovery code. */
async function signIn(email: string): Promise<Session> {
  const known = sessions.get(email);
  if (known) return known;
  let res = await post('/auth/login', { email, password: demo.password });
  if (res.status === 401) {
    const enrolment = res.headers.get('careline-enrolment-token');
    expect(enrolment, `enrolment token for ${email}`).toBeTruthy();
    const auth = { authorization: `Bearer ${enrolment ?? ''}` };
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
  const session = { accessToken, cookie };
  sessions.set(email, session);
  return session;
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

async function openAuditReport(page: Page): Promise<void> {
  await page.goto(`${origin}/admin/audit`);
  await page.getByRole('heading', { name: 'Audit report', level: 1 }).waitFor();
  await page.getByTestId('audit-count').filter({ hasText: /shown/ }).waitFor();
}

beforeAll(async () => {
  if (!available) return;
  assertWebBuilt();
  const server = await startWebServer();
  origin = server.origin;
  const res = await post('/api/setup/demo', {});
  expect(res.status).toBe(201);
  demo = (await res.json()) as typeof demo;
}, 240_000);
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});
afterAll(async () => {
  await killAll();
  removeTempDirs();
});

describe.skipIf(!available)('demo clinic: audit report, access log, live monitoring alerts (Chromium)', () => {
  it('the admin filters, sorts and pages the audit report and downloads it as CSV', { timeout: 180_000 }, async () => {
    const admin = await signIn(ADMIN);
    browser = await openBrowser();
    const { page, context } = browser;
    await asBrowser(context, admin);
    await page.goto(`${origin}/admin`);
    await page.getByRole('link', { name: 'Open the audit report' }).click();
    await page.waitForURL(/\/admin\/audit$/);
    await page.getByTestId('audit-count').filter({ hasText: /shown/ }).waitFor();
    const rows = page.getByTestId('audit-table').locator('tbody tr');
    expect(await rows.count()).toBe(50);
    // The demo load wrote far more than one page: keyset paging.
    await page.getByRole('button', { name: 'Show more' }).click();
    await expect.poll(() => rows.count()).toBe(100);
    expect(await seriousViolations(page), 'audit report').toEqual([]);
    expect(await horizontalOverflow(page), 'audit report at 360 px').toBeLessThanOrEqual(0);
    await screenshotBothWidths(page, 'admin-audit');

    // Sort by event kind, ascending then descending.
    const kindHeader = page.getByRole('columnheader', { name: /Event/ });
    await page.getByRole('button', { name: 'Sort by Event' }).click();
    await expect.poll(() => kindHeader.getAttribute('aria-sort')).toBe('ascending');
    await page.getByTestId('audit-count').filter({ hasText: /shown/ }).waitFor();
    const kindsAsc = await rows.locator('td[data-kind]').evaluateAll((cells) => cells.map((c) => (c as unknown as { dataset: { kind: string } }).dataset.kind));
    expect(kindsAsc).toEqual([...kindsAsc].sort());
    await page.getByRole('button', { name: 'Sort by Event' }).click();
    await expect.poll(() => kindHeader.getAttribute('aria-sort')).toBe('descending');

    // Filter: sign-ins of the admin, today (in the browser's zone).
    await page.getByLabel('Event', { exact: true }).selectOption('login');
    await page.getByLabel('User', { exact: true }).selectOption({ label: ADMIN });
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel('From (date)').fill(today);
    await page.getByLabel('To (date)').fill(today);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(async () => (await rows.locator('td[data-kind]').allTextContents()).join('|')).toMatch(/^Sign-in(\|Sign-in)*$/);
    expect(await rows.first().textContent()).toContain(ADMIN);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^careline-audit-.*\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    const [header, ...lines] = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0);
    expect(header).toMatch(/^seq,/);
    expect(header).toContain('recorded');
    expect(header).toContain('agent');
    expect(lines.length).toBeGreaterThan(0);
    await page.getByText(/^Saved careline-audit-/).waitFor();
    expect(browser.problems).toEqual([]);
  });

  it('the admin edits a user’s roles and disables then enables the account, each after a confirmation dialog', { timeout: 120_000 }, async () => {
    const admin = await signIn(ADMIN);
    const target = 'frontdesk@valle-verde.example.org';
    browser = await openBrowser();
    const { page, context } = browser;
    await asBrowser(context, admin);
    await page.goto(`${origin}/admin`);
    const users = page.getByTestId('panel-users');
    const row = users.locator('tbody tr').filter({ hasText: target });
    await row.waitFor();
    // The admin cannot disable their own account from here.
    expect(await users.getByRole('button', { name: `Disable ${ADMIN}` }).isDisabled()).toBe(true);

    await row.getByRole('button', { name: `Edit roles of ${target}` }).click();
    const rolesDialog = page.getByRole('dialog', { name: `Roles of ${target}` });
    await rolesDialog.waitFor();
    await rolesDialog.getByRole('checkbox', { name: 'Nurse' }).check();
    expect(await seriousViolations(page), 'roles dialog').toEqual([]);
    await screenshotBothWidths(page, 'admin-user-roles');
    await rolesDialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`Roles of ${target} saved.`).waitFor();
    await row.getByText('Nurse', { exact: true }).waitFor();
    await row.getByText('Front desk', { exact: true }).waitFor();

    await row.getByRole('button', { name: `Disable ${target}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Disable this account?' });
    await confirm.waitFor();
    expect(await seriousViolations(page), 'disable dialog').toEqual([]);
    // Cancel first: nothing changes.
    await confirm.getByRole('button', { name: 'Cancel' }).first().click();
    await confirm.waitFor({ state: 'hidden' });
    expect(await row.textContent()).toContain('Active');
    await row.getByRole('button', { name: `Disable ${target}` }).click();
    await confirm.getByRole('button', { name: 'Disable the account' }).click();
    await page.getByText(`${target} is disabled.`).waitFor();
    await row.getByText('Disabled', { exact: true }).waitFor();
    expect((await post('/auth/login', { email: target, password: demo.password })).status).toBe(401);

    await row.getByRole('button', { name: `Enable ${target}` }).click();
    await page.getByRole('dialog', { name: 'Enable this account?' }).getByRole('button', { name: 'Enable the account' }).click();
    await page.getByText(`${target} is enabled.`).waitFor();
    await row.getByText('Active', { exact: true }).waitFor();
    expect(browser.problems).toEqual([]);
  });

  it('a patient sees in the portal that their clinician opened their record', { timeout: 120_000 }, async () => {
    const clinician = await signIn(CLINICIAN);
    const patient = demoPatient(0);
    expect((await api(clinician, 'GET', `/fhir/R4/${patient.fhirUser}`)).status).toBe(200);
    browser = await openBrowser();
    const { page } = browser;
    await page.goto(`${origin}/signin`);
    await page.getByLabel('Email').fill(patient.email);
    await page.locator('input[name="password"]').fill(demo.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/portal$/);
    await page.getByRole('navigation').getByRole('link', { name: 'Who saw my record' }).click();
    await page.waitForURL(/\/portal\/access-log$/);
    await page.getByRole('heading', { name: 'Who saw my record', level: 1 }).waitFor();
    const entry = page.getByTestId('access-log').locator('li[data-kind="read"]').filter({ hasText: 'Clinician at your clinic' });
    await entry.first().waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Who saw my record' }).getAttribute('aria-current')).toBe('page');
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page), 'access log').toEqual([]);
    expect(await horizontalOverflow(page), 'access log at 360 px').toBeLessThanOrEqual(0);
    await screenshotBothWidths(page, 'patient-access-log');
    await page.getByLabel('Language').first().selectOption('es');
    await page.getByRole('heading', { name: 'Quién vio mi expediente', level: 1 }).waitFor();
    expect(await seriousViolations(page), 'access log (es)').toEqual([]);
    // The choice is remembered on the account, not only on this device (issue #5: per user).
    let saved: string | null = null;
    for (let i = 0; i < 50 && saved !== 'es'; i++) {
      saved = await inPage<string | null>(page, "fetch('/auth/me').then((r) => r.json()).then((m) => m.locale)");
      if (saved !== 'es') await page.waitForTimeout(100);
    }
    expect(saved).toBe('es');
    expect(browser.problems).toEqual([]);
  });

  it('a device reading over the threshold reaches the clinician’s console within a second; acknowledging it is audited', { timeout: 180_000 }, async () => {
    const clinician = await signIn(CLINICIAN);
    const patient = demoPatient(1).fhirUser;
    const name = await patientName(clinician, patient);
    expect(name.length).toBeGreaterThan(0);
    expect((await api(clinician, 'POST', '/api/monitoring/enrollments', { patient, program: 'hypertension' })).status).toBe(201);
    const device = await api(clinician, 'POST', '/api/monitoring/devices', { patient, kind: 'bp-cuff', manufacturer: 'Omron', model: 'BP7350', serial: 'E2E-1' });
    expect(device.status).toBe(201);
    const { token } = (await device.json()) as { token: string };

    browser = await openBrowser();
    const { page, context } = browser;
    await asBrowser(context, clinician);
    await page.goto(`${origin}/console`);
    await page.getByRole('heading', { name: 'Console', level: 1 }).waitFor();
    const panel = page.getByTestId('panel-alerts');
    await panel.getByTestId('alerts-live').and(page.locator('[data-state="live"]')).waitFor();

    const sent = Date.now();
    const reading = await fetch(`${origin}/api/monitoring/webhook`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ readings: [{ id: 'e2e-bp-1', type: 'blood-pressure', systolic: 186, diastolic: 96, pulse: 80, takenAt: new Date(Date.now() - 60_000).toISOString() }] }),
    });
    expect(reading.status).toBe(201);
    const item = panel.getByTestId('alerts-list').locator('li[data-status="open"]').filter({ hasText: name });
    await item.waitFor({ timeout: 5_000 });
    const elapsed = Date.now() - sent;
    expect(elapsed, `alert shown ${String(elapsed)} ms after the reading was posted`).toBeLessThanOrEqual(1_000);
    await expect.poll(() => panel.getByTestId('alerts-announcer').textContent()).toContain(`New High alert for ${name}`);
    expect(await panel.getByTestId('alerts-announcer').getAttribute('aria-live')).toBe('polite');
    expect(await seriousViolations(page), 'console with an alert').toEqual([]);
    expect(await horizontalOverflow(page), 'console at 360 px').toBeLessThanOrEqual(0);
    await screenshotBothWidths(page, 'clinician-alerts');

    // Keyboard: the acknowledge button is reachable and works with Enter.
    const acknowledge = item.getByRole('button', { name: `Acknowledge the alert for ${name}` });
    await acknowledge.focus();
    await page.keyboard.press('Enter');
    await panel.getByTestId('alerts-list').locator('li[data-status="acknowledged"]').filter({ hasText: name }).waitFor();
    const alertId = (await panel.getByTestId('alerts-list').locator('li[data-status="acknowledged"]').filter({ hasText: name }).getAttribute('data-alert')) ?? '';
    expect(alertId).not.toBe('');
    expect(browser.problems).toEqual([]);

    // The admin's audit report shows the acknowledgement as an update by the clinician.
    const admin = await signIn(ADMIN);
    await asBrowser(context, admin);
    await openAuditReport(page);
    await page.getByLabel('Action', { exact: true }).selectOption('U');
    await page.getByLabel('Event', { exact: true }).selectOption('update');
    await page.getByLabel('Patient id').fill(patient);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const row = page.getByTestId('audit-table').locator('tbody tr').filter({ hasText: CLINICIAN }).filter({ hasText: name });
    await row.first().waitFor();
    expect(await row.first().locator('td[data-kind]').getAttribute('data-kind')).toBe('update');
    expect(browser.problems).toEqual([]);
  });
});
