import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Shortlist } from '../../src/features/curation/shortlist.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import type { Actor } from '../../src/shared/actor.ts';
import { accessibilityViolations, asSignedIn, mainNav, openPage, screenshotIfAsked, signInThroughForm, useBrowserAndApp, watchForProblems } from '../helpers/browser.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

type User = Awaited<ReturnType<typeof createUser>>;

/** The card of an idea on "My ideas". */
function myIdeaCard(page: Page, title: string) {
  return page
    .getByRole('main')
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

/** Whether the element is the one with the keyboard focus. */
const isFocused = (locator: ReturnType<Page['locator']>) => locator.evaluate((element) => element === document.activeElement);

describe('browser: a copilot curates a challenge by keyboard', () => {
  const suite = useBrowserAndApp();

  /** An open challenge whose crowd sees approved ideas only, hiding an idea at three reports, with this copilot. */
  async function curatedChallenge(title: string, copilot: User) {
    return createChallenge(suite.app, { phase: 'open', form: { title, crowdSees: 'approved', reportThreshold: '3', copilots: copilot.email } });
  }

  async function submittedIdea(challengeId: string, author: Actor, title: string) {
    const form = ideaForm({ title, summary: `${title}, in short.` });
    const { ideaId } = await suite.app.services.ideas.createIdea(author, challengeId, ideaInput.parse(form), form);
    return ideaId;
  }

  const statusOf = async (ideaId: string) => (await Idea.findById(ideaId).lean())?.status;

  /** Opens "My ideas" as the author, with cookies of their own (see asSignedIn); `check` looks at the page. */
  async function asAuthor(browser: Browser, author: User, check: (page: Page) => Promise<void>) {
    await asSignedIn(browser, suite.app.url, author, async (page) => {
      await mainNav(page).getByRole('link', { name: 'My ideas' }).click();
      await page.getByRole('heading', { level: 1, name: 'My ideas' }).waitFor();
      await check(page);
    });
  }

  it('screens a queue, merges and unmerges a duplicate, restores a hidden idea and builds a shortlist; the authors see each outcome', async () => {
    const suffix = randomBytes(4).toString('hex');
    const copilot = await createUser({ name: `Cora Copilot ${suffix}` });
    const challengeTitle = `Better office days ${suffix}`;
    const { id: challengeId, staff } = await curatedChallenge(challengeTitle, copilot);
    const [ana, ben, cleo] = await Promise.all(['Ana Author', 'Ben Builder', 'Cleo Creator'].map((name) => createUser({ name: `${name} ${suffix}` })));
    const [anaActor, benActor, cleoActor] = [ana!, ben!, cleo!].map((user) => actorFor(user));

    // Waiting, oldest first: A, B, C. D (a near-duplicate of A), E and R are approved already.
    const titles = {
      a: 'Shared shuttle bus to the office',
      b: 'Quiet rooms for focused work',
      c: 'Free ice cream on Fridays',
      d: 'Shared shuttle bus to the office on Mondays',
      e: 'Bike repair corner in the garage',
      r: 'Standing desks for everyone',
    };
    const a = await submittedIdea(challengeId, anaActor!, titles.a);
    const b = await submittedIdea(challengeId, benActor!, titles.b);
    const c = await submittedIdea(challengeId, cleoActor!, titles.c);
    const d = await submittedIdea(challengeId, benActor!, titles.d);
    const e = await submittedIdea(challengeId, anaActor!, titles.e);
    const r = await submittedIdea(challengeId, cleoActor!, titles.r);
    for (const ideaId of [d, e, r]) await approveIdea(suite.app, staff, challengeId, ideaId);
    // Two members vote for the duplicate (their votes move with a merge); three report R, which hides it.
    const members = await Promise.all([1, 2, 3].map((n) => createUser({ name: `Member ${n} ${suffix}` })));
    for (const member of members.slice(0, 2)) await suite.app.services.votes.castVote(actorFor(member), d);
    for (const member of members) {
      const client = await signedInClient(suite.app.url, member);
      const reported = await client.submit(`/ideas/${r}`, `/ideas/${r}/reports`, { targetType: 'idea', reason: 'spam' });
      assert.equal(reported.status, 303);
    }
    assert.equal((await Idea.findById(r).lean())?.hidden?.cause, 'reports', 'three reports hide R');

    const changesMessage = 'Please say how many rooms and where they would go.';
    const queuePath = `/challenges/${challengeId}/curation`;
    const itemPath = (ideaId: string) => `${queuePath}/ideas/${ideaId}`;
    const { context, page } = await openPage(suite.browser, suite.app.url);
    const problems = watchForProblems(page);
    const visitor = await openPage(suite.browser, suite.app.url);
    try {
      await signInThroughForm(page, copilot);
      await page.goto(queuePath);
      await page.getByRole('heading', { level: 1, name: 'Screening queue' }).waitFor();
      await page.getByText('3 ideas waiting, oldest first').waitFor();
      await screenshotIfAsked(page, 'curation-queue');
      assert.deepEqual(await accessibilityViolations(page), [], 'the screening queue');

      // n opens the oldest waiting idea; a approves it and the next one opens.
      await page.keyboard.press('n');
      await page.waitForURL(itemPath(a));
      await page.getByRole('heading', { level: 1, name: titles.a }).waitFor();
      await page.getByText('Idea 1 of 3 waiting').waitFor();
      await screenshotIfAsked(page, 'curation-item');
      assert.deepEqual(await accessibilityViolations(page), [], 'the screening page of an idea');
      await page.keyboard.press('a');
      await page.waitForURL(itemPath(b));
      await page.getByRole('heading', { level: 1, name: titles.b }).waitFor();
      await page
        .getByRole('status')
        .filter({ hasText: `“${titles.a}” is approved.` })
        .waitFor();
      assert.equal(await statusOf(a), 'approved');

      // c chooses "request changes" and goes to its canned responses; the copilot tabs to the message, writes it and sends it.
      await page.keyboard.press('c');
      assert.ok(await page.getByRole('radio', { name: /^Request changes/ }).isChecked(), 'c chooses the outcome');
      assert.ok(await isFocused(page.locator('#decision-response')), 'c focuses the canned responses');
      assert.ok(await page.locator('#decision-reason').isHidden(), 'the reason belongs to a rejection only');
      await page.keyboard.press('Tab');
      assert.ok(await isFocused(page.locator('#decision-message')));
      await page.keyboard.type(changesMessage);
      await page.keyboard.press('Tab');
      assert.ok(await isFocused(page.getByRole('button', { name: 'Send back to the author' })));
      await page.keyboard.press('Enter');
      await page.waitForURL(itemPath(c));
      await page.getByRole('heading', { level: 1, name: titles.c }).waitFor();
      assert.equal(await statusOf(b), 'changes-requested');

      // r chooses a rejection and goes to the reason; arrow keys choose it and a canned response (only rejections are offered), whose text fills the message.
      await page.keyboard.press('r');
      assert.ok(await isFocused(page.locator('#decision-reason')), 'r focuses the reason');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.locator('#decision-reason').inputValue(), 'off-topic');
      await page.keyboard.press('Tab');
      assert.ok(await isFocused(page.locator('#decision-response')));
      assert.deepEqual(await page.locator('#decision-response optgroup').evaluateAll((groups) => groups.map((group) => group.getAttribute('label'))), ['Reject']);
      await page.keyboard.press('ArrowDown');
      const rejectMessage = page.locator('#decision-message');
      assert.equal(await rejectMessage.inputValue(), `Hi ${cleo!.name}, thank you for “${titles.c}”. It falls outside what ${challengeTitle} asks for, so we cannot take it forward here.`);
      await page.keyboard.press('Tab');
      assert.ok(await isFocused(rejectMessage));
      await page.keyboard.press('Tab');
      assert.ok(await isFocused(page.getByRole('button', { name: 'Reject' })));
      await page.keyboard.press('Enter');
      await page.waitForURL(queuePath);
      await page
        .getByRole('status')
        .filter({ hasText: `“${titles.c}” is rejected. Nothing else is waiting.` })
        .waitFor();
      const rejected = await Idea.findById(c).lean();
      assert.equal(rejected?.status, 'rejected');
      assert.equal(rejected?.decision?.reason, 'off-topic');
      assert.match(rejected?.decision?.message ?? '', new RegExp(`^Hi ${cleo!.name}, `));

      // The target before any merge: no votes, no contributors.
      const targetVotes = page.locator(`[data-vote-count="${a}"]`);
      const contributors = page.locator('[data-contributors]');
      await page.goto(`/ideas/${a}`);
      assert.equal(await targetVotes.innerText(), '0 votes');
      assert.equal(await contributors.count(), 0);

      // m, on the duplicate's screening page, goes to the merge button of its likeliest duplicate.
      await page.goto(itemPath(d));
      await page.getByRole('heading', { level: 1, name: titles.d }).waitFor();
      await page.keyboard.press('m');
      const mergeButton = page.getByRole('button', { name: `Merge this idea into “${titles.a}”` });
      assert.ok(await isFocused(mergeButton), 'm focuses the merge into A');
      const asked = new Promise<string>((resolve) => page.once('dialog', (dialog) => void dialog.accept().then(() => resolve(dialog.message()))));
      await page.keyboard.press('Enter');
      assert.match(await asked, new RegExp(`^Merge “${titles.d}” into “${titles.a}”\\?`), 'the merge is confirmed first');
      await page.waitForURL(queuePath);
      assert.equal(await statusOf(d), 'merged');
      await page.getByText(`“${titles.d}” is merged into “${titles.a}”`).waitFor();
      assert.equal(await page.getByRole('link', { name: 'Undo' }).getAttribute('href'), `/ideas/${d}#merged-into`, 'the notice survives the redirect, with its undo');
      await page.goto(`/ideas/${a}`);
      assert.equal(await targetVotes.innerText(), '2 votes', 'the duplicate’s votes count on the target');
      assert.equal(await contributors.innerText(), `Contributors: ${ben!.name} (from ${titles.d})`);

      // Unmerged from the duplicate's own page: the target is as it was.
      await page.goto(`/ideas/${d}`);
      await page.locator('[data-merged-into]').getByText(`Merged into ${titles.a}`).waitFor();
      await page.getByRole('button', { name: 'Unmerge' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `“${titles.d}” stands on its own again` })
        .waitFor();
      assert.equal(await statusOf(d), 'approved');
      await page.goto(`/ideas/${a}`);
      assert.equal(await targetVotes.innerText(), '0 votes');
      assert.equal(await contributors.count(), 0);

      // Merged again, side by side this time: it stays merged for its author to see.
      await page.goto(`${queuePath}/compare?left=${d}&right=${a}`);
      await page.getByRole('heading', { level: 1, name: 'Compare two ideas' }).waitFor();
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Merge left into right' }).click();
      await page.waitForURL(queuePath);
      assert.equal(await statusOf(d), 'merged');
      await page.goto(`/ideas/${a}`);
      assert.equal(await targetVotes.innerText(), '2 votes');

      // The hidden idea: a visitor reads a placeholder until the copilot restores it.
      await visitor.page.goto(`/ideas/${r}`);
      await visitor.page.getByRole('heading', { level: 1, name: 'Hidden idea' }).waitFor();
      await page.goto(queuePath);
      await page.getByRole('navigation', { name: 'Curation' }).getByRole('link', { name: 'Reports' }).click();
      await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
      const reportItem = page.locator(`[data-report="idea:${r}"]`);
      assert.equal(await reportItem.locator('[data-report-count]').innerText(), '3 reports');
      await screenshotIfAsked(page, 'curation-reports');
      assert.deepEqual(await accessibilityViolations(page), [], 'the reports page');
      await reportItem.getByRole('button', { name: 'Restore' }).click();
      await page.getByRole('status').filter({ hasText: 'Restored: the idea is visible to the crowd again' }).waitFor();
      assert.equal(await reportItem.count(), 0);
      await visitor.page.goto(`/ideas/${r}`);
      await visitor.page.getByRole('heading', { level: 1, name: titles.r }).waitFor();

      // Curation: two approved ideas go on the shortlist with notes, then the second moves up.
      await suite.app.services.challenges.movePhase(actorFor(staff, ['staff']), challengeId, 'curation', 'Submissions closed');
      await page.getByRole('navigation', { name: 'Curation' }).getByRole('link', { name: 'Shortlist' }).click();
      await page.getByRole('heading', { level: 1, name: 'Shortlist' }).waitFor();
      const notes = { [e]: 'Cheap to try in one garage first.', [r]: 'Popular once restored; check the budget.' };
      for (const [ideaId, title] of [
        [e, titles.e],
        [r, titles.r],
      ] as const) {
        await page.locator(`#add-note-${ideaId}`).fill(notes[ideaId]!);
        await page.getByRole('button', { name: `Add “${title}” to the shortlist` }).click();
        await page
          .getByRole('status')
          .filter({ hasText: `“${title}” is on the shortlist.` })
          .waitFor();
      }
      await page.getByRole('button', { name: `Move “${titles.r}” up` }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `“${titles.r}” moved up.` })
        .waitFor();
      const rows = page.locator('[data-shortlist] [data-entry]');
      assert.deepEqual(await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-entry'))), [r, e]);
      assert.equal(await page.locator(`#note-${e}`).inputValue(), notes[e]);
      assert.equal(await page.locator(`#note-${r}`).inputValue(), notes[r]);
      assert.deepEqual(
        ((await Shortlist.findById(challengeId).lean())?.entries ?? []).map((entry) => [String(entry.ideaId), entry.note]),
        [
          [r, notes[r]],
          [e, notes[e]],
        ],
      );
      // Dragging a row's number above another puts the list in the new order at once, without a reload.
      await page.locator(`#entry-${e} [data-position]`).dragTo(page.locator(`#entry-${r} [data-position]`), { targetPosition: { x: 4, y: 2 } });
      await page.getByRole('status').filter({ hasText: 'The shortlist is in its new order.' }).waitFor();
      assert.deepEqual(await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-entry'))), [e, r]);
      assert.deepEqual(
        ((await Shortlist.findById(challengeId).lean())?.entries ?? []).map((entry) => String(entry.ideaId)),
        [e, r],
      );
      await screenshotIfAsked(page, 'curation-shortlist');
      assert.deepEqual(await accessibilityViolations(page), [], 'the shortlist page');
      assert.deepEqual(problems, [], 'no script or CSP errors on the copilot’s pages');
    } finally {
      await context.close();
      await visitor.context.close();
    }

    // Each author sees where their ideas stand.
    const badge = (page: Page, title: string) => myIdeaCard(page, title).locator('.badge').innerText();
    await asAuthor(suite.browser, ana!, async (page) => {
      assert.equal(await badge(page, titles.a), 'Approved');
      await myIdeaCard(page, titles.a).getByText('It is in the running: the shortlist is built during curation.').waitFor();
      assert.equal(await badge(page, titles.e), 'Shortlisted');
      await myIdeaCard(page, titles.e).getByText('The judges will score it during judging.').waitFor();
    });
    await asAuthor(suite.browser, ben!, async (page) => {
      assert.equal(await badge(page, titles.b), 'Changes requested');
      await myIdeaCard(page, titles.b).getByText(`${copilot.name} sent it back for changes: “${changesMessage}”`).waitFor();
      assert.equal(await badge(page, titles.d), 'Merged into another idea');
      await myIdeaCard(page, titles.d).getByText('It was combined with a similar idea; you are credited there.').waitFor();
    });
    await asAuthor(suite.browser, cleo!, async (page) => {
      assert.equal(await badge(page, titles.c), 'Not accepted');
      const decision = await myIdeaCard(page, titles.c).getByText(`${copilot.name} rejected it`).innerText();
      assert.equal(
        decision,
        `${copilot.name} rejected it (Outside what this challenge asks for): “Hi ${cleo!.name}, thank you for “${titles.c}”. It falls outside what ${challengeTitle} asks for, so we cannot take it forward here.”`,
      );
      assert.equal(await badge(page, titles.r), 'Shortlisted');
    });
  });

  it('approves 20 ideas in a row with 21 keystrokes after opening the queue', async () => {
    const suffix = randomBytes(4).toString('hex');
    const copilot = await createUser({ name: `Kim Keys ${suffix}` });
    const { id: challengeId } = await curatedChallenge(`Twenty in a row ${suffix}`, copilot);
    const authors = await Promise.all([1, 2].map((n) => createUser({ name: `Writer ${n} ${suffix}` })));
    const ideaIds: string[] = [];
    for (let n = 1; n <= 20; n++) ideaIds.push(await submittedIdea(challengeId, actorFor(authors[n % 2]!), `Idea number ${n} about ${['lunch', 'parking', 'plants', 'lighting'][n % 4]}`));

    const queuePath = `/challenges/${challengeId}/curation`;
    const { context, page } = await openPage(suite.browser, suite.app.url);
    const problems = watchForProblems(page);
    try {
      await signInThroughForm(page, copilot);
      // Every page of this tab counts the keys it receives, in the tab's session storage.
      await context.addInitScript(() => {
        document.addEventListener('keydown', () => sessionStorage.setItem('keystrokes', String(Number(sessionStorage.getItem('keystrokes') ?? 0) + 1)), true);
      });
      await page.goto(queuePath);
      await page.getByText('20 ideas waiting, oldest first').waitFor();
      await page.evaluate(() => sessionStorage.setItem('keystrokes', '0'));

      await page.keyboard.press('n');
      for (const [index, ideaId] of ideaIds.entries()) {
        await page.waitForURL(`${queuePath}/ideas/${ideaId}`);
        await page.getByText(`Idea 1 of ${20 - index} waiting`).waitFor();
        await page.keyboard.press('a');
      }
      await page.waitForURL(queuePath);
      await page.getByRole('status').filter({ hasText: 'Nothing else is waiting.' }).waitFor();
      const keystrokes = Number(await page.evaluate(() => sessionStorage.getItem('keystrokes')));

      const statuses = await Promise.all(ideaIds.map(statusOf));
      assert.deepEqual(
        statuses,
        ideaIds.map(() => 'approved'),
        'all 20 are approved',
      );
      console.log(`approving 20 ideas took ${keystrokes} keystrokes after opening the queue`);
      assert.equal(keystrokes, 21, 'n once, then a once per idea');
      assert.deepEqual(problems, [], 'no script or CSP errors');
    } finally {
      await context.close();
    }
  });
});
