import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { accessibilityViolations, mainNav, openPage, screenshotIfAsked, signInThroughForm, useBrowserAndApp } from '../helpers/browser.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { PDF } from '../helpers/files.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { linkIn } from '../helpers/mail.ts';
import { createUser } from '../helpers/users.ts';

const NEXT_STEP_SUBMITTED = 'The challenge’s copilots will review it. You can still edit it while the challenge is open.';

/** An open challenge with terms, a required choice field and an optional number field. */
async function openChallenge(suite: ReturnType<typeof useBrowserAndApp>, title: string) {
  return createChallenge(suite.app, {
    phase: 'open',
    form: {
      title,
      summary: 'Tell us what would make reporting painless.',
      terms: 'You grant us a licence to use your idea.',
      fields: 'Platform | choice | required | Web, iOS, Android\nBudget | number | optional',
    },
  });
}

/** The card of an idea on "My ideas". */
function myIdeaCard(page: Page, title: string) {
  return page
    .getByRole('main')
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

describe('browser: a customer writes an idea with a co-author, submits it and edits it', () => {
  const suite = useBrowserAndApp();

  it('finds the open challenge, sees a similar idea while typing, saves a private draft, submits, edits, and the co-author joins', async (t) => {
    const suffix = randomBytes(4).toString('hex');
    const customer = await createUser({ name: `Carla Customer ${suffix}` });
    const coAuthor = await createUser({ name: `Otto Coauthor ${suffix}` });
    const challengeTitle = `Painless reporting ${suffix}`;
    const { id: challengeId } = await openChallenge(suite, challengeTitle);
    // Another challenge, no longer taking ideas: the phase filter leaves it out.
    const curatingTitle = `Already curating ${suffix}`;
    await createChallenge(suite.app, { phase: 'curation', form: { title: curatingTitle } });

    // Someone else already submitted a near-duplicate of what the customer is about to write.
    const earlier = await createUser({ name: `Erin Earlier ${suffix}` });
    const similarTitle = 'Export monthly reports to a spreadsheet';
    const seeded = ideaForm({ title: similarTitle, summary: 'One click, every month.' });
    await suite.app.services.ideas.createIdea(actorFor(earlier), challengeId, ideaInput.parse(seeded), seeded);

    const title = 'Exporting reports to a spreadsheet';
    const editedTitle = 'Exporting reports to a shared workbook';
    const { context, page } = await openPage(suite.browser, suite.app.url);
    try {
      await signInThroughForm(page, customer);
      await mainNav(page).getByRole('link', { name: 'Challenges', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Challenges' }).waitFor();
      await page.getByLabel('Phase').selectOption({ label: 'Open for ideas' });
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL((url) => url.searchParams.get('phase') === 'open');
      await page.getByRole('link', { name: challengeTitle, exact: true }).waitFor();
      assert.equal(await page.getByRole('link', { name: curatingTitle }).count(), 0, 'the filter should leave out a challenge in curation');
      await page.getByRole('link', { name: challengeTitle, exact: true }).click();

      await page.getByRole('heading', { level: 1, name: challengeTitle }).waitFor();
      await page.getByRole('link', { name: 'Submit an idea' }).click();
      await page.getByRole('heading', { level: 1, name: 'Your idea' }).waitFor();

      // Typed key by key, as a person would: the suggestion comes from the form's script.
      const suggestions = page.locator('[data-similar-for="title"]');
      assert.equal(await suggestions.getByRole('link').count(), 0, 'no suggestion before a title is typed');
      await page.getByLabel('Title', { exact: true }).pressSequentially(title);
      await suggestions.getByText('Is yours one of these?').waitFor();
      await suggestions.getByRole('link', { name: similarTitle, exact: true }).waitFor();
      await screenshotIfAsked(page, 'idea-form');
      assert.deepEqual(await accessibilityViolations(page), [], 'the idea form with a suggestion');

      await page.getByLabel('Summary').fill('Send the monthly report as a spreadsheet to whoever needs it.');
      await page.getByLabel('Description').fill('Finance asks for it **every month**.');
      await page.getByLabel('Platform').selectOption('iOS');
      await page.getByLabel('Invite co-authors').fill(coAuthor.email);
      await page.getByLabel('Attachments').setInputFiles({ name: 'plan.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.getByRole('button', { name: 'Save draft' }).click();

      await page.waitForURL(/\/ideas\/[0-9a-f]{24}\/edit$/);
      await page.getByRole('status').filter({ hasText: 'Draft saved' }).waitFor();
      await page.getByRole('heading', { level: 1, name: 'Edit your idea' }).waitFor();
      const ideaPath = new URL(page.url()).pathname.replace(/\/edit$/, '');
      // What was typed is all there, and the file is attached.
      assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), title);
      assert.equal(await page.getByLabel('Platform').inputValue(), 'iOS');
      await page.getByRole('link', { name: 'plan.pdf' }).waitFor();

      // A draft is its author's alone: a visitor is told it does not exist.
      const visitor = await openPage(suite.browser, suite.app.url);
      try {
        const response = await visitor.page.goto(ideaPath);
        assert.equal(response?.status(), 404);
        await visitor.page.getByRole('alert').filter({ hasText: 'We could not find that idea.' }).waitFor();
        assert.equal(await visitor.page.getByText(title).count(), 0);
      } finally {
        await visitor.context.close();
      }

      await page.getByLabel('I accept the terms').check();
      await page.getByRole('button', { name: 'Submit idea' }).click();
      await page.waitForURL((url) => url.pathname === ideaPath);
      await page.getByRole('status').filter({ hasText: 'Your idea is submitted' }).waitFor();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.getByText(NEXT_STEP_SUBMITTED).waitFor();
      const attachment = page.getByRole('region', { name: 'Attachments' }).getByRole('link', { name: 'plan.pdf' });
      await attachment.waitFor();
      const download = await page.request.get((await attachment.getAttribute('href')) ?? '');
      assert.equal(download.status(), 200);
      assert.equal(download.headers()['content-type'], 'application/pdf');
      await screenshotIfAsked(page, 'idea-page');
      assert.deepEqual(await accessibilityViolations(page), [], 'the idea page');

      // An edit of the submitted idea is kept as a revision.
      await page.getByRole('link', { name: 'Edit idea' }).click();
      await page.getByRole('heading', { level: 1, name: 'Edit your idea' }).waitFor();
      await page.getByLabel('Title', { exact: true }).fill(editedTitle);
      await page.getByRole('button', { name: 'Save changes' }).click();
      // The notice after saving (whichever page it is on) says the save went through. (The idea
      // page has other, empty live regions for live updates: the notice is the one with text.)
      const savedNotice = await page.locator('.notice[role="status"]').innerText();
      const savedAt = new URL(page.url()).pathname;
      await t.test('saving changes to a submitted idea returns to the idea and does not call it a private draft', () => {
        assert.equal(savedAt, ideaPath);
        assert.doesNotMatch(savedNotice, /Draft saved|Only you can see it/);
      });
      await page.goto(ideaPath);
      await page.getByRole('heading', { level: 1, name: editedTitle }).waitFor();
      await page.getByRole('link', { name: 'Changes (1)' }).click();
      await page.getByRole('heading', { level: 1, name: `Changes to “${editedTitle}”` }).waitFor();
      const titleDiff = page.locator('h3', { hasText: /^Title$/ }).locator('+ p.diff');
      await titleDiff.locator('del').first().waitFor();
      // Without the insertions the line reads as the old title; without the deletions, as the new.
      const versions = await titleDiff.evaluate((element) => {
        // (No named functions in here: the test runner's transpiler would wrap them in a helper the page lacks.)
        const [before, after] = ['ins', 'del'].map((tag) => {
          const copy = element.cloneNode(true) as HTMLElement;
          copy.querySelectorAll(tag).forEach((node) => node.remove());
          return copy.textContent;
        });
        return { before, after, removed: [...element.querySelectorAll('del')].map((node) => node.textContent) };
      });
      assert.deepEqual(versions, { before: title, after: editedTitle, removed: ['spreadsheet'] });

      // The co-author follows the link in the invitation, in a browser of their own.
      const invitation = await suite.app.smtp.waitForMail(coAuthor.email, /invited you to co-author/);
      const coAuthorBrowser = await openPage(suite.browser, suite.app.url);
      try {
        const { page: coPage } = coAuthorBrowser;
        await signInThroughForm(coPage, coAuthor);
        await coPage.goto(linkIn(invitation, `${suite.app.url}/ideas/`));
        await coPage.getByRole('heading', { level: 1, name: editedTitle }).waitFor();
        const invite = coPage.getByRole('region', { name: 'You are invited to co-author this idea' });
        await invite.getByRole('button', { name: 'Accept' }).click();
        await coPage.getByRole('status').filter({ hasText: 'You are now a co-author of this idea.' }).waitFor();
        await coPage.getByText(`By ${customer.name}, ${coAuthor.name}`).waitFor();
        assert.equal(await invite.count(), 0);

        await mainNav(coPage).getByRole('link', { name: 'My ideas' }).click();
        await coPage.getByRole('heading', { level: 1, name: 'My ideas' }).waitFor();
        await myIdeaCard(coPage, editedTitle).getByRole('link', { name: editedTitle }).waitFor();
      } finally {
        await coAuthorBrowser.context.close();
      }

      // Back to the customer: "My ideas" says where the idea stands and what comes next.
      await mainNav(page).getByRole('link', { name: 'My ideas' }).click();
      await page.getByRole('heading', { level: 1, name: 'My ideas' }).waitFor();
      const card = myIdeaCard(page, editedTitle);
      await card.waitFor();
      assert.equal(await card.locator('.badge').innerText(), 'Submitted');
      await card.getByText(NEXT_STEP_SUBMITTED).waitFor();
      await card.getByRole('link', { name: challengeTitle }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('saves a draft by itself while the author types, and lists it under My ideas', async () => {
    const suffix = randomBytes(4).toString('hex');
    const author = await createUser({ name: `Avery Autosave ${suffix}` });
    const { id: challengeId } = await openChallenge(suite, `Autosaved ideas ${suffix}`);
    const title = `Half-written thought ${suffix}`;
    const { context, page } = await openPage(suite.browser, suite.app.url);
    try {
      // The form saves every 20 s: a fake clock, installed before the page loads, skips the wait.
      await page.clock.install();
      await signInThroughForm(page, author);
      await page.goto(`/challenges/${challengeId}/ideas/new`);
      await page.getByRole('heading', { level: 1, name: 'Your idea' }).waitFor();
      await page.getByLabel('Title', { exact: true }).fill(title);
      await page.getByLabel('Summary').fill('Not finished yet.');
      const status = page.locator('[data-autosave-status]');
      assert.equal(await status.innerText(), '');

      await page.clock.runFor(21_000);
      await status.getByText(/^Draft saved at /).waitFor();

      await page.goto('/my/ideas');
      const card = myIdeaCard(page, title);
      await card.waitFor();
      assert.equal(await card.locator('.badge').innerText(), 'Draft');
      await card.getByText('Only you can see it. Submit it while the challenge is open.').waitFor();
    } finally {
      await context.close();
    }
  });
});
