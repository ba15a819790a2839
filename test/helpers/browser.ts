import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from './app.ts';
import { signedInClient } from './users.ts';

/** Playwright's own default is 30 s; our pages answer in milliseconds, so fail fast instead. */
export const DEFAULT_TIMEOUT_MS = 10_000;

// We run as root on a closed network: no sandbox, and no background connections (Chromium's
// update, sync and component checks otherwise get refused many at a time).
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's Chromium (or CHROMIUM_PATH), driven by playwright-core. Close it in `after`. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new Error(`Chromium not found at ${executablePath}: install it with \`apt-get install chromium\` or set CHROMIUM_PATH.`);
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** A fresh context (own cookies) with one page, with the suite's default timeouts. */
export async function openPage(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL });
  context.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(DEFAULT_TIMEOUT_MS);
  const page = await context.newPage();
  return { context, page };
}

/** Signs in through the sign-in form and waits until the header shows the user's name. */
export async function signInThroughForm(page: Page, user: { email: string; password: string; name: string }): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
  await mainNav(page).getByRole('link', { name: user.name, exact: true }).waitFor();
}

/**
 * Signs in without the form, for journeys about something else: the same sign-in is posted over
 * HTTP and its cookies handed to the browser, which opens the home page and waits until the
 * header shows the user's name, as after the form. It spares the sign-in page and the form's
 * round trip; every role still signs in through the form in a journey of its own.
 */
export async function signInByCookie(page: Page, baseURL: string, user: { email: string; password: string; name: string }): Promise<void> {
  const client = await signedInClient(baseURL, user);
  await page.context().addCookies(client.allCookies().map((cookie) => ({ ...cookie, url: baseURL })));
  await page.goto('/');
  await mainNav(page).getByRole('link', { name: user.name, exact: true }).waitFor();
}

/**
 * Signs the user in (by cookie, see `signInByCookie`), in a browser context of their own (their
 * own cookies); `act` uses the page and the list of script and CSP problems seen on it; the context closes after.
 */
export async function asSignedIn(browser: Browser, baseURL: string, user: { email: string; password: string; name: string }, act: (page: Page, problems: string[]) => Promise<void>): Promise<void> {
  const { context, page } = await openPage(browser, baseURL);
  const problems = watchForProblems(page);
  try {
    await signInByCookie(page, baseURL, user);
    await act(page, problems);
  } finally {
    await context.close();
  }
}

/** The header's main navigation. */
export function mainNav(page: Page) {
  return page.getByRole('navigation', { name: 'Main' });
}

/** Follows a staff tool's link: the header folds them into its "Manage" menu, opened first. */
export async function openStaffTool(page: Page, name: string): Promise<void> {
  await mainNav(page).getByText('Manage', { exact: true }).click();
  await mainNav(page).getByRole('link', { name, exact: true }).click();
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core in the page and returns its WCAG A/AA violations, one line each (only those of the
 * given impacts, when asked). Injected through the DevTools protocol, so the page's CSP (which
 * forbids inline scripts) stays on.
 */
export async function accessibilityViolations(page: Page, options: { impact?: string[] } = {}): Promise<string[]> {
  // Once per document: parsing axe takes as long as a run (0.3–0.5 s), and the layout guard checks each page twice.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(`${AXE_SOURCE}\n;undefined`);
  const violations = await page.evaluate(async (impacts) => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (context: unknown, options: unknown) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown[] }> }> }> };
      }
    ).axe;
    // Only violations are read: axe then skips gathering the details of every passing check.
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => !impacts || impacts.includes(violation.impact))
      .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
  }, options.impact ?? null);
  return violations;
}

/**
 * Call inside a `describe`: launches Chromium, then starts the app (browser first, so a missing
 * Chromium leaves no app running), and closes both after the suite.
 */
export function useBrowserAndApp(): { browser: Browser; app: TestApp } {
  const suite = {} as { browser: Browser; app: TestApp };
  before(async () => {
    suite.browser = await launchBrowser();
    suite.app = await startTestApp();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.app?.close();
  });
  return suite;
}

/**
 * Saves a full-page screenshot as `<dir>/shot-<name>.png` when SCREENSHOT_DIR is set (to look
 * at pages after a run: `SCREENSHOT_DIR=/tmp npm test -- test/browser/x.test.ts`); else nothing.
 */
export async function screenshotIfAsked(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: `${dir}/shot-${name}.png`, fullPage: true });
}

/** Collects the page's script errors and console errors (a CSP violation shows up there). */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}
