/**
 * Journeys through the identity API in real Chromium: first-run setup, staff MFA enrolment and
 * sign-in, an invitation by mail accepted by a patient, wrong-password messages in both languages,
 * idle sign-out, and nothing left behind after sign-out. Each journey checks that the server has the
 * endpoints it needs and, while one is missing, skips saying exactly which.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../packages/server/src/test-support/smtp-sink.js';
import { assertWebBuilt, browserAvailable, leftBehind, openBrowser, screenshotBothWidths, seriousViolations, type BrowserSession } from '../support/browser.js';
import { killAll, removeTempDirs } from '../support/careline-process.js';
import { freshTotp } from '../support/totp.js';
import { missingEndpoints, startWebServer, type EndpointProbe } from '../support/web-server.js';

const available = browserAvailable();
let browser: BrowserSession | undefined;
let smtp: SmtpSink | undefined;

beforeAll(() => {
  if (available) assertWebBuilt();
});
afterEach(async () => {
  await browser?.close();
  browser = undefined;
  await smtp?.close();
  smtp = undefined;
  await killAll();
});
afterAll(removeTempDirs);

const ADMIN = { clinicName: 'Clínica del Valle', given: 'Ana', family: 'Reyes', email: 'ana.admin@example.test', password: 'valley clinic admin passphrase' };
const SETUP: EndpointProbe = { method: 'POST', path: '/api/setup' };
const LOGIN: EndpointProbe = { method: 'POST', path: '/auth/login' };
const ME: EndpointProbe = { method: 'GET', path: '/auth/me' };
const LOGOUT: EndpointProbe = { method: 'POST', path: '/auth/logout' };
const TOTP_SETUP: EndpointProbe = { method: 'POST', path: '/auth/mfa/totp/setup' };
const TOTP_CONFIRM: EndpointProbe = { method: 'POST', path: '/auth/mfa/totp/confirm' };
const INVITE: EndpointProbe = { method: 'POST', path: '/api/admin/invitations' };
const INVITATION: EndpointProbe = { method: 'GET', path: '/auth/invitations/not-a-token' };
const ACCEPT: EndpointProbe = { method: 'POST', path: '/auth/invitations/accept' };
const DEMO: EndpointProbe = { method: 'POST', path: '/api/setup/demo' };
const STAFF_SIGN_IN = [SETUP, LOGIN, ME, LOGOUT, TOTP_SETUP, TOTP_CONFIRM];

/** Starts a server (with a test SMTP server) and skips the test, naming what is missing, when the identity API lacks an endpoint. */
async function serverWith(ctx: TestContext, probes: readonly EndpointProbe[], env: Record<string, string> = {}) {
  smtp = await startSmtpSink();
  const server = await startWebServer({ CARELINE_SMTP_URL: smtp.url, ...env });
  const missing = await missingEndpoints(server.origin, probes);
  if (missing.length > 0) {
    console.warn(`SKIPPED "${ctx.task.name}": the server does not have ${missing.join(', ')} yet (identity API, docs/API.md).`);
    ctx.skip();
  }
  return server;
}

async function createClinic(origin: string): Promise<void> {
  const res = await fetch(`${origin}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  expect(res.status).toBe(201);
}

async function fillSignIn(page: Page, origin: string, email: string, password: string): Promise<void> {
  await page.goto(`${origin}/signin`);
  await page.getByLabel('Email').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Staff sign-in the first time: enrolment (QR code, first code, recovery codes), then sign-in with a code. */
async function enrolAndSignIn(page: Page, origin: string, email: string, password: string, usedSteps: Set<number>): Promise<{ secret: string; recoveryCodes: string[] }> {
  await fillSignIn(page, origin, email, password);
  await page.waitForURL(/\/mfa\/enrol$/);
  await page.getByRole('img', { name: 'QR code to add Careline to your authenticator app' }).waitFor();
  expect(await seriousViolations(page), 'MFA enrolment').toEqual([]);
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  await page.getByLabel('Code from your app').fill(await freshTotp(secret, usedSteps));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
  const recoveryCodes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
  expect(recoveryCodes).toHaveLength(10);
  expect(await seriousViolations(page), 'recovery codes').toEqual([]);
  await page.getByRole('button', { name: /continue to sign in/ }).click();
  await page.waitForURL(/\/signin$/);
  await fillSignIn(page, origin, email, password);
  await page.getByRole('heading', { name: 'Verification code' }).waitFor();
  await page.locator('input[name="otp"]').fill(await freshTotp(secret, usedSteps));
  await page.getByRole('button', { name: 'Verify' }).click();
  return { secret, recoveryCodes };
}

async function inviteByMail(page: Page, origin: string, email: string, role: string, given: string, family: string): Promise<string> {
  await page.getByTestId('panel-users').locator('input[name="email"]').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByLabel('First name').fill(given);
  await page.getByLabel('Last name').fill(family);
  if (role === 'patient') await page.getByLabel('Date of birth (patients)').fill('1948-03-02');
  await page.getByRole('button', { name: 'Send the invitation' }).click();
  await page.getByText(`Invitation sent to ${email}`).waitFor();
  const mail = await (smtp as SmtpSink).waitFor(email);
  const link = /(https?:\/\/\S+\/invitation#token=[\w-]+)/.exec(mail.raw)?.[1];
  expect(link, 'invitation link in the mail').toBeDefined();
  // The link's origin is the server's public URL; with CARELINE_PORT=0 (a random port) the server
  // may not know its own port when it writes the mail, so keep the path and fragment only.
  const url = new URL(link ?? '');
  return `${origin}${url.pathname}${url.hash}`;
}

async function acceptInvitation(page: Page, link: string, password: string): Promise<void> {
  await page.goto(link);
  await page.getByRole('heading', { name: 'Accept your invitation' }).waitFor();
  expect(new URL(page.url()).hash, 'the token leaves the address bar').toBe('');
  expect(await seriousViolations(page), 'invitation').toEqual([]);
  await page.getByLabel('Choose a password').fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.getByText('Your account is ready. Sign in to continue.').waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/signed-out\?reason=manual$/);
}

describe.skipIf(!available)('journeys (Chromium, identity API)', () => {
  it('first run: setup creates the clinic, the admin enrols TOTP and lands on the admin home', { timeout: 180_000 }, async (ctx) => {
    const server = await serverWith(ctx, STAFF_SIGN_IN);
    browser = await openBrowser();
    const { page } = browser;
    await page.goto(server.url);
    await page.waitForURL(/\/setup$/);
    await page.getByLabel('Clinic name').fill(ADMIN.clinicName);
    await page.getByLabel('Your first name').fill(ADMIN.given);
    await page.getByLabel('Your last name').fill(ADMIN.family);
    await page.getByLabel('Your email').fill(ADMIN.email);
    await page.locator('input[name="password"]').fill(ADMIN.password);
    await page.getByLabel('Repeat the password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create the clinic' }).click();
    await page.getByText('Your clinic is ready.').waitFor();
    await enrolAndSignIn(page, server.origin, ADMIN.email, ADMIN.password, new Set());
    await page.waitForURL(/\/admin$/);
    await page.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
    await page.getByTestId('panel-users').getByText(ADMIN.email).waitFor();
    expect(await seriousViolations(page), 'admin home').toEqual([]);
    await screenshotBothWidths(page, 'admin-home');
    expect(browser.problems).toEqual([]);
  });

  it('an admin invites a patient by mail; the patient accepts, signs in, sees the portal, and signing out leaves no data behind', { timeout: 180_000 }, async (ctx) => {
    const server = await serverWith(ctx, [...STAFF_SIGN_IN, INVITE, INVITATION, ACCEPT]);
    await createClinic(server.origin);
    browser = await openBrowser();
    const { page } = browser;
    await enrolAndSignIn(page, server.origin, ADMIN.email, ADMIN.password, new Set());
    await page.waitForURL(/\/admin$/);
    const link = await inviteByMail(page, server.origin, 'rosa.patient@example.test', 'patient', 'Rosa', 'Mendoza');
    await signOut(page);

    await acceptInvitation(page, link, 'rosa has a long passphrase');
    await fillSignIn(page, server.origin, 'rosa.patient@example.test', 'rosa has a long passphrase');
    await page.waitForURL(/\/portal$/);
    await page.getByRole('heading', { name: 'My health', level: 1 }).waitFor();
    for (const panel of ['Upcoming visits', 'Unread messages', 'New results', 'Things to do', 'My care team']) {
      await page.getByRole('region', { name: panel }).waitFor();
    }
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page), 'patient home').toEqual([]);
    await screenshotBothWidths(page, 'patient-home');
    await page.getByLabel('Language').first().selectOption('es');
    await page.getByRole('heading', { name: 'Mi salud', level: 1 }).waitFor();
    await screenshotBothWidths(page, 'patient-home-es');

    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.waitForURL(/\/signed-out\?reason=manual$/);
    const left = await page.evaluate(leftBehind);
    expect(left.local).toEqual(['careline.language']);
    expect(left.session).toEqual([]);
    expect(left.databases).toEqual([]);
    expect(left.cached.filter((u) => !/^\/(assets\/|icons\/|manifest\.webmanifest$|$)/.test(u))).toEqual([]);
    expect((await fetch(`${server.origin}/auth/me`, { headers: { cookie: (await browser.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).status).toBe(401);
    expect(browser.problems).toEqual([]);
  });

  it('a clinician accepts an invitation, enrols TOTP, signs in with a code and sees the console', { timeout: 180_000 }, async (ctx) => {
    const server = await serverWith(ctx, [...STAFF_SIGN_IN, INVITE, INVITATION, ACCEPT]);
    await createClinic(server.origin);
    browser = await openBrowser();
    const { page } = browser;
    const steps = new Set<number>();
    await enrolAndSignIn(page, server.origin, ADMIN.email, ADMIN.password, steps);
    await page.waitForURL(/\/admin$/);
    const link = await inviteByMail(page, server.origin, 'luis.clinician@example.test', 'clinician', 'Luis', 'Ortega');
    await signOut(page);
    await acceptInvitation(page, link, 'luis has a long passphrase');
    await enrolAndSignIn(page, server.origin, 'luis.clinician@example.test', 'luis has a long passphrase', new Set());
    await page.waitForURL(/\/console$/);
    await page.getByRole('heading', { name: 'Console', level: 1 }).waitFor();
    for (const panel of ['Today’s schedule', 'Waiting room', 'Inbox', 'Monitoring alerts']) await page.getByRole('region', { name: panel }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page), 'clinician home').toEqual([]);
    await screenshotBothWidths(page, 'clinician-home');
    expect(browser.problems).toEqual([]);
  });

  it('the setup screen loads the demo clinic; a demo patient signs in and sees the portal', { timeout: 180_000 }, async (ctx) => {
    const server = await serverWith(ctx, [DEMO, LOGIN, ME, LOGOUT]);
    browser = await openBrowser();
    const { page } = browser;
    await page.goto(server.url);
    await page.waitForURL(/\/setup$/);
    await page.getByRole('button', { name: 'Load the demo clinic' }).click();
    const password = (await page.getByTestId('demo-password').textContent({ timeout: 120_000 })) ?? '';
    expect(password.length).toBeGreaterThanOrEqual(8);
    expect(await seriousViolations(page), 'demo ready').toEqual([]);
    const rows = await page.getByTestId('demo-accounts').locator('tbody tr').allTextContents();
    const patientRow = rows.find((r) => r.endsWith('Patient'));
    expect(patientRow, 'a demo patient account').toBeDefined();
    const email = (patientRow ?? '').replace(/Patient$/, '');
    await fillSignIn(page, server.origin, email, password);
    await page.waitForURL(/\/portal$/);
    await page.getByRole('heading', { name: 'My health', level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page), 'demo patient home').toEqual([]);
    await screenshotBothWidths(page, 'patient-home-demo');
    expect(browser.problems).toEqual([]);
  });

  it('a wrong password gets a clear message, in English and in Spanish', { timeout: 120_000 }, async (ctx) => {
    const server = await serverWith(ctx, [SETUP, LOGIN, ME]);
    await createClinic(server.origin);
    browser = await openBrowser();
    const { page } = browser;
    await fillSignIn(page, server.origin, ADMIN.email, 'not the right passphrase');
    await page.getByRole('alert').filter({ hasText: 'The email or password is not correct.' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.getByRole('alert').filter({ hasText: 'El correo electrónico o la contraseña no son correctos.' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/signin');
  });

  it('signs out by itself after the server’s idle timeout, after a warning', { timeout: 180_000 }, async (ctx) => {
    const server = await serverWith(ctx, STAFF_SIGN_IN, { CARELINE_SESSION_IDLE_TIMEOUT_S: '20' });
    await createClinic(server.origin);
    browser = await openBrowser();
    const { page } = browser;
    await enrolAndSignIn(page, server.origin, ADMIN.email, ADMIN.password, new Set());
    await page.waitForURL(/\/admin$/);
    await page.getByRole('dialog', { name: 'Are you still there?' }).waitFor({ timeout: 25_000 });
    expect(await seriousViolations(page), 'idle warning').toEqual([]);
    await page.waitForURL(/\/signed-out\?reason=idle$/, { timeout: 15_000 });
    await page.getByText('You were signed out because Careline was not used for a while.', { exact: false }).waitFor();
    expect((await page.evaluate(leftBehind)).session).toEqual([]);
  });
});
