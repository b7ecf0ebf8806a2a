/**
 * The web app shell in real Chromium against a real Careline process: first-run/sign-in screens,
 * every public screen checked with axe in both languages, the language switcher, keyboard access,
 * responsive layout at 360 px, caching headers and the service worker.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertWebBuilt, browserAvailable, horizontalOverflow, inPage, leftBehind, openBrowser, screenshotBothWidths, seriousViolations, type BrowserSession } from '../support/browser.js';
import { killAll, removeTempDirs } from '../support/careline-process.js';
import { startWebServer } from '../support/web-server.js';

const available = browserAvailable();
let browser: BrowserSession | undefined;

beforeAll(() => {
  if (available) assertWebBuilt();
});
afterEach(async () => {
  await browser?.close();
  browser = undefined;
  await killAll();
});
afterAll(removeTempDirs);

const PUBLIC_SCREENS = ['/signin', '/forgot-password', '/reset-password#token=abc', '/invitation', '/verify-email', '/signed-out?reason=idle', '/setup', '/portal/no/such/page'];

describe.skipIf(!available)('web app shell (Chromium)', () => {
  it('opens the first-run setup screen (or sign-in once set up) with no accessibility violations, at 360 px and desktop', { timeout: 90_000 }, async () => {
    const server = await startWebServer();
    browser = await openBrowser();
    const { page } = browser;
    await page.goto(server.url);
    await page.waitForURL(/\/(setup|signin)$/);
    const screen = new URL(page.url()).pathname.slice(1);
    const setupRoute = (await fetch(`${server.origin}/api/setup`)).status !== 404;
    expect(screen).toBe(setupRoute ? 'setup' : 'signin');
    await expect.poll(() => page.locator('h1').textContent()).toBe(screen === 'setup' ? 'Welcome to Careline' : 'Sign in to Careline');
    expect(await page.title()).toContain('Careline');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshotBothWidths(page, screen);
    // Sign-in is the screen everyone meets: always screenshot it too.
    await page.goto(`${server.origin}/signin`);
    await page.locator('h1', { hasText: 'Sign in to Careline' }).waitFor();
    await screenshotBothWidths(page, 'signin');
    expect(browser.problems).toEqual([]);
  });

  it('every public screen passes axe in English and in Spanish', { timeout: 120_000 }, async () => {
    const server = await startWebServer();
    for (const locale of ['en-US', 'es-MX']) {
      browser = await openBrowser({ locale });
      const { page } = browser;
      for (const path of PUBLIC_SCREENS) {
        await page.goto(`${server.origin}${path}`);
        await page.locator('h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        expect(await inPage(page, 'document.documentElement.lang'), path).toBe(locale.slice(0, 2));
        expect(await seriousViolations(page), `${locale} ${path}`).toEqual([]);
        expect(await page.locator('main').count(), path).toBe(1);
      }
      expect(browser.problems).toEqual([]);
      await browser.close();
      browser = undefined;
    }
  });

  it('switches language, remembers it on this device, and stores nothing but the language code', { timeout: 60_000 }, async () => {
    const server = await startWebServer();
    browser = await openBrowser();
    const { page } = browser;
    await page.goto(`${server.origin}/signin`);
    await page.locator('h1', { hasText: 'Sign in to Careline' }).waitFor();
    await page.getByLabel('Language').selectOption('es');
    await page.locator('h1', { hasText: 'Iniciar sesión en Careline' }).waitFor();
    expect(await inPage(page, 'document.documentElement.lang')).toBe('es');
    await page.reload();
    await page.locator('h1', { hasText: 'Iniciar sesión en Careline' }).waitFor();
    expect(await page.title()).toBe('Iniciar sesión en Careline · Careline');
    const stored = await page.evaluate(leftBehind);
    expect({ local: stored.local, session: stored.session }).toEqual({ local: ['careline.language'], session: [] });
  });

  it('validates the sign-in form in the user’s language and moves focus to the first error', { timeout: 60_000 }, async () => {
    const server = await startWebServer();
    browser = await openBrowser();
    const { page } = browser;
    await page.goto(`${server.origin}/signin`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This field is required.').first().waitFor();
    expect(await inPage(page, "document.activeElement?.getAttribute('name')")).toBe('email');
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Enter a valid email address, like name@example.com.').waitFor();
    await page.getByLabel('Language').selectOption('es');
    await page.getByText('Escriba un correo electrónico válido, como nombre@ejemplo.com.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('is usable by keyboard: a skip link first, then the form, with visible focus', { timeout: 60_000 }, async () => {
    const server = await startWebServer();
    browser = await openBrowser();
    const { page } = browser;
    await page.goto(`${server.origin}/signin`);
    await page.locator('h1').waitFor();
    await page.keyboard.press('Tab');
    expect(await inPage(page, 'document.activeElement?.textContent')).toBe('Skip to main content');
    expect(await inPage(page, 'getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await inPage(page, 'document.activeElement?.id')).toBe('main');
    await page.keyboard.press('Tab');
    expect(await inPage(page, "document.activeElement?.getAttribute('name')")).toBe('email');
  });

  it('sends an anonymous visitor of a signed-in page to sign-in', { timeout: 60_000 }, async () => {
    const server = await startWebServer();
    browser = await openBrowser();
    const { page } = browser;
    for (const path of ['/portal', '/console', '/admin', '/account']) {
      await page.goto(`${server.origin}${path}`);
      await page.waitForURL(/\/signin$/);
    }
  });

  it('serves the shell with no-cache, hashed assets for a year, CSP on, and a service worker that caches only the shell', { timeout: 60_000 }, async () => {
    const server = await startWebServer();
    const index = await fetch(`${server.origin}/portal/anything`, { headers: { accept: 'text/html' } });
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${server.origin}${asset ?? ''}`);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${server.origin}/sw.js`)).headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${server.origin}/api/no-such-thing`, { headers: { accept: 'text/html' } })).status).toBe(404);

    browser = await openBrowser();
    const { page } = browser;
    await page.goto(`${server.origin}/signin`);
    await inPage(page, 'navigator.serviceWorker.ready.then(() => true)');
    await expect.poll(async () => (await page.evaluate(leftBehind)).cached.length).toBeGreaterThan(0);
    const { cached } = await page.evaluate(leftBehind);
    expect(cached).toContain('/');
    expect(cached.filter((u) => /^\/(api|auth|fhir|oauth2|ws)\b/.test(u))).toEqual([]);
    const manifest = (await (await fetch(`${server.origin}/manifest.webmanifest`)).json()) as { icons: { src: string }[] };
    for (const icon of manifest.icons) expect((await fetch(`${server.origin}${icon.src}`)).status, icon.src).toBe(200);
  });
});
