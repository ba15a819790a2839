import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, mainNav, openPage } from '../helpers/browser.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.ts';

describe('browser: a person signs in through their organisation’s identity provider', () => {
  let browser: Browser;
  let provider: TestOidcProvider;
  let app: TestApp;
  before(async () => {
    browser = await launchBrowser();
    provider = await startOidcProvider('corp');
    app = await startTestApp({ env: provider.env() });
    provider.register(app.url);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await provider?.close();
  });

  it('goes through the provider’s login page, arrives signed in with a new account, and signs out of both', async () => {
    const login = `journey-${process.pid}`;
    provider.addAccount(login, { email: `${login}@corp.test`, email_verified: true, name: 'Jo Journey' });
    const { context, page } = await openPage(browser, app.url);
    try {
      await page.goto('/sign-in');
      await page.getByRole('link', { name: 'Sign in with Corp Login' }).click();
      // The provider's own page, on its own origin.
      await page.waitForURL((url) => url.origin === provider.issuer);
      await page.locator('input[name="login"]').fill(login);
      await page.locator('input[name="password"]').fill('anything');
      await page.getByRole('button', { name: 'Sign-in' }).click();

      await mainNav(page).getByRole('link', { name: 'Jo Journey', exact: true }).waitFor();
      assert.equal(new URL(page.url()).origin, app.url);

      await mainNav(page).getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: 'You are signed out' }).waitFor();
      await page.getByRole('link', { name: 'Sign out of Corp Login too' }).click();
      await page.waitForURL((url) => url.origin === provider.issuer);
      await page.getByRole('button', { name: /yes/i }).click();
      await page.waitForURL((url) => url.origin === app.url);
      await mainNav(page).getByRole('link', { name: 'Sign in' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
