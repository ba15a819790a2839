import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { mainNav, openPage, signInThroughForm, useBrowserAndApp } from '../helpers/browser.ts';
import { linkIn } from '../helpers/mail.ts';
import { createUser } from '../helpers/users.ts';

async function openResetLinkAndChoose(page: Page, resetLink: string, password: string) {
  await page.goto(resetLink);
  await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
  await page.getByLabel('New password').fill(password);
  return page.getByRole('button', { name: 'Save the new password' });
}

describe('browser: a user who forgot their password resets it by email', () => {
  const suite = useBrowserAndApp();

  it('resets the password from the sign-in page; the old one stops working and the link works once', async () => {
    const suffix = randomBytes(4).toString('hex');
    const user = await createUser({ name: `Rhea Reset ${suffix}`, email: `browser-reset-${suffix}@example.test` });
    const newPassword = 'Cobalt-Willow-Anchor-58';
    const { context, page } = await openPage(suite.browser, suite.app.url);
    try {
      await page.goto('/sign-in');
      await page.getByRole('link', { name: 'Forgotten your password?' }).click();
      await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
      await page.getByLabel('Email address').fill(user.email);
      await page.getByRole('button', { name: 'Send the link' }).click();
      await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();

      const resetLink = linkIn(await suite.app.smtp.waitForMail(user.email, /Reset your Cocreate password/), `${suite.app.url}/reset-password?token=`);
      await (await openResetLinkAndChoose(page, resetLink, newPassword)).click();

      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      await page.getByRole('status').filter({ hasText: 'Your password has been changed. Sign in with your new password.' }).waitFor();

      await signInThroughForm(page, { ...user, password: newPassword });
      await mainNav(page).getByRole('button', { name: 'Sign out' }).click();
      await mainNav(page).getByRole('link', { name: 'Sign in', exact: true }).waitFor();

      // The old password no longer works.
      await page.goto('/sign-in');
      await page.getByLabel('Email address').fill(user.email);
      await page.getByLabel('Password', { exact: true }).fill(user.password);
      await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'That email and password do not match an account.' }).waitFor();
      assert.equal(await mainNav(page).getByRole('link', { name: user.name, exact: true }).count(), 0);

      // The same link, a second time, is refused with a clear message.
      await (await openResetLinkAndChoose(page, resetLink, 'Saffron-Harbor-Piano-27')).click();
      await page.getByRole('alert').filter({ hasText: 'This link has already been used.' }).waitFor();
      await page.getByRole('link', { name: 'Ask for a new reset link' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
