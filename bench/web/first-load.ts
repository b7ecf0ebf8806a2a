/**
 * A cold first visit in Debian's Chromium on a throttled phone profile (Lighthouse's mobile
 * defaults: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU slowed 4×, 360 × 640): first
 * contentful paint, largest contentful paint, when the page heading is on screen, and bytes moved.
 * Not Lighthouse itself (its current release needs Node 22.19+), but the same conditions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CARELINE_CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface FirstLoad {
  readonly fcpMs: number;
  readonly lcpMs: number;
  readonly headingMs: number;
  readonly transferBytes: number;
}

const METRICS = `new Promise((resolve) => {
  let lcp = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) lcp = Math.max(lcp, e.startTime); }).observe({ type: 'largest-contentful-paint', buffered: true });
  setTimeout(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    const bytes = performance.getEntriesByType('resource').reduce((s, r) => s + r.transferSize, nav ? nav.transferSize : 0);
    resolve({ fcpMs: fcp ? fcp.startTime : NaN, lcpMs: lcp, transferBytes: bytes });
  }, 500);
})`;

/** One cold load of url (fresh profile: no cache, no service worker), with optional cookies. */
export async function measureFirstLoad(url: string, cookies: readonly { name: string; value: string }[] = []): Promise<FirstLoad> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'careline-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: false,
    args: ARGS,
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 2,
    isMobile: true,
    locale: 'en-US',
  });
  try {
    if (cookies.length > 0) await context.addCookies(cookies.map((c) => ({ ...c, url })));
    const page: Page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    await page.locator('h1').first().waitFor({ timeout: 120_000 });
    const headingMs = await page.evaluate<number>('performance.now()');
    await page.waitForLoadState('networkidle', { timeout: 120_000 });
    const m = await page.evaluate<{ fcpMs: number; lcpMs: number; transferBytes: number }>(METRICS);
    return { ...m, headingMs };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
