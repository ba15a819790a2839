import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { winnersInput } from '../../src/features/judging/winners.schemas.ts';
import { accessibilityViolations, asSignedIn, useBrowserAndApp } from '../helpers/browser.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { decideIdea } from '../helpers/curation.ts';
import { eventually } from '../helpers/eventually.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser } from '../helpers/users.ts';

/** Words that promise a step still to come: none may remain once the challenge is closed. */
const PENDING_PROMISE = /will review|in the running|will score|results come|you will hear as it moves|submit it again/i;

/** An idea's card on "My ideas": its badge, next step and news, found by the idea's title. */
const cardOf = (page: Page, title: string) =>
  page
    .getByRole('main')
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: title, exact: true }) });

describe('browser: one challenge from draft to closed, every idea ending with an outcome its author reads', () => {
  const suite = useBrowserAndApp();

  it('tells the author the truth at each phase, and a final outcome for every idea once closed', async () => {
    const suffix = randomBytes(4).toString('hex');
    const [copilot, judge, author, productLead] = await Promise.all([
      createUser({ name: `Cora Copilot ${suffix}` }),
      createUser({ roles: ['staff'], name: `Jules Judge ${suffix}` }),
      createUser({ name: `Olive Outcome ${suffix}` }),
      createUser({ roles: ['staff'], name: `Priya Product ${suffix}` }),
    ]);
    const { id: challengeId, staff } = await createChallenge(suite.app, {
      phase: 'draft',
      form: { title: `Greener deliveries ${suffix}`, copilots: copilot.email, judges: judge.email, crowdSees: 'approved' },
    });
    const { challenges, ideas, merges, shortlist, scorecards, winners, backlogItems } = suite.app.services;
    const copilotActor = actorFor(copilot);
    await challenges.movePhase(staff, challengeId, 'open', 'The brief is ready');

    const titles = {
      rejected: `Paper receipts ${suffix}`,
      duplicate: `Reusable crates ${suffix}`,
      shipped: `Returnable packaging ${suffix}`,
      runnerUp: `Shared lockers ${suffix}`,
      notAwarded: `Bike couriers ${suffix}`,
      leftOff: `Night deliveries ${suffix}`,
    };
    const ids = {} as Record<keyof typeof titles, string>;
    for (const [key, title] of Object.entries(titles) as Array<[keyof typeof titles, string]>) {
      const body = ideaForm({ title });
      ids[key] = (await ideas.createIdea(actorFor(author), challengeId, ideaInput.parse(body), body)).ideaId;
    }

    const myIdeas = (act: (page: Page) => Promise<void>) =>
      asSignedIn(suite.browser, suite.app.url, author, async (page) => {
        await page.goto('/my/ideas');
        await page.getByRole('heading', { level: 1, name: 'My ideas' }).waitFor();
        await act(page);
      });

    // Open: nothing screened yet, then the copilot's decisions.
    await myIdeas(async (page) => {
      await cardOf(page, titles.shipped).getByText('The challenge’s copilots will review it.').waitFor();
    });
    await decideIdea(suite.app, copilotActor, challengeId, ids.rejected, 'reject', 'Receipts are out of scope here.');
    for (const key of ['duplicate', 'shipped', 'runnerUp', 'notAwarded', 'leftOff'] as const) await decideIdea(suite.app, copilotActor, challengeId, ids[key]);
    await merges.merge(copilotActor, challengeId, ids.duplicate, ids.shipped);
    await myIdeas(async (page) => {
      const rejected = cardOf(page, titles.rejected);
      await rejected.getByText('Not accepted', { exact: true }).waitFor();
      await rejected.getByText('Receipts are out of scope here.', { exact: false }).waitFor();
      await cardOf(page, titles.duplicate).getByText('Merged into another idea', { exact: true }).waitFor();
      await cardOf(page, titles.leftOff).getByText('It is in the running: the shortlist is built during curation.').waitFor();
    });

    // Curation builds the shortlist without the night deliveries; judging starts and leaves them off.
    await challenges.movePhase(staff, challengeId, 'curation', 'Screening is done');
    for (const key of ['shipped', 'runnerUp', 'notAwarded'] as const) await shortlist.add(copilotActor, challengeId, ids[key], '');
    await challenges.movePhase(staff, challengeId, 'judging', 'The shortlist is ready');
    await eventually(async () => (await suite.app.services.judging.read(challengeId)).assignments.length === 3, 'the shortlist assigned to the judge');
    await myIdeas(async (page) => {
      await cardOf(page, titles.leftOff).getByText('Not shortlisted', { exact: true }).waitFor();
      await cardOf(page, titles.notAwarded).getByText('The judges will score it during judging.').waitFor();
    });

    // The judge scores in the true order; the winners are announced (the challenge moves to decided).
    const order = [ids.shipped, ids.runnerUp, ids.notAwarded];
    for (const [n, ideaId] of order.entries()) {
      await scorecards.save(actorFor(judge, ['staff']), challengeId, ideaId, {
        criteria: [
          { score: 5 - n, comment: '' },
          { score: 5 - n, comment: '' },
        ],
        comment: n === 2 ? 'Good, but the others save more.' : 'Strong.',
        privateNote: '',
        submit: true,
      });
    }
    await winners.announce(staff, challengeId, winnersInput(2).parse({ intent: 'announce', idea_0: ids.shipped, idea_1: ids.runnerUp }));

    // The product team takes both winners forward: one ships, one is declined with a reason.
    const lead = actorFor(productLead, ['staff']);
    const { item: shippedItem } = await backlogItems.promote(lead, ids.shipped, 'product');
    for (const to of ['accepted', 'planned', 'in-progress'] as const) await backlogItems.move({ actor: lead, via: 'web' }, shippedItem.id, to, '');
    await backlogItems.move({ actor: lead, via: 'web' }, shippedItem.id, 'shipped', 'Live in forty stores since Monday.');
    const { item: declinedItem } = await backlogItems.promote(lead, ids.runnerUp, 'product');
    await backlogItems.move({ actor: lead, via: 'web' }, declinedItem.id, 'declined', 'Lockers cost more than they save this year.');
    await challenges.movePhase(staff, challengeId, 'closed', 'All done');

    // Closed: every idea shows its final outcome, and nothing promises a step still to come.
    await myIdeas(async (page) => {
      const expected: Array<[keyof typeof titles, string]> = [
        ['rejected', 'Not accepted'],
        ['duplicate', 'Merged into another idea'],
        ['shipped', 'Shipped'],
        ['runnerUp', 'Declined'],
        ['notAwarded', 'Not among the winners'],
        ['leftOff', 'Not shortlisted'],
      ];
      for (const [key, label] of expected) await cardOf(page, titles[key]).getByText(label, { exact: true }).first().waitFor();
      await cardOf(page, titles.shipped).getByText('Live in forty stores since Monday.', { exact: false }).waitFor();
      await cardOf(page, titles.runnerUp).getByText('Lockers cost more than they save this year.', { exact: false }).waitFor();
      const text = await page.getByRole('main').innerText();
      assert.doesNotMatch(text, PENDING_PROMISE, 'no pending promise once the challenge is closed');
      assert.deepEqual(await accessibilityViolations(page), [], 'My ideas with every outcome');

      // The declined idea's own page carries the team's reason; the merged one names its target.
      await page.goto(`/ideas/${ids.runnerUp}`);
      await page.getByRole('main').getByText('Lockers cost more than they save this year.', { exact: false }).first().waitFor();
      assert.doesNotMatch(await page.getByRole('main').innerText(), PENDING_PROMISE);
      await page.goto(`/ideas/${ids.duplicate}`);
      await page.getByRole('main').getByRole('link', { name: titles.shipped }).first().waitFor();

      // The Outcomes page counts every idea by its outcome; none is "still on its way".
      await page.goto(`/challenges/${challengeId}/outcomes`);
      const counts = Object.fromEntries(
        (await page.locator('[data-outcome-counts] tbody tr').allInnerTexts()).map((row) => {
          const [label, count] = row.split('\t');
          return [label!.trim(), Number(count)];
        }),
      );
      assert.deepEqual(counts, {
        Shipped: 1,
        'Declined by the team': 1,
        'Not among the winners': 1,
        'Not shortlisted': 1,
        'Not accepted': 1,
        'Merged into another idea': 1,
      });
    });
  });
});
