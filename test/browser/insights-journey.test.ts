import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { User } from '../../src/features/accounts/user.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { InsightDay } from '../../src/features/insights/insights.model.ts';
import type { Actor } from '../../src/shared/actor.ts';
import type { TestApp } from '../helpers/app.ts';
import { accessibilityViolations, openPage, openStaffTool, screenshotIfAsked, signInThroughForm, useBrowserAndApp, watchForProblems } from '../helpers/browser.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { eventually } from '../helpers/eventually.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser } from '../helpers/users.ts';

/** The figures of one segment, in the order of the segment table's columns after "People". */
type Count = {
  people: number;
  visitors: number;
  participants: number;
  started: number;
  submitted: number;
  approved: number;
  shortlisted: number;
  winners: number;
  promoted: number;
  shipped: number;
  votes: number;
  comments: number;
  pairwiseWins: number;
};
const SEGMENT_COLUMNS = [
  'Segment',
  'People',
  'Visitors',
  'Participants',
  'Ideas started',
  'Submitted',
  'Approved',
  'Shortlisted',
  'Winners',
  'Promoted',
  'Shipped',
  'Votes',
  'Comments',
  'Pairwise wins',
];
const cellsOf = (count: Count) => Object.values(count).map(String);

// Retail (6 people) and Healthcare (5) stand on their own; Finance (3) must be folded into "Other".
const SEGMENTS = { Retail: 6, Healthcare: 5, Finance: 3 } as const;
type Segment = keyof typeof SEGMENTS;
// How many of each segment's ideas are approved (the first ones).
const APPROVED: Record<Segment, number> = { Retail: 3, Healthcare: 2, Finance: 1 };

/** Each row of a table on the page: its row header, then its cells. */
const tableRows = (page: Page, id: string) =>
  page.locator(`#table-${id} tbody tr`).evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').trim())));

/** The count cell of a step of the people or the ideas funnel. */
async function funnelCount(page: Page, step: string): Promise<string> {
  const row = [...(await tableRows(page, 'funnel-people')), ...(await tableRows(page, 'funnel'))].find((cells) => cells[0] === step);
  assert.ok(row, `the funnel step ${step}`);
  return row[1]!;
}

/**
 * A challenge built through the services: 14 people in 3 segments each submit an idea, some are
 * approved, voted on and commented, and the first Retail idea is shortlisted, promoted and shipped.
 * Returns the hand count of what was made, per segment.
 */
async function seededChallenge(app: TestApp, staffActor: Actor, suffix: string, shippedNote: string) {
  const title = `Calmer checkouts ${suffix}`;
  const { id } = await createChallenge(app, { phase: 'open', staff: staffActor, form: { title } });
  const { ideas, votes, comments, challenges, shortlist, backlogItems } = app.services;
  const hand = {} as Record<Segment, Count>;
  const people = {} as Record<Segment, Array<{ actor: Actor; id: string; name: string }>>;
  const ideasOf = {} as Record<Segment, string[]>;
  for (const [segment, count] of Object.entries(SEGMENTS) as Array<[Segment, number]>) {
    // Keys in the order of the table's columns (cellsOf reads them in order).
    hand[segment] = {
      people: count,
      visitors: 0,
      participants: count,
      started: count,
      submitted: count,
      approved: APPROVED[segment],
      shortlisted: 0,
      winners: 0,
      promoted: 0,
      shipped: 0,
      votes: 0,
      comments: 0,
      pairwiseWins: 0,
    };
    people[segment] = [];
    ideasOf[segment] = [];
    for (let n = 0; n < count; n++) {
      const user = await createUser({ name: `${segment} member ${n + 1} ${suffix}` });
      // The profile is set before the person acts: the counters take the segment at the time.
      await User.updateOne({ _id: user.id }, { $set: { profile: { segment, region: 'Europe', customerTier: 'premium' } } });
      people[segment].push({ actor: actorFor(user), id: user.id, name: user.name });
      const body = ideaForm({ title: `${segment} idea ${n + 1} ${suffix}`, tags: 'checkout' });
      const { ideaId } = await ideas.createIdea(actorFor(user), id, ideaInput.parse(body), body);
      ideasOf[segment].push(ideaId);
    }
    for (const ideaId of ideasOf[segment].slice(0, APPROVED[segment])) await approveIdea(app, staffActor, id, ideaId);
  }

  // Every Healthcare member votes for the first Retail idea; a Retail member for the first Healthcare one.
  for (const voter of people.Healthcare) await votes.castVote(voter.actor, ideasOf.Retail[0]!);
  hand.Healthcare.votes += people.Healthcare.length;
  await votes.castVote(people.Retail[0]!.actor, ideasOf.Healthcare[0]!);
  hand.Retail.votes += 1;
  for (const author of people.Finance.slice(0, 2)) await comments.addComment(author.actor, ideasOf.Retail[1]!, { body: 'Good one.' });
  hand.Finance.comments += 2;
  await comments.addComment(people.Retail[1]!.actor, ideasOf.Healthcare[0]!, { body: 'We need this too.' });
  hand.Retail.comments += 1;

  // The first Retail idea: shortlisted during curation, promoted, and moved along to shipped.
  const shippedId = ideasOf.Retail[0]!;
  await challenges.movePhase(staffActor, id, 'curation', 'test setup');
  await shortlist.add(staffActor, id, shippedId, 'Clear win');
  const { item } = await backlogItems.promote(staffActor, shippedId, 'product');
  const mover = { actor: staffActor, via: 'web' as const };
  await backlogItems.move(mover, item.id, 'accepted', 'On the roadmap.');
  await backlogItems.move(mover, item.id, 'planned', '');
  await backlogItems.move(mover, item.id, 'in-progress', '');
  await backlogItems.move(mover, item.id, 'shipped', shippedNote);
  assert.equal((await Idea.findById(shippedId).lean())?.status, 'shipped');
  Object.assign(hand.Retail, { shortlisted: 1, promoted: 1, shipped: 1 });

  return { id, title, hand, people, shippedId, shippedTitle: `Retail idea 1 ${suffix}` };
}

/** The challenge's counters summed over its day documents. */
async function counters(challengeId: string): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  for (const doc of await InsightDay.find({ _id: new RegExp(`^${challengeId}:`) }).lean()) {
    for (const [key, n] of Object.entries(doc.c as Record<string, number>)) totals[key] = (totals[key] ?? 0) + n;
  }
  return totals;
}

describe('browser: staff read a challenge’s insights, filter by a segment, download a table and open a person', () => {
  const suite = useBrowserAndApp();

  it('shows the hand-counted figures, folds a 3-person segment, downloads the CSV and follows a name to a shipped idea', async () => {
    const suffix = randomBytes(4).toString('hex');
    const staff = await createUser({ roles: ['staff'], name: `Sam Staff ${suffix}` });
    const shippedNote = `Released in 4.2 (${suffix}): a calmer checkout.`;
    const challenge = await seededChallenge(suite.app, actorFor(staff, ['staff']), suffix, shippedNote);
    const { hand } = challenge;
    const total = (field: keyof Count) => Object.values(hand).reduce((sum, count) => sum + count[field], 0);

    const { context, page } = await openPage(suite.browser, suite.app.url);
    const problems = watchForProblems(page);
    try {
      await signInThroughForm(page, staff);
      await page.goto(`/challenges/${challenge.id}`);
      await page.getByRole('heading', { level: 1, name: challenge.title }).waitFor();
      // The counters are written by event subscribers (the visit too, in the background): wait for
      // them before the first insights page, which is then cached for a few seconds.
      await eventually(async () => {
        const c = await counters(challenge.id);
        return (
          c['visitors|*'] === 1 &&
          c['participants|*'] === total('participants') &&
          c['approved|*'] === total('approved') &&
          c['votes|*'] === total('votes') &&
          c['comments|*'] === total('comments') &&
          c['shipped|*'] === 1
        );
      }, 'the insights counters');

      await page
        .getByRole('link', { name: 'Insights', exact: true })
        .and(page.locator(`[href="/challenges/${challenge.id}/insights"]`))
        .click();
      await page.waitForURL(`/challenges/${challenge.id}/insights`);
      await page.getByRole('heading', { level: 1, name: 'Insights' }).waitFor();
      assert.equal(await funnelCount(page, 'Visitors'), '1', 'the staff member’s visit');
      assert.equal(await funnelCount(page, 'Submitted'), String(total('submitted')));
      assert.equal(await funnelCount(page, 'Approved'), String(total('approved')));
      assert.equal(await funnelCount(page, 'Shipped'), '1');

      // Retail and Healthcare as counted by hand; Finance (3) and "not stated" (the visiting staff
      // member) folded into Other, whose people read "fewer than 5" and whose figures are withheld.
      const segmentRows = await tableRows(page, 'segment');
      assert.deepEqual(segmentRows, [
        ['Retail', ...cellsOf(hand.Retail)],
        ['Healthcare', ...cellsOf(hand.Healthcare)],
        ['Other (Finance, not stated)', 'fewer than 5', ...Array(12).fill('—')],
      ]);
      assert.ok(!segmentRows.some((cells) => cells[0] === 'Finance'), 'the 3-person segment never shows on its own');
      await screenshotIfAsked(page, 'insights');
      assert.deepEqual(await accessibilityViolations(page), [], 'the insights page');

      // Filter by Retail with the form: the funnel shows that segment's counts.
      await page.getByLabel('Segment', { exact: true }).selectOption('Retail');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(/\/insights\?segment=Retail/);
      assert.equal(await funnelCount(page, 'Participants'), String(hand.Retail.participants));
      assert.equal(await funnelCount(page, 'Submitted'), String(hand.Retail.submitted));
      assert.equal(await funnelCount(page, 'Approved'), String(hand.Retail.approved));
      assert.equal(await funnelCount(page, 'Shipped'), String(hand.Retail.shipped));
      assert.equal(await page.getByLabel('Segment', { exact: true }).inputValue(), 'Retail');
      assert.deepEqual(await accessibilityViolations(page), [], 'the filtered insights page');

      // The segment table's CSV (its link carries the filter) parses back to the same figures.
      const caption = await page.locator('#table-segment caption').innerText();
      const downloading = page.waitForEvent('download');
      // (Chromium names the link "Download CSV : caption": its hidden part is laid out as a block.)
      await page
        .getByRole('link', { name: /^Download CSV/ })
        .filter({ hasText: caption })
        .click();
      const download = await downloading;
      assert.match(download.suggestedFilename(), /-segment\.csv$/);
      assert.match(download.url(), /\/insights\/segment\.csv\?segment=Retail$/);
      const records = parse(await readFile(await download.path(), 'utf8'), { bom: true }) as string[][];
      assert.deepEqual(records, [SEGMENT_COLUMNS, ...segmentRows]);

      // The People section: follow the shipped idea's author into the individual view.
      const author = challenge.people.Retail[0]!;
      await page.getByRole('region', { name: 'People' }).getByRole('link', { name: author.name, exact: true }).click();
      await page.waitForURL(`/people/${author.id}`);
      await page.getByRole('heading', { level: 1, name: author.name }).waitFor();
      const card = page.locator(`[data-idea="${challenge.shippedId}"]`);
      // Its title with its status badge, then its own path, then the backlog item it feeds.
      await card.getByRole('heading', { level: 3, name: `${challenge.shippedTitle} Shipped`, exact: true }).waitFor();
      await card.getByRole('heading', { level: 4, name: `In the backlog: ${challenge.shippedTitle} Shipped`, exact: true }).waitFor();
      const path = await card.locator('ol.history').first().locator('li strong').allInnerTexts();
      assert.deepEqual(path, ['Draft', 'Submitted', 'Approved', 'Shortlisted', 'In the backlog', 'Shipped'], 'the idea’s own path, to shipped');
      await card.locator('ol.history').first().getByText(shippedNote).waitFor();
      const itemHistory = await card.locator('ol.history').nth(1).locator('li').allInnerTexts();
      assert.ok(itemHistory.at(-1)?.startsWith('Shipped') && itemHistory.at(-1)?.endsWith(shippedNote), `the backlog item's last move: ${itemHistory.at(-1)}`);
      await screenshotIfAsked(page, 'insights-person');
      assert.deepEqual(await accessibilityViolations(page), [], 'the individual view');

      // Insights across challenges, from the main navigation.
      await openStaffTool(page, 'Insights');
      await page.waitForURL('/insights');
      await page.getByRole('heading', { level: 1, name: 'Insights across challenges' }).waitFor();
      // Its table of challenges that produced shipped work has this one: 1 shipped of 1 backlog item.
      assert.deepEqual(
        (await tableRows(page, 'shipped-by-challenge')).find((cells) => cells[0] === challenge.title),
        [challenge.title, '1', '1'],
      );
      await screenshotIfAsked(page, 'insights-across');
      assert.deepEqual(await accessibilityViolations(page), [], 'the across-challenges page');
      assert.deepEqual(problems, [], 'no script or CSP errors on the insights pages');
    } finally {
      await context.close();
    }
  });
});
