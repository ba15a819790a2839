import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessibilityViolations, asSignedIn, signInThroughForm, useBrowserAndApp } from '../helpers/browser.ts';
import { createUser } from '../helpers/users.ts';

describe("browser: pages pass axe-core's WCAG 2.1 A/AA checks", () => {
  const suite = useBrowserAndApp();
  const asVisitor = (act: Parameters<typeof asSignedIn>[3]) => asSignedIn(suite.browser, suite.app.url, null, act);

  it('detects a violation when there is one (the check itself works)', async () => {
    await asVisitor(async (page) => {
      // axe evaluated in the page (a page of no test app)…
      await page.setContent('<!doctype html><html lang="en"><head><title>t</title></head><body><main><input type="text"></main></body></html>');
      const violations = await accessibilityViolations(page);
      assert.ok(
        violations.some((violation) => violation.startsWith('label:')),
        violations.join('\n'),
      );
      // …and loaded from the test app's origin, as on its pages.
      await page.goto('/sign-in');
      await page.evaluate(() => document.querySelector('main')!.append(document.createElement('input')));
      const onAppPage = await accessibilityViolations(page);
      assert.ok(
        onAppPage.some((violation) => violation.startsWith('label:')),
        onAppPage.join('\n'),
      );
    });
  });

  it('has no violations on the visitor pages, including a form showing errors', async () => {
    await asVisitor(async (page) => {
      for (const path of ['/', '/sign-in', '/sign-up', '/forgot-password', '/no-such-page']) {
        await page.goto(path);
        assert.deepEqual(await accessibilityViolations(page), [], path);
      }
      await page.goto('/sign-up');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      assert.deepEqual(await accessibilityViolations(page), [], 'sign-up with errors');
    });
  });

  it('has no violations on the signed-in and admin pages', async () => {
    const admin = await createUser({ roles: ['staff', 'admin'], name: 'Axe Admin' });
    await asVisitor(async (page) => {
      await signInThroughForm(page, admin);
      for (const path of ['/account', '/account/password', '/account/email', '/admin/users', `/admin/users/${admin.id}`, '/admin/audit']) {
        await page.goto(path);
        assert.deepEqual(await accessibilityViolations(page), [], path);
      }
    });
  });
});
