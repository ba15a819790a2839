import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { mainNav, openPage, openStaffTool, signInThroughForm, useBrowserAndApp } from '../helpers/browser.ts';
import { createUser } from '../helpers/users.ts';

describe('browser: an admin gives a user a role, and the audit log records it', () => {
  const suite = useBrowserAndApp();

  it('finds the user by the start of their name, ticks "specialist", saves, and sees the audit entry', async () => {
    const suffix = randomBytes(4).toString('hex');
    const admin = await createUser({ roles: ['staff', 'admin'], name: `Ada Admin ${suffix}`, email: `browser-admin-${suffix}@example.test` });
    const target = await createUser({ name: `Tamsin Target ${suffix}`, email: `browser-target-${suffix}@example.test` });

    // The target, a plain member, in a browser context of their own: no admin pages for them.
    const member = await openPage(suite.browser, suite.app.url);
    try {
      await signInThroughForm(member.page, target);
      assert.equal(await mainNav(member.page).getByRole('link', { name: 'Users' }).count(), 0);
      assert.equal(await mainNav(member.page).getByRole('link', { name: 'Audit log' }).count(), 0);
      assert.equal(await mainNav(member.page).getByText('Manage', { exact: true }).count(), 0, 'no staff menu for a member');
      const refused = await member.page.goto('/admin/users');
      assert.equal(refused?.status(), 403);
      await member.page.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();
    } finally {
      await member.context.close();
    }

    const { context, page } = await openPage(suite.browser, suite.app.url);
    try {
      await signInThroughForm(page, admin);
      await openStaffTool(page, 'Users');
      await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();

      await page.getByLabel('Search by name or email').fill('Tamsin');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL((url) => url.pathname === '/admin/users' && url.searchParams.get('q') === 'Tamsin');
      const results = page.getByRole('table');
      await results.getByRole('link', { name: target.name, exact: true }).waitFor();
      assert.equal(await results.getByRole('link', { name: admin.name, exact: true }).count(), 0, 'the search should leave out the admin');
      await results.getByRole('link', { name: target.name, exact: true }).click();

      await page.getByRole('heading', { level: 1, name: target.name }).waitFor();
      const specialist = page.getByRole('checkbox', { name: 'specialist', exact: true });
      assert.equal(await specialist.isChecked(), false);
      await specialist.check();
      await page.getByRole('button', { name: 'Save roles' }).click();

      await page.getByRole('status').filter({ hasText: 'Roles saved.' }).waitFor();
      assert.equal(await page.getByRole('checkbox', { name: 'specialist', exact: true }).isChecked(), true);
      assert.equal(await page.getByRole('checkbox', { name: 'staff', exact: true }).isChecked(), false);

      await openStaffTool(page, 'Audit log');
      await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      const entry = page.getByRole('row').filter({ hasText: 'Changed a person’s roles' }).filter({ hasText: target.email });
      await entry.waitFor();
      assert.equal(await entry.count(), 1);
      assert.match(await entry.innerText(), new RegExp(`${admin.name}[\\s\\S]*member, specialist`));
    } finally {
      await context.close();
    }
  });
});
