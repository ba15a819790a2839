import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { PendingDigest } from '../../src/features/notifications/notification.model.ts';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { mainNav, openPage, screenshotIfAsked, signInThroughForm, useBrowserAndApp, watchForProblems } from '../helpers/browser.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser } from '../helpers/users.ts';

/** The crowd at work, in Chromium: voting and discussing live, comparing ideas, following a challenge. */
describe('browser: the crowd votes, discusses, compares and follows', () => {
  const suite = useBrowserAndApp();

  /** Ids of the sockets in a room that belong to this user (a page's script has connected and joined). */
  async function socketsOf(room: string, userId: string): Promise<string[]> {
    const sockets = await suite.app.realtime.io.in(room).fetchSockets();
    return sockets.filter((socket) => (socket.data as { actor?: { id?: string } | null }).actor?.id === userId).map((socket) => socket.id);
  }

  /** Waits until a socket of this user, other than those in `before`, is in the room. */
  async function joined(room: string, userId: string, before: string[] = []): Promise<string[]> {
    let now: string[] = [];
    await eventually(async () => {
      now = await socketsOf(room, userId);
      return now.some((id) => !before.includes(id));
    }, `a page of ${userId} joining ${room}`);
    return now;
  }

  async function submittedIdea(challengeId: string, title: string, authorName: string) {
    const author = actorFor(await createUser({ name: authorName }));
    const form = ideaForm({ title, summary: `${title}, in short.` });
    const { ideaId } = await suite.app.services.ideas.createIdea(author, challengeId, ideaInput.parse(form), form);
    return ideaId;
  }

  it('shows one member another’s vote and comment on the same idea without a reload', async () => {
    const suffix = randomBytes(4).toString('hex');
    const { id: challengeId } = await createChallenge(suite.app, { phase: 'open', form: { title: `Crowded challenge ${suffix}` } });
    const ideaTitle = `Shared shuttle ${suffix}`;
    const ideaId = await submittedIdea(challengeId, ideaTitle, `Ivo Idea ${suffix}`);
    const memberA = await createUser({ name: `Alma Alpha ${suffix}` });
    const memberB = await createUser({ name: `Bert Beta ${suffix}` });
    const room = `idea:${ideaId}`;
    const commentText = `Count me in for the shuttle ${suffix}`;

    const a = await openPage(suite.browser, suite.app.url);
    const b = await openPage(suite.browser, suite.app.url);
    const problemsA = watchForProblems(a.page);
    const problemsB = watchForProblems(b.page);
    try {
      await signInThroughForm(a.page, memberA);
      await signInThroughForm(b.page, memberB);
      await a.page.goto(`/ideas/${ideaId}`);
      await b.page.goto(`/ideas/${ideaId}`);
      await a.page.getByRole('heading', { level: 1, name: ideaTitle }).waitFor();
      await b.page.getByRole('heading', { level: 1, name: ideaTitle }).waitFor();
      const socketsA = await joined(room, memberA.id);
      await joined(room, memberB.id);
      const countB = b.page.locator(`[data-vote-count="${ideaId}"]`);
      assert.equal(await countB.innerText(), '0 votes');

      // A votes (the form posts and A's page loads again); B's page follows along.
      await a.page.getByRole('button', { name: 'Vote for this idea' }).click();
      await a.page.getByRole('status').filter({ hasText: 'Thank you for your vote.' }).waitFor();
      await a.page
        .locator(`[data-vote-count="${ideaId}"]`)
        .filter({ hasText: /^1 vote$/ })
        .waitFor();
      await countB.filter({ hasText: /^1 vote$/ }).waitFor();
      await a.page.getByRole('button', { name: 'Withdraw my vote' }).waitFor();

      // A's reloaded page is listening again before B comments.
      await joined(room, memberA.id, socketsA);
      await b.page.getByLabel('Add a comment').fill(commentText);
      await b.page.getByRole('button', { name: 'Post comment' }).click();
      await b.page.getByRole('status').filter({ hasText: 'Your comment is posted.' }).waitFor();
      await b.page.getByRole('paragraph').filter({ hasText: commentText }).waitFor();

      const news = a.page.locator(`[data-live-new-comments="${ideaId}"]`).filter({ hasText: '1 new comment — reload' });
      await news.waitFor();
      assert.equal(await a.page.getByRole('paragraph').filter({ hasText: commentText }).count(), 0, 'the comment itself arrives only with the reload');
      await screenshotIfAsked(a.page, 'crowd-new-comment');
      await news.getByRole('button', { name: 'reload' }).click();
      await a.page.getByRole('paragraph').filter({ hasText: commentText }).waitFor();
      await a.page.getByRole('heading', { level: 2, name: 'Discussion (1)' }).waitFor();
      assert.equal(await a.page.locator(`[data-vote-count="${ideaId}"]`).innerText(), '1 vote');

      // B votes from the challenge's list: the page stays (a mark set on it survives), the button turns, the count follows.
      await b.page.goto(`/challenges/${challengeId}`);
      await b.page.evaluate(() => Object.assign(window, { stayedOnPage: true }));
      await b.page.getByRole('button', { name: `Vote for “${ideaTitle}”` }).click();
      await b.page.getByRole('button', { name: `Voted ✓ (withdraw my vote for “${ideaTitle}”)` }).waitFor();
      await b.page
        .locator(`[data-vote-count="${ideaId}"]`)
        .filter({ hasText: /^2 votes · / })
        .waitFor();
      assert.equal(await b.page.evaluate(() => (window as unknown as { stayedOnPage?: boolean }).stayedOnPage), true, 'voted in place, without a reload');
      assert.equal((await Idea.findById(ideaId).lean())?.voteCount, 2);

      assert.deepEqual(problemsA, [], 'no script or CSP errors on A’s page');
      assert.deepEqual(problemsB, [], 'no script or CSP errors on B’s page');
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });

  it('suggests the idea’s people after "@" in a comment, inserts the one chosen, and highlights the mention once posted', async () => {
    const suffix = randomBytes(4).toString('hex');
    const { id: challengeId } = await createChallenge(suite.app, { phase: 'open', form: { title: `Mentioned challenge ${suffix}` } });
    const author = `Ulla Author ${suffix}`;
    const ideaId = await submittedIdea(challengeId, `Quiet hours ${suffix}`, author);
    const member = await createUser({ name: `Milo Mention ${suffix}` });

    const { context, page } = await openPage(suite.browser, suite.app.url);
    const problems = watchForProblems(page);
    try {
      await signInThroughForm(page, member);
      await page.goto(`/ideas/${ideaId}`);
      const box = page.getByLabel('Add a comment');
      const asked = page.waitForResponse((response) => response.url().includes(`/ideas/${ideaId}/mentions?q=Ull`));
      // Typed key by key, as a person does: the script reacts to each input event.
      await box.pressSequentially('Agreed, @Ull');
      const suggestion = page.getByRole('group', { name: 'People you can mention' }).getByRole('button', { name: `@${author}` });
      await suggestion.waitFor();
      assert.deepEqual(await (await asked).json(), { names: [author] }, 'only the idea’s author matches "Ull"');
      await suggestion.click();
      assert.equal(await box.inputValue(), `Agreed, @${author} `, 'the whole name replaces what was typed');
      await box.pressSequentially('what do you think?');
      await page.getByRole('button', { name: 'Post comment' }).click();
      await page.getByRole('status').filter({ hasText: 'Your comment is posted.' }).waitFor();
      const mention = page.locator('.comment .mention', { hasText: `@${author}` });
      await mention.waitFor();
      assert.equal(await mention.count(), 1, 'the mention is set apart in the posted comment');
      assert.deepEqual(problems, [], 'no script or CSP errors');
    } finally {
      await context.close();
    }
  });

  it('moves the crowd score of the idea a member keeps preferring', async () => {
    const suffix = randomBytes(4).toString('hex');
    const { id: challengeId } = await createChallenge(suite.app, { phase: 'open', form: { title: `Compared challenge ${suffix}` } });
    const favourite = `Favourite plan ${suffix}`;
    const favouriteId = await submittedIdea(challengeId, favourite, `Fay First ${suffix}`);
    await submittedIdea(challengeId, `Second plan ${suffix}`, `Sam Second ${suffix}`);
    await submittedIdea(challengeId, `Third plan ${suffix}`, `Tia Third ${suffix}`);
    const member = await createUser({ name: `Cora Comparer ${suffix}` });

    const { context, page } = await openPage(suite.browser, suite.app.url);
    try {
      await signInThroughForm(page, member);
      await page.goto(`/challenges/${challengeId}`);
      await page.getByRole('link', { name: 'Compare ideas' }).click();
      await page.getByRole('heading', { level: 1, name: 'Compare ideas' }).waitFor();

      // (Chromium names the buttons "This one : <title>": the visually hidden span counts as a block.)
      // Three ideas make three pairs: the favourite wins both of its pairs; the third is decided left.
      let favouriteWins = 0;
      for (let answered = 0; answered < 3; answered++) {
        const buttons = page.getByRole('button', { name: /^This one\s*:\s/ });
        await buttons.first().waitFor();
        assert.equal(await buttons.count(), 2);
        const favouriteButton = page.getByRole('button', { name: new RegExp(`^This one\\s*:\\s*${favourite}$`) });
        if (await favouriteButton.count()) {
          await favouriteButton.click();
          favouriteWins++;
        } else {
          await buttons.first().click();
        }
        await page.getByRole('status').filter({ hasText: 'Thank you: your answer is counted.' }).waitFor();
        if (answered < 2) await page.getByText(`You have answered ${answered + 1} pair`).waitFor();
      }
      await page.getByText('Nothing left to compare: you have answered every pair you can here (3 pairs).').waitFor();
      assert.equal(favouriteWins, 2, 'the favourite was in two of the three pairs');

      await page.goto(`/ideas/${favouriteId}`);
      await page.getByRole('heading', { level: 1, name: favourite }).waitFor();
      const crowd = page.getByText(/^Crowd score \d+ out of 100/);
      await crowd.waitFor();
      await screenshotIfAsked(page, 'crowd-score');
      const text = await crowd.innerText();
      const score = Number(/^Crowd score (\d+)/.exec(text)?.[1]);
      assert.ok(score > 50, `the favourite's crowd score should be above 50: "${text}"`);
      assert.match(text, /from 2 comparisons/);
    } finally {
      await context.close();
    }
  });

  it('tells a follower of a challenge in the app, then in a daily digest once they choose it', async () => {
    const suffix = randomBytes(4).toString('hex');
    const challengeTitle = `Followed challenge ${suffix}`;
    const { id: challengeId, staff } = await createChallenge(suite.app, { phase: 'open', form: { title: challengeTitle } });
    const staffActor = actorFor(staff, ['staff']);
    const follower = await createUser({ name: `Fern Follower ${suffix}` });

    const { context, page } = await openPage(suite.browser, suite.app.url);
    const problems = watchForProblems(page);
    try {
      await signInThroughForm(page, follower);
      await page.goto(`/challenges/${challengeId}`);
      await page.getByRole('heading', { level: 1, name: challengeTitle }).waitFor();
      await page.getByRole('button', { name: 'Follow', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'You will be told when this moves on.' }).waitFor();
      await page.getByRole('button', { name: /^Following ✓/ }).waitFor();
      await joined(`user:${follower.id}`, follower.id);
      assert.equal(await mainNav(page).getByRole('link', { name: 'Notifications', exact: true }).count(), 1, 'nothing unread yet');

      await suite.app.services.challenges.movePhase(staffActor, challengeId, 'curation', 'Thanks');
      // The header's count arrives live (the page is not reloaded).
      const inboxLink = mainNav(page).getByRole('link', { name: 'Notifications 1 unread' });
      await inboxLink.waitFor();
      await inboxLink.click();
      await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
      await page.getByRole('button', { name: `Unread: “${challengeTitle}” moved to Curation: Thanks`, exact: true }).waitFor();
      await screenshotIfAsked(page, 'crowd-inbox');

      // "What we tell you": phase changes by daily digest from now on.
      await page.goto('/account/notifications');
      await page.getByRole('heading', { level: 1, name: 'What we tell you' }).waitFor();
      // Each radio of the table is named by its row and its column.
      const phaseByDigest = page.getByRole('radio', { name: 'A challenge you follow moves to its next phase Daily email digest', exact: true });
      await phaseByDigest.check();
      await page.getByRole('button', { name: 'Save choices' }).click();
      await page.getByRole('status').filter({ hasText: 'Your choices are saved.' }).waitFor();
      assert.ok(await phaseByDigest.isChecked(), 'the choice is kept');

      await suite.app.services.challenges.movePhase(staffActor, challengeId, 'open', 'One more week');
      // Queued for the digest (the subscriber runs after movePhase returns).
      await eventually(async () => ((await PendingDigest.findById(follower.id).lean())?.seqs.length ?? 0) > 0, 'the notification waiting for the digest');
      const sent = await suite.app.services.notifications.runDailyDigests(new Date('2032-01-01T08:00:00Z'));
      assert.ok(sent >= 1, `digests sent: ${sent}`);
      const digest = await suite.app.smtp.waitForMail(follower.email, /Your Cocreate digest/);
      assert.equal(digest.subject, 'Your Cocreate digest: 1 update');
      assert.ok(digest.text.includes(`“${challengeTitle}” moved to Open for ideas: One more week`), digest.text);
      assert.ok(digest.text.includes(`${suite.app.url}/challenges/${challengeId}`), 'the digest links to the challenge');

      // The digested notification is in the app too.
      await page.goto('/notifications');
      await page.getByRole('button', { name: `Unread: “${challengeTitle}” moved to Open for ideas: One more week`, exact: true }).waitFor();
      assert.deepEqual(problems, [], 'no script or CSP errors');
    } finally {
      await context.close();
    }
  });
});
