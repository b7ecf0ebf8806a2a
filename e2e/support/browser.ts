/**
 * Real-browser tests: playwright-core driving the system Chromium (Debian's `chromium` package at
 * /usr/bin/chromium — never a downloaded browser), a fresh profile per test, axe-core for
 * accessibility, screenshots to .artifacts/screenshots/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { makeTempDir, REPO_ROOT } from './careline-process.js';

export const CHROMIUM_PATH = process.env.CARELINE_CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(REPO_ROOT, '.artifacts', 'screenshots');
export const WEB_DIST = path.join(REPO_ROOT, 'packages', 'web', 'dist', 'index.html');

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Whether the browser suites can run. Outside CI a missing Chromium skips them with a loud notice;
 * in CI (CI=true) it is a failure, so a machine without the package cannot pass silently.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const notice = `\n${'!'.repeat(78)}\n!! Chromium not found at ${CHROMIUM_PATH}: the browser e2e tests are SKIPPED.\n!! Install it with: apt-get install chromium\n${'!'.repeat(78)}\n`;
  if (process.env.CI === 'true') throw new Error(`${notice}In CI a missing Chromium is a failure (.ci/run installs it).`);
  console.warn(notice);
  return false;
}

export function assertWebBuilt(): void {
  if (!existsSync(WEB_DIST)) throw new Error(`The web app is not built (${WEB_DIST} is missing): run \`npm run build\` first.`);
}

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught page errors and console errors other than failed resource loads (a 401 is expected). */
  readonly problems: string[];
  close(): Promise<void>;
}

export async function openBrowser(options: { locale?: string; width?: number; height?: number } = {}): Promise<BrowserSession> {
  const profile = makeTempDir('chromium-profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    // The headless mode is chosen by --headless=new in the arguments.
    headless: false,
    args: CHROMIUM_ARGS,
    locale: options.locale ?? 'en-US',
    timezoneId: 'UTC',
    // The app honours reduced motion (theme.respectReducedMotion): axe then judges final colours,
    // not a dialog caught mid-fade (a fading button's blended colours failed contrast at random).
    reducedMotion: 'reduce',
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    timeout: 30_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Generous: the suites share two cores with the rest of `npm test`.
  page.setDefaultTimeout(30_000);
  page.setDefaultNavigationTimeout(45_000);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`);
  });
  return { context, page, problems, close: () => context.close() };
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[]; readonly html: string; readonly failureSummary?: string }[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules plus best practices) on the page and returns the
 * serious and critical violations. Injected through the DevTools protocol, so the page's CSP stays on.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const g = globalThis as unknown as { document: unknown; axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } };
    const r = await g.axe.run(g.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 160), failureSummary: n.failureSummary?.slice(0, 200) })) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact ?? ''} ${v.id}: ${v.help} at ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html} (${n.failureSummary ?? ''})`).join(', ')}`);
}

/** Saves `<name>-360.png` (phone) and `<name>-desktop.png`, then restores the desktop size. */
export async function screenshotBothWidths(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const files: string[] = [];
  for (const [suffix, size] of [
    ['360', { width: 360, height: 780 }],
    ['desktop', { width: 1280, height: 900 }],
  ] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    const file = path.join(SCREENSHOTS, `${name}-${suffix}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  return files;
}

/** Nothing wider than the viewport at 360 px (WCAG 1.4.10 reflow). */
export async function horizontalOverflow(page: Page): Promise<number> {
  await page.setViewportSize({ width: 360, height: 780 });
  const measure = (): Promise<number> =>
    page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
  // Measured once the layout has settled after the resize (two equal readings 100 ms apart): on a
  // loaded machine the responsive layout may not have re-flowed after a fixed short wait. A real
  // overflow is stable, so it is still caught.
  let overflow = await measure();
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(100);
    const again = await measure();
    if (again === overflow && i > 0) break;
    overflow = again;
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  return overflow;
}

/** The browser globals the tests read inside page.evaluate (the e2e type-check has no DOM library). */
interface StorageLike {
  readonly length: number;
  key(i: number): string | null;
}
interface BrowserGlobals {
  readonly localStorage: StorageLike;
  readonly sessionStorage: StorageLike;
  readonly indexedDB: { databases?: () => Promise<{ name?: string }[]> };
  readonly caches: { keys(): Promise<string[]>; open(name: string): Promise<{ keys(): Promise<{ url: string }[]> }> };
}

/**
 * What the page leaves in browser storage: localStorage and sessionStorage keys, IndexedDB
 * databases, and the paths held in CacheStorage. Runs inside the page.
 */
export async function leftBehind(): Promise<{ local: string[]; session: string[]; databases: string[]; cached: string[] }> {
  const g = globalThis as unknown as BrowserGlobals;
  const keys = (s: StorageLike) => Array.from({ length: s.length }, (_, i) => s.key(i) ?? '');
  const cached: string[] = [];
  for (const name of await g.caches.keys()) for (const req of await (await g.caches.open(name)).keys()) cached.push(new URL(req.url).pathname);
  const databases = g.indexedDB.databases ? (await g.indexedDB.databases()).map((d) => d.name ?? '') : [];
  return { local: keys(g.localStorage), session: keys(g.sessionStorage), databases, cached };
}

/** Evaluates a JavaScript expression in the page (a string: the e2e type-check has no DOM library). */
export async function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate<T>(expression);
}
