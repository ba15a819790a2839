import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_USERS, seedDemoData } from '../../src/db/seed.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';

/** The fields of the one-click form for `email` on the sign-in page, as a browser would post them. */
function demoForm(html: string, email: string): Record<string, string> {
  const form = [...html.matchAll(/<form method="post" action="\/sign-in" class="inline-form">([\s\S]*?)<\/form>/g)].map((match) => match[1]!).find((body) => body.includes(`value="${email}"`));
  assert.ok(form, `a one-click form for ${email}`);
  return Object.fromEntries([...form.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((match) => [match[1]!, match[2]!]));
}

describe('the demo accounts on the sign-in page', () => {
  // Two apps on this file's one database: the same accounts, development and production.
  let app: TestApp;
  let production: TestApp;
  before(async () => {
    app = await startTestApp({ env: { NODE_ENV: 'development' } });
    production = await startTestApp({ env: { NODE_ENV: 'production' } });
    await seedDemoData({ passwordHashCost: 1024 });
  });
  after(async () => {
    await production.close();
    await app.close();
  });

  describe('in development', () => {
    it('lists every demo account with its roles, and one click (a form with the CSRF token) signs in', async () => {
      const client = new TestClient(app.url);
      const page = await client.get('/sign-in');
      assert.match(page.body_, /<h2 id="demo-accounts-heading">Demo accounts<\/h2>/);
      for (const user of DEMO_USERS) {
        assert.match(page.body_, new RegExp(`Sign in as ${user.name}</button>\\s*<span>${user.roles.join(', ')}: `));
      }
      const fields = demoForm(page.body_, 'copilot@demo.cocreate.local');
      assert.equal(fields._csrf, csrfFrom(page.body_));
      const signedIn = await client.post('/sign-in', fields);
      assert.equal(signedIn.status, 303);
      const home = await client.get('/');
      assert.match(home.body_, />Cleo Copilot</);
    });

    it('refuses the one-click form without its CSRF token', async () => {
      const client = new TestClient(app.url);
      const page = await client.get('/sign-in');
      const { _csrf, ...withoutToken } = demoForm(page.body_, 'member@demo.cocreate.local');
      assert.ok(_csrf);
      assert.equal((await client.post('/sign-in', withoutToken)).status, 403);
    });
  });

  describe('in production', () => {
    it('never shows them, nor their password', async () => {
      const page = await new TestClient(production.url).get('/sign-in');
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.body_, /Demo accounts|Sign in as|demo\.cocreate\.local|Tulip-Harbor/);
    });
  });
});
