import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { mainNav, openPage, useBrowserAndApp } from '../helpers/browser.ts';
import { linkIn } from '../helpers/mail.ts';

describe('browser: a visitor signs up, confirms their address, signs in and out', () => {
  const suite = useBrowserAndApp();

  it('creates an account from the home page and uses it', async () => {
    const suffix = randomBytes(4).toString('hex');
    const name = `Nora Browser ${suffix}`;
    const email = `browser-sign-up-${suffix}@example.test`;
    const password = 'Maple-Quartz-Ferry-19';
    const { context, page } = await openPage(suite.browser, suite.app.url);
    try {
      await page.goto('/');
      await page.getByRole('heading', { level: 1, name: 'Co-creation challenges that end in shipped work' }).waitFor();
      await mainNav(page).getByRole('link', { name: 'Create account', exact: true }).click();

      await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
      await page.getByLabel('Your name').fill(name);
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Create account' }).click();

      await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/check-your-email');

      const mail = await suite.app.smtp.waitForMail(email, /Confirm your email/);
      await page.goto(linkIn(mail, `${suite.app.url}/verify-email?token=`));
      await page.getByRole('heading', { level: 1, name: 'Email address confirmed' }).waitFor();

      // Not signed in yet: the confirmation page offers the sign-in form.
      await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();

      await mainNav(page).getByRole('link', { name, exact: true }).waitFor();
      await page
        .getByRole('status')
        .filter({ hasText: `Welcome back, ${name}.` })
        .waitFor();
      assert.equal(await mainNav(page).getByRole('link', { name: 'Sign in' }).count(), 0);

      await mainNav(page).getByRole('button', { name: 'Sign out' }).click();
      await mainNav(page).getByRole('link', { name: 'Sign in', exact: true }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/');
      assert.equal(await mainNav(page).getByRole('link', { name, exact: true }).count(), 0);
      assert.equal(await mainNav(page).getByRole('button', { name: 'Sign out' }).count(), 0);
    } finally {
      await context.close();
    }
  });
});
