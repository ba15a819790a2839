import { accessSync, constants } from 'node:fs';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from './app.ts';
import { AXE_PATH, axeSource, servesAxe } from './axe.ts';
import { signedInClient } from './users.ts';

/**
 * Playwright's own default. Our pages answer in milliseconds on a quiet machine, but at load 25-30
 * on 2 cores (other work beside the suite) a fresh app's first sign-in page took 12.5 s to answer:
 * at 10 s every journey timed out there, and a passing run costs the same either way.
 */
export const DEFAULT_TIMEOUT_MS = 30_000;

// We run as root on a closed network: no sandbox, and no background connections (Chromium's
// update, sync and component checks otherwise get refused many at a time).
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Debian's Chromium builds, lightest first. The headless shell (Chromium's old headless mode, a
 * browser without the desktop browser's layers) took about half the CPU of the full browser in
 * its headless mode: 0.4 s against 2.5-3.2 s to launch and open a first page, 0.15 s against
 * 0.3 s per page load, the same axe runs (same machine, one after the other).
 */
const CHROMIUM_BUILDS = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];

const isExecutable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** CHROMIUM_PATH, else Debian's headless shell or Chromium, driven by playwright-core. Close it in `after`. */
export async function launchBrowser(): Promise<Browser> {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : CHROMIUM_BUILDS;
  const executablePath = candidates.find(isExecutable);
  if (!executablePath) throw new Error(`Chromium not found at ${candidates.join(' or ')}: install it with \`apt-get install chromium-headless-shell\` or set CHROMIUM_PATH.`);
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** Playwright's default window, set explicitly so a page handed on can be put back to it. */
const VIEWPORT = { width: 1280, height: 720 };

/** A fresh context (own cookies) with one page, with the suite's default timeouts. */
export async function openPage(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: VIEWPORT });
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
 * Pages `asSignedIn` hands on from one person to the next, per browser and base URL. A page of its
 * own for each (a context, a renderer process) cost Chromium about 1 s of CPU; the next person on
 * the same page, with the cookies cleared, about 0.3 s (20 of each, one after the other).
 */
const idlePages = new WeakMap<Browser, Map<string, Page[]>>();

/**
 * Signs the user in (by cookie, see `signInByCookie`; `null`: a visitor, signed out), with cookies
 * of their own; `act` uses the page and the list of script and CSP problems seen on it. The page
 * is one that nobody else uses meanwhile; after `act` it leaves for about:blank, its cookies
 * cleared and its window put back, and serves the next call.
 */
export async function asSignedIn(
  browser: Browser,
  baseURL: string,
  user: { email: string; password: string; name: string } | null,
  act: (page: Page, problems: string[]) => Promise<void>,
): Promise<void> {
  let pages = idlePages.get(browser)?.get(baseURL);
  if (!pages) {
    pages = [];
    idlePages.set(browser, (idlePages.get(browser) ?? new Map<string, Page[]>()).set(baseURL, pages));
  }
  const page = pages.pop() ?? (await openPage(browser, baseURL)).page;
  const { problems, stop } = listenForProblems(page);
  let done = false;
  try {
    if (user) await signInByCookie(page, baseURL, user);
    await act(page, problems);
    done = true;
  } finally {
    stop();
    // After a failure the page may be anywhere: it closes with its context instead.
    if (done && (await handOn(page))) pages.push(page);
    else await page.context().close();
  }
}

/** Leaves the page ready for someone else (true), or false when it cannot. */
async function handOn(page: Page): Promise<boolean> {
  try {
    // The document goes first (and its live connection with it), then the cookies.
    await page.goto('about:blank');
    await page.context().clearCookies();
    const size = page.viewportSize();
    if (size?.width !== VIEWPORT.width || size.height !== VIEWPORT.height) await page.setViewportSize(VIEWPORT);
    return true;
  } catch {
    return false;
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

/**
 * Puts axe-core in the page, once per document: parsing it takes as long as a run. From the
 * test app's origin by a script tag where it serves axe (its compiled code then stays cached
 * between documents, see withAxe), else its source is evaluated in the page.
 */
async function injectAxe(page: Page): Promise<void> {
  if (await page.evaluate(() => 'axe' in globalThis)) return;
  const url = new URL(page.url());
  if (servesAxe(url.origin)) {
    const loaded = await page.evaluate(
      (src) =>
        new Promise<boolean>((resolve) => {
          const script = document.createElement('script');
          script.src = src;
          script.onload = () => resolve(true);
          script.onerror = () => resolve(false);
          document.head.append(script);
        }),
      AXE_PATH,
    );
    if (!loaded) throw new Error(`axe-core did not load from ${url.origin}${AXE_PATH}`);
    return;
  }
  await page.evaluate(`${axeSource()}\n;undefined`);
}

/**
 * Runs axe-core in the page and returns its WCAG A/AA violations, one line each (only those of the
 * given impacts, when asked). Injected through the DevTools protocol or from the page's own
 * origin, so the page's CSP (which forbids inline scripts) stays on.
 */
export async function accessibilityViolations(page: Page, options: { impact?: string[] } = {}): Promise<string[]> {
  // Once per document: the layout guard checks each page twice.
  await injectAxe(page);
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
  return listenForProblems(page).problems;
}

/** `watchForProblems`, with `stop` to stop collecting. */
function listenForProblems(page: Page): { problems: string[]; stop: () => void } {
  const problems: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() === 'error') problems.push(message.text());
  };
  const onError = (error: Error) => problems.push(error.message);
  page.on('console', onConsole);
  page.on('pageerror', onError);
  return {
    problems,
    stop: () => {
      page.off('console', onConsole);
      page.off('pageerror', onError);
    },
  };
}
