import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { findFreePort } from '../../src/db/embedded-ferretdb.ts';
import { accessibilityViolations, asSignedIn, launchBrowser, mainNav, screenshotIfAsked } from '../helpers/browser.ts';
import { TYPESCRIPT_LOADER } from '../../scripts/typescript-loader.ts';

/** `node src/server.ts` (what `npm start` runs) or another script, with its output collected. */
function run(script: string, env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, [...TYPESCRIPT_LOADER, script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

const DAY = 24 * 60 * 60 * 1000;
const DEMO_NAMES = { admin: 'Ada Admin', staff: 'Sam Staff', copilot: 'Cleo Copilot', specialist: 'Priya Specialist', member: 'Max Member' } as const;

describe('browser: the first start on an empty data directory shows the whole product', () => {
  let dataDir: string;
  let baseUrl: string;
  let env: Record<string, string>;
  let server: ReturnType<typeof run>;
  let browser: Browser;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cocreate-first-start-'));
    const port = await findFreePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = { NODE_ENV: 'development', PORT: String(port), PUBLIC_URL: baseUrl, DATA_DIR: dataDir, LOG_LEVEL: 'warn', PASSWORD_HASH_COST: '1024' };
    server = run('src/server.ts', env);
    // Chromium starts while the server seeds.
    browser = await launchBrowser();
    // Seeding runs before the server listens: ready means seeded.
    const deadline = Date.now() + 240_000;
    let ready = false;
    while (!ready && Date.now() < deadline) {
      ready = await fetch(`${baseUrl}/readyz`).then(
        (response) => response.ok,
        () => false,
      );
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.ok(ready, `the server did not become ready:\n${server.output()}`);
  });
  after(async () => {
    server.child.kill('SIGKILL');
    await browser?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Signs in with the sign-in page's one-click demo button, with cookies of their own (see asSignedIn). */
  async function asDemo(name: string, act: (page: Page) => Promise<void>): Promise<void> {
    await asSignedIn(browser, baseUrl, null, async (page, problems) => {
      await page.goto('/sign-in');
      await page.getByRole('button', { name: `Sign in as ${name}` }).click();
      await mainNav(page).getByRole('link', { name, exact: true }).waitFor();
      await act(page);
      assert.deepEqual(problems, []);
    });
  }

  async function openChallenge(page: Page, title: string): Promise<string> {
    await page.goto('/challenges');
    await page.getByRole('main').getByRole('link', { name: title, exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    return new URL(page.url()).pathname;
  }

  it('says what it is doing while it seeds, and lists the demo accounts', () => {
    assert.match(server.output(), /seeding the demo/);
    assert.match(server.output(), /seeding open challenge: votes, comments, comparisons…/);
    assert.match(server.output(), /copilot@demo\.cocreate\.local\s+member\s+curates/);
  });

  it('offers the demo accounts on the sign-in page, accessibly', async () => {
    await asSignedIn(browser, baseUrl, null, async (page) => {
      await page.goto('/sign-in');
      for (const name of Object.values(DEMO_NAMES)) await page.getByRole('button', { name: `Sign in as ${name}` }).waitFor();
      assert.deepEqual(await accessibilityViolations(page), []);
    });
  });

  it('gives the copilot screening queues with ideas waiting, a likely duplicate among them', async () => {
    await asDemo(DEMO_NAMES.copilot, async (page) => {
      await mainNav(page).getByRole('link', { name: 'Screening' }).click();
      await page.getByRole('heading', { level: 1, name: 'Your screening queues' }).waitFor();
      const main = page.getByRole('main');
      assert.match(await main.innerText(), /8 ideas waiting/);
      assert.match(await main.innerText(), /6 ideas waiting/);
      await main.getByText('Customer stories podcast').waitFor();
      await screenshotIfAsked(page, 'first-start-copilot');
    });
  });

  it('gives a judge scorecards to fill beside the ones already in', async () => {
    await asDemo(DEMO_NAMES.staff, async (page) => {
      await mainNav(page).getByRole('link', { name: 'Judging' }).click();
      await page.getByRole('main').getByRole('link', { name: 'Invoices customers understand at a glance' }).click();
      const main = page.getByRole('main');
      await main.getByText('Ideas assigned to you').waitFor();
      assert.match(await main.innerText(), /Scored\s+3 of 10 \(7 to go\)/);
      assert.equal(await main.getByRole('cell', { name: 'Not started' }).count(), 6);
      assert.equal(await main.getByRole('cell', { name: 'Draft saved' }).count(), 1);
      await screenshotIfAsked(page, 'first-start-judge');
    });
  });

  it('shows the closed challenge’s Outcomes, and insights with named segments', async () => {
    await asDemo(DEMO_NAMES.admin, async (page) => {
      const closed = await openChallenge(page, 'Make the first week delightful');
      await page.goto(`${closed}/outcomes`);
      const outcomes = await page.getByRole('main').innerText();
      assert.match(outcomes, /You said, we did/);
      assert.match(outcomes, /2 ideas shipped so far/);
      for (const status of ['Shipped', 'In progress', 'Planned', 'Accepted', 'Proposed', 'Declined']) assert.match(outcomes, new RegExp(status));
      await screenshotIfAsked(page, 'first-start-outcomes');

      const open = await openChallenge(page, 'Work offline, anywhere');
      await page.goto(`${open}/insights`);
      const table = page.getByRole('table', { name: /^By segment/ });
      const segments = await table.locator('tbody th[scope="row"]').allInnerTexts();
      const named = segments.filter((segment) => !/other|not stated|fewer than/i.test(segment));
      assert.ok(named.length >= 3, `three or more named segments, got ${segments.join(', ')}`);
      await screenshotIfAsked(page, 'first-start-insights');
    });
  });

  /** The `datetime` of each `<time>` inside `selector`, in page order, as ms. */
  const timesIn = (page: Page, selector: string) => page.locator(`${selector} time[datetime]`).evaluateAll((times) => times.map((time) => Date.parse(time.getAttribute('datetime')!)));

  it('gives the member news: mentions and replies on their ideas, and what became of them, over weeks, in order', async () => {
    await asDemo(DEMO_NAMES.member, async (page) => {
      await mainNav(page)
        .getByRole('link', { name: /^Notifications/ })
        .click();
      await page
        .getByRole('main')
        .getByText(/mentioned you on/)
        .first()
        .waitFor();
      // The story's days (seed-story/story-clock.ts): newest first, as if they had come in over two months.
      const news = await timesIn(page, 'main');
      assert.deepEqual(
        news,
        [...news].sort((a, b) => b - a),
        'the inbox reads newest first',
      );
      assert.ok(news[0]! - news.at(-1)! > 30 * DAY, 'the first page of news spans more than a month');

      await mainNav(page).getByRole('link', { name: 'My ideas' }).click();
      const shipped = page.locator('main li.card', { hasText: 'It shipped. Thank you for your idea!' });
      await shipped.waitFor();
      // Draft, submitted, approved, shortlisted, scored, winner, in the backlog, shipped: each on its day.
      const path = await timesIn(page, 'main li.card:has-text("It shipped. Thank you for your idea!") ol.path');
      assert.equal(path.length, 8);
      assert.deepEqual(
        path,
        [...path].sort((a, b) => a - b),
        'its steps in order',
      );
      assert.ok(path.at(-1)! - path[0]! > 40 * DAY, 'from draft to shipped over more than 40 days');
      assert.ok(Date.now() - path.at(-1)! > DAY, 'shipped days ago, not during the seed');
    });
  });

  it('tells the specialist and the copilot, who follow all four challenges, their news in date order across them', async () => {
    for (const name of [DEMO_NAMES.specialist, DEMO_NAMES.copilot]) {
      await asDemo(name, async (page) => {
        await page.goto(`${baseUrl}/notifications`);
        // The chapters are told side by side (seed-story/story-clock.ts): one's last weeks do not come after another's.
        const news = await timesIn(page, 'main');
        assert.ok(news.length >= 10, `${name} has a page of news`);
        assert.deepEqual(
          news,
          [...news].sort((a, b) => b - a),
          `${name}'s inbox reads newest first`,
        );
      });
    }
  });

  it('adds nothing when `npm run seed` runs again; its benchmark mode and `npm run rebuild-insights` show progress', async () => {
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    const again = run('scripts/seed.ts', env, ['--ideas', '300']);
    assert.equal(await again.exited, 0, again.output());
    assert.match(again.output(), /0 demo account\(s\) created, 5 already there; 0 demo challenge\(s\) created/);
    assert.match(again.output(), /large challenge: 300 of 300 ideas/);
    const rebuild = run('scripts/rebuild-insights.ts', env);
    assert.equal(await rebuild.exited, 0, rebuild.output());
    assert.match(rebuild.output(), /counted \d+ ideas; reading votes…/);
    assert.match(rebuild.output(), /writing \d+ activity buckets of \d+ people: 0 done…/);
  });
});
