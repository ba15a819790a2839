import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { mainNav, openPage, screenshotIfAsked, signInThroughForm, useBrowserAndApp, watchForProblems } from '../helpers/browser.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser } from '../helpers/users.ts';

/** Pages in Chromium with public/js/live.js: what a visitor sees change without reloading. */
describe('browser: pages update live', () => {
  const suite = useBrowserAndApp();

  /**
   * Sockets of this app in a room (the page's script has connected and joined). A page left behind
   * may keep its socket until the server notices it is gone, so a user's room may hold more than one.
   */
  const socketsIn = (room: string) => suite.app.realtime.io.of('/').adapter.rooms.get(room)?.size ?? 0;

  it('shows a visitor new vote counts, new ideas and a phase change on the challenge page', async () => {
    const { id, staff } = await createChallenge(suite.app, { phase: 'open', form: { title: 'Live challenge' } });
    const author = actorFor(await createUser({ name: 'Ada Author' }));
    const first = ideaForm({ title: 'Already there' });
    const { ideaId } = await suite.app.services.ideas.createIdea(author, id, ideaInput.parse(first), first);

    const { context, page } = await openPage(suite.browser, suite.app.url);
    const problems = watchForProblems(page);
    try {
      await page.goto(`/challenges/${id}`);
      await eventually(async () => socketsIn(`challenge:${id}`) === 1, 'the page joining its challenge’s room');
      const count = page.locator(`[data-vote-count="${ideaId}"]`);
      assert.match((await count.textContent()) ?? '', /^0 votes · Ada Author/);

      await suite.app.services.votes.castVote(actorFor(await createUser({ name: 'Val Voter' })), ideaId);
      await count.filter({ hasText: '1 vote' }).waitFor();

      const second = ideaForm({ title: 'Came in while reading' });
      await suite.app.services.ideas.createIdea(actorFor(await createUser({ name: 'Bo Later' })), id, ideaInput.parse(second), second);
      const news = page.getByRole('status').filter({ hasText: '1 new idea — reload' });
      await news.waitFor();

      await suite.app.services.challenges.movePhase(staff, id, 'curation', 'enough ideas');
      await page.getByRole('status').filter({ hasText: 'This challenge has moved to “Curation”.' }).waitFor();
      await screenshotIfAsked(page, 'live-challenge');

      await news.getByRole('button', { name: 'reload' }).click();
      await page.getByRole('heading', { level: 3, name: 'Came in while reading' }).waitFor();
      assert.deepEqual(problems, [], 'no script or CSP errors');
    } finally {
      await context.close();
    }
  });

  it('keeps the unread count in a signed-in member’s header and an idea page’s votes current', async () => {
    const member = await createUser({ name: 'Nell Notified' });
    const { id } = await createChallenge(suite.app, { phase: 'open' });
    const form = ideaForm({ title: 'Watched closely' });
    const { ideaId } = await suite.app.services.ideas.createIdea(actorFor(await createUser({ name: 'Ida Idea' })), id, ideaInput.parse(form), form);

    const { context, page } = await openPage(suite.browser, suite.app.url);
    const problems = watchForProblems(page);
    try {
      await signInThroughForm(page, member);
      await page.goto(`/ideas/${ideaId}`);
      await eventually(async () => socketsIn(`idea:${ideaId}`) === 1 && socketsIn(`user:${member.id}`) >= 1, 'the page joining the idea’s and the member’s rooms');

      await suite.app.services.notifications.notify([member.id], { kind: 'phase_changed', text: 'Something moved', link: '/' });
      await mainNav(page).getByRole('link', { name: 'Notifications 1 unread' }).waitFor();

      await suite.app.services.votes.castVote(actorFor(await createUser({ name: 'Vic Voter' })), ideaId);
      await page.locator(`[data-vote-count="${ideaId}"]`).filter({ hasText: '1 vote' }).waitFor();
      assert.deepEqual(problems, [], 'no script or CSP errors');
    } finally {
      await context.close();
    }
  });
});
