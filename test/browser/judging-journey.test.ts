import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { Appeal } from '../../src/features/judging/appeals.model.ts';
import { Scorecard, scorecardId } from '../../src/features/judging/judging.model.ts';
import { accessibilityViolations, asSignedIn, mainNav, screenshotIfAsked, useBrowserAndApp } from '../helpers/browser.ts';
import { actorFor } from '../helpers/challenges.ts';
import { challengeInJudging } from '../helpers/judging.ts';
import { createUser } from '../helpers/users.ts';

type User = Awaited<ReturnType<typeof createUser>>;

const day = 24 * 60 * 60 * 1000;
// The test schedule runs judging from day 21 and results from day 31: appeals fit between.
const startAppeals = new Date(Date.now() + 26 * day).toISOString().slice(0, 16);

// Impact (weight 2) and Feasibility (weight 1), both 1–5, as in the test challenge. The ideas'
// true order is 1 > 2 > 3 > 4; the lenient judge adds 1 to every score, the harsh one takes 1 off.
const TRUTH = [
  [5, 4],
  [4, 3],
  [3, 2],
  [2, 2],
] as const;
const shift = (score: number, by: number) => Math.max(1, Math.min(5, score + by));
/** The weighted total on 0–100: (2·(impact−1)/4 + (feasibility−1)/4) / 3. */
const totalOf = (impact: number, feasibility: number) => Math.round(((2 * (impact - 1) + (feasibility - 1)) / 12) * 1000) / 10;

/** The spin button of a criterion on a scorecard (its label starts with the criterion's name). */
const scoreField = (page: Page, criterion: 'Impact' | 'Feasibility') => page.getByRole('spinbutton', { name: new RegExp(`^${criterion} `) });

/** The flash message after a redirect. */
const notice = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text }).waitFor();

describe('browser: three judges score a shortlist, an author appeals, staff announce winners', () => {
  const suite = useBrowserAndApp();

  const as = (browser: Browser, user: User, act: (page: Page, problems: string[]) => Promise<void>) => asSignedIn(browser, suite.app.url, user, act);

  it('scores by hand, ranks raw against calibrated, answers an appeal and announces the winners', async () => {
    const suffix = randomBytes(4).toString('hex');
    const challengeTitle = `Greener commutes ${suffix}`;
    const challenge = await challengeInJudging(suite.app, { ideas: 4, judges: 3, perIdea: 3, form: { title: challengeTitle, appealsEnabled: 'on', start_appeals: startAppeals } });
    const { id: challengeId, ideaIds } = challenge;
    const [fair, lenient, harsh] = challenge.judges as [User, User, User];
    const titles = ideaIds.map((_, n) => `Shortlisted idea ${n + 1}`);
    const judgingPath = `/challenges/${challengeId}/judging`;
    const staff = await createUser({ roles: ['staff'], name: `Sam Staff ${suffix}` });

    const comments = { fair: 'Clear plan; the pilot numbers convinced me.', lenient: 'Overall, the lenient view.', harsh: 'Overall, the harsh view.' };
    const notes = { fair: 'Between us: the budget line looks optimistic.', lenient: 'Private note of the lenient judge.', harsh: 'Private note of the harsh judge.' };

    /**
     * A judge opens "Judging" from the nav, then each assigned idea's scorecard, types the scores
     * (the true ones shifted by `by`, within 1–5) and a comment by keyboard, and submits it. With
     * `refuseFirst`, the first scorecard is first submitted without Feasibility.
     */
    async function scoreInBrowser(judge: User, kind: keyof typeof comments, by: number, checks: { refuseFirst?: boolean; notesFrom?: Array<keyof typeof notes> } = {}) {
      await as(suite.browser, judge, async (page, problems) => {
        await mainNav(page).getByRole('link', { name: 'Judging' }).click();
        await page.getByRole('heading', { level: 1, name: 'Your judging' }).waitFor();
        await page.getByRole('link', { name: challengeTitle }).click();
        await page.waitForURL(judgingPath);
        await page.getByText('0 of 4 (4 to go)').waitFor();

        for (const [n, ideaId] of ideaIds.entries()) {
          const [impact, feasibility] = TRUTH[n]!.map((score) => shift(score, by)) as [number, number];
          const refuse = checks.refuseFirst && n === 0;
          await page.getByRole('main').getByRole('link', { name: titles[n]!, exact: true }).click();
          await page.waitForURL(`${judgingPath}/ideas/${ideaId}`);
          await page.getByRole('heading', { level: 1, name: titles[n]! }).waitFor();
          const others = page.getByRole('complementary', { name: 'Notes from the other judges' });
          for (const other of checks.notesFrom ?? []) await others.getByText(notes[other]).waitFor();
          if (refuse) {
            await screenshotIfAsked(page, 'judging-scorecard');
            assert.deepEqual(await accessibilityViolations(page), [], 'the scorecard page');
          }
          // The mouse into the score, then the keyboard: the score, Tab to its comment.
          await scoreField(page, 'Impact').click();
          await page.keyboard.type(String(impact));
          await page.keyboard.press('Tab');
          await page.keyboard.type(`Impact ${n + 1}, the ${kind} view.`);
          if (!refuse) {
            await scoreField(page, 'Feasibility').click();
            await page.keyboard.type(String(feasibility));
          }
          await page.getByLabel('Overall comment for the author').fill(comments[kind]);
          await page.getByLabel('Private note for the other judges').fill(notes[kind]);
          if (refuse) {
            await page.getByRole('button', { name: 'Submit scorecard' }).click();
            const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
            await summary.getByRole('link', { name: 'Score “Feasibility” before submitting.' }).waitFor();
            await page.locator('#score_1-error').filter({ hasText: 'Score “Feasibility” before submitting.' }).waitFor();
            assert.equal(await scoreField(page, 'Feasibility').getAttribute('aria-invalid'), 'true');
            assert.equal(await scoreField(page, 'Impact').inputValue(), String(impact), 'the typed score is kept');
            assert.equal(await page.getByLabel('Comment on Impact').inputValue(), `Impact ${n + 1}, the ${kind} view.`);
            assert.equal(await page.getByLabel('Private note for the other judges').inputValue(), notes[kind]);
            // Not submitted. The refusal itself stores nothing (test/integration/judging-scorecards.test.ts);
            // here the autosave may have stored a draft meanwhile, 2 s after the last keystroke
            // (under load the submit's click came later than that once).
            assert.notEqual((await Scorecard.findById(scorecardId(ideaId, judge.id)).lean())?.status, 'submitted', 'nothing was submitted');
            await screenshotIfAsked(page, 'judging-scorecard-refused');
            assert.deepEqual(await accessibilityViolations(page), [], 'the refused scorecard');
            // Typing the missing score autosaves a draft a moment later.
            await scoreField(page, 'Feasibility').click();
            await page.keyboard.type(String(feasibility));
            await page
              .locator('[data-autosave-status]')
              .filter({ hasText: /^Saved at / })
              .waitFor();
            const draft = await Scorecard.findById(scorecardId(ideaId, judge.id)).lean();
            assert.equal(draft?.status, 'draft');
            assert.deepEqual(
              draft?.criteria.map((criterion) => criterion.score),
              [impact, feasibility],
            );
          }
          await page.getByRole('button', { name: 'Submit scorecard' }).click();
          const last = n === ideaIds.length - 1;
          // Submitted: the judge's next unscored idea opens, until none is left.
          await page.waitForURL(last ? judgingPath : new RegExp(`${judgingPath}/ideas/[0-9a-f]{24}$`));
          await notice(page, `Scorecard submitted: ${totalOf(impact, feasibility)} out of 100.${last ? '' : ' Here is your next idea.'}`);
          if (!last) await page.goto(judgingPath);
        }
        await page.getByText('4 of 4').waitFor();
        assert.equal(await page.getByRole('main').getByText('Submitted', { exact: true }).count(), 4);
        // The refused submission's 400 is logged by Chromium as a failed resource: not a script problem.
        assert.deepEqual(
          problems.filter((problem) => problem !== 'Failed to load resource: the server responded with a status of 400 (Bad Request)'),
          [],
          `no script or CSP errors on the ${kind} judge’s pages`,
        );
      });
      const stored = await Promise.all(ideaIds.map((ideaId) => Scorecard.findById(scorecardId(ideaId, judge.id)).lean()));
      assert.deepEqual(
        stored.map((card) => [card?.status, card?.total, card?.privateNote]),
        TRUTH.map(([impact, feasibility]) => ['submitted', totalOf(shift(impact, by), shift(feasibility, by)), notes[kind]]),
      );
    }

    await scoreInBrowser(lenient, 'lenient', 1);
    await scoreInBrowser(harsh, 'harsh', -1);
    await scoreInBrowser(fair, 'fair', 0, { refuseFirst: true, notesFrom: ['lenient', 'harsh'] });
    assert.deepEqual(
      await Promise.all(ideaIds.map(async (ideaId) => (await Idea.findById(ideaId).lean())?.status)),
      ideaIds.map(() => 'scored'),
      'every judge scored every idea',
    );

    // Staff read the ranking: raw and calibrated ranks, intervals, agreement, each judge's leniency.
    await as(suite.browser, staff, async (page, problems) => {
      await page.goto(`/challenges/${challengeId}`);
      await page.getByRole('main').getByRole('link', { name: 'Judging', exact: true }).click();
      await page.waitForURL(judgingPath);
      await page.getByRole('link', { name: 'Ranking' }).click();
      await page.waitForURL(`${judgingPath}/results`);
      await page.getByRole('heading', { level: 1, name: 'Ranking' }).waitFor();
      await page.getByText('12 of 12 scorecards submitted.').waitFor();
      const ranking = page.locator('table[data-ranking]');
      const headers = await ranking.getByRole('columnheader').allInnerTexts();
      assert.ok(headers.includes('Raw mean (rank)') && headers.includes('Calibrated (rank)') && headers.includes('Rank interval'), `columns: ${headers.join(', ')}`);
      const rows = await ranking
        .locator('tbody tr')
        .evaluateAll((elements) => elements.map((row) => ({ ideaId: row.getAttribute('data-idea'), cells: [...row.children].map((cell) => (cell as HTMLElement).innerText.trim()) })));
      assert.deepEqual(
        rows.map((row) => row.ideaId),
        ideaIds,
        'best first, in the true order',
      );
      const ordinal = (n: number) => `${n}${['th', 'st', 'nd', 'rd'][n] ?? 'th'}`;
      for (const [n, { cells }] of rows.entries()) {
        const [finalRank, title, raw, calibrated, interval] = cells;
        assert.equal(finalRank, ordinal(n + 1));
        assert.equal(title, titles[n]);
        assert.match(raw!, new RegExp(`^\\d+\\.\\d \\(${ordinal(n + 1)}\\)$`), 'the raw rank');
        assert.match(calibrated!, new RegExp(`^-?\\d+\\.\\d \\(${ordinal(n + 1)}\\)$`), 'the calibrated rank');
        const bounds = /^between (\d+)\w\w and (\d+)\w\w$/.exec(interval!) ?? /^(\d+)\w\w for sure$/.exec(interval!);
        assert.ok(bounds, `an interval: ${interval}`);
        const [low, high] = [Number(bounds[1]), Number(bounds[2] ?? bounds[1])];
        assert.ok(low <= n + 1 && n + 1 <= high, `the interval ${interval} holds the rank ${n + 1}`);
      }
      // The raw means of the first idea: 91.7 (fair), 100 (lenient), 66.7 (harsh).
      assert.match(rows[0]!.cells[2]!, /^86\.1 /);
      const agreement = await page.locator('dt', { hasText: 'Agreement between judges' }).locator('xpath=following-sibling::dd[1]').innerText();
      const alpha = /Krippendorff’s alpha (-?\d\.\d\d)/.exec(agreement);
      assert.ok(alpha && Number(alpha[1]) <= 1, `the agreement: ${agreement}`);
      assert.match(agreement, /Kendall’s W 1\.00/, 'the judges order the ideas alike');
      const { agreement: computed } = await suite.app.services.results.ranking(actorFor(staff, ['staff']), challengeId);
      assert.equal(Number(alpha[1]), Number(computed.alpha?.toFixed(2)));

      const judgesTable = page.getByRole('table', { name: 'Each judge’s fitted leniency and spread' });
      const leniency = async (judge: User) =>
        Number(
          await judgesTable
            .getByRole('row')
            .filter({ has: page.getByRole('rowheader', { name: judge.name, exact: true }) })
            .getByRole('cell')
            .nth(1)
            .innerText(),
        );
      const [ofFair, ofLenient, ofHarsh] = [await leniency(fair), await leniency(lenient), await leniency(harsh)];
      assert.ok(ofLenient > ofFair && ofFair > ofHarsh, `leniency: lenient ${ofLenient}, fair ${ofFair}, harsh ${ofHarsh}`);
      await screenshotIfAsked(page, 'judging-ranking');
      assert.deepEqual(await accessibilityViolations(page), [], 'the ranking page');
      assert.deepEqual(problems, [], 'no script or CSP errors on the ranking');
    });

    // Appeals: the author of idea 2 reads the scores, anonymous, and appeals.
    await suite.app.services.challenges.movePhase(challenge.staff, challengeId, 'appeals', 'Judging done');
    const appealedId = ideaIds[1]!;
    const appealText = 'Feasibility: the pilot already ran for a month at no cost.';
    const feedbackPath = `/ideas/${appealedId}/feedback`;
    const author = challenge.authors[1]!;
    await as(suite.browser, author, async (page, problems) => {
      await mainNav(page).getByRole('link', { name: 'My ideas' }).click();
      const card = page
        .getByRole('main')
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { name: titles[1]!, exact: true }) });
      await card.getByRole('link', { name: 'The judges’ feedback' }).click();
      await page.waitForURL(feedbackPath);
      await page.getByRole('heading', { level: 1, name: 'The judges’ scores and comments' }).waitFor();
      // Scorecards best first: lenient 91.7, fair 66.7, harsh 41.7; the mean 66.7.
      assert.deepEqual(await page.locator('[data-feedback-card] h2').allInnerTexts(), ['Scorecard 1: 91.7 out of 100', 'Scorecard 2: 66.7 out of 100', 'Scorecard 3: 41.7 out of 100']);
      assert.equal(await page.locator('[data-mean-total]').innerText(), 'Mean total: 66.7 out of 100 from 3 scorecards.');
      const main = await page.getByRole('main').innerText();
      for (const text of [comments.fair, comments.lenient, 'Impact 2, the fair view.', 'Impact 2, the harsh view.']) assert.ok(main.includes(text), `the author reads “${text}”`);
      for (const text of Object.values(notes)) assert.ok(!main.includes(text), `no private note: “${text}”`);
      for (const judge of [fair, lenient, harsh]) assert.ok(!main.includes(judge.name), `judges stay anonymous: ${judge.name}`);

      await page.getByLabel('Your appeal').fill(appealText);
      await page.getByRole('button', { name: 'Send appeal' }).click();
      await notice(page, 'Appeal sent. A judge will answer; you will be notified.');
      await page.locator('[data-appeal]').getByText('A judge will answer; you will be notified.').waitFor();
      assert.deepEqual(problems, [], 'no script or CSP errors on the author’s pages');
    });
    assert.equal((await Appeal.findById(appealedId).lean())?.text, appealText);

    // The fair judge answers from the appeals page and raises Feasibility from 3 to 4.
    const answerText = 'Fair point: with the pilot done, feasibility goes up.';
    await as(suite.browser, fair, async (page, problems) => {
      await page.goto(judgingPath);
      await page.getByRole('main').getByRole('link', { name: 'Appeals' }).click();
      await page.waitForURL(`${judgingPath}/appeals`);
      await page.getByText('1 appeal, 1 waiting for an answer.').waitFor();
      const item = page.locator(`[data-appeal="${appealedId}"]`);
      await item.getByText(appealText).waitFor();
      await screenshotIfAsked(page, 'judging-appeals');
      assert.deepEqual(await accessibilityViolations(page), [], 'the appeals page');
      await item.getByLabel('Answer to the authors').fill(answerText);
      const feasibility = item.getByRole('spinbutton', { name: /^Feasibility/ });
      assert.equal(await feasibility.inputValue(), '3', 'the judge’s own score is shown');
      await feasibility.fill('4');
      await item.getByRole('button', { name: 'Send answer' }).click();
      await notice(page, 'Answer sent to the authors. Your total moved from 66.7 to 75.');
      await item.getByText(answerText).waitFor();
      assert.deepEqual(problems, [], 'no script or CSP errors on the appeals page');
    });
    const revised = await Scorecard.findById(scorecardId(appealedId, fair.id)).lean();
    assert.deepEqual([revised?.criteria.map((criterion) => criterion.score), revised?.total], [[4, 4], 75]);

    await as(suite.browser, author, async (page) => {
      await page.goto(feedbackPath);
      const answer = page.locator('[data-appeal-answer]');
      await answer.getByText(answerText).waitFor();
      await answer.getByText('The judge changed their score: 66.7 → 75 out of 100.').waitFor();
      assert.ok(!(await answer.innerText()).includes(fair.name), 'the answer is not signed');
    });

    // Staff keep the default tiers and announce; the challenge shows its results.
    await as(suite.browser, staff, async (page, problems) => {
      await page.goto(`/challenges/${challengeId}`);
      await page.getByRole('main').getByRole('link', { name: 'Judging', exact: true }).click();
      await page.getByRole('main').getByRole('link', { name: 'Winners' }).click();
      await page.waitForURL(`${judgingPath}/winners`);
      await page.getByRole('heading', { level: 1, name: 'Winners' }).waitFor();
      // The revised score counts: idea 2's mean is now (75 + 91.7 + 41.7) / 3. The raw mean is the
      // fourth column, beside the calibrated score that orders the ranking.
      const rows = page.getByRole('table', { name: 'The judges’ ranking' }).locator('tbody tr');
      const means = await rows.evaluateAll((cells) => cells.map((row) => (row.children[3] as HTMLElement).innerText));
      assert.deepEqual(means, ['86.1', '69.5', '41.7', '25.0'], 'each with one decimal, as the calibrated score beside it');
      const calibrated = await rows.evaluateAll((cells) => cells.map((row) => Number((row.children[2] as HTMLElement).innerText)));
      assert.deepEqual(
        [...calibrated].sort((a, b) => b - a),
        calibrated,
        'ranked by the calibrated score',
      );
      assert.equal(await page.getByRole('combobox', { name: /^First prize/ }).inputValue(), ideaIds[0], 'first prize to the first ranked');
      assert.equal(await page.getByRole('combobox', { name: /^Runner-up/ }).inputValue(), ideaIds[1]);
      await screenshotIfAsked(page, 'judging-winners');
      assert.deepEqual(await accessibilityViolations(page), [], 'the winners page');
      // A preview first: what everyone will read, to confirm or change.
      await page.getByRole('button', { name: 'Announce winners…' }).click();
      await page.getByRole('heading', { level: 1, name: 'Announce these winners?' }).waitFor();
      assert.match(await page.getByRole('region', { name: 'What everyone will read' }).innerText(), new RegExp(`First prize \\(€5,000\\): ${titles[0]}`));
      assert.deepEqual(await accessibilityViolations(page), [], 'the winners preview');
      await page.getByRole('button', { name: 'Confirm and announce' }).click();
      await page.waitForURL(`/challenges/${challengeId}#results`);
      await notice(page, 'Winners announced.');
      const results = page.getByRole('region', { name: 'Results' });
      await results.getByRole('link', { name: titles[0]! }).waitFor();
      assert.match(await results.getByRole('listitem').first().innerText(), new RegExp(`^First prize \\(€5,000\\): ${titles[0]} by Author 1$`));
      assert.match(await results.getByRole('listitem').nth(1).innerText(), new RegExp(`^Runner-up \\(€1,000\\): ${titles[1]} by Author 2$`));
      assert.deepEqual(problems, [], 'no script or CSP errors on the staff pages');
    });
    assert.deepEqual(await Promise.all(ideaIds.map(async (ideaId) => (await Idea.findById(ideaId).lean())?.status)), ['winner', 'winner', 'not-awarded', 'not-awarded']);

    await as(suite.browser, challenge.authors[0]!, async (page) => {
      await mainNav(page).getByRole('link', { name: 'My ideas' }).click();
      const card = page
        .getByRole('main')
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { name: titles[0]!, exact: true }) });
      assert.equal(await card.locator('.badge').innerText(), 'Winner');
    });

    // Every idea ends with an outcome its author can see: the two that won nothing say so, with the feedback.
    await as(suite.browser, challenge.authors[2]!, async (page) => {
      await mainNav(page).getByRole('link', { name: 'My ideas' }).click();
      const card = page
        .getByRole('main')
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { name: titles[2]!, exact: true }) });
      assert.equal(await card.locator('.badge').innerText(), 'Not among the winners');
      await card.getByText('it was not among the winners').waitFor();
      await card.getByRole('link', { name: 'The judges’ feedback' }).waitFor();
    });
    // Closed, nothing anywhere still promises a next step; the Outcomes page counts every idea.
    await suite.app.services.challenges.movePhase(challenge.staff, challenge.id, 'closed', 'All done');
    await as(suite.browser, challenge.authors[3]!, async (page) => {
      await page.goto(`/challenges/${challenge.id}/outcomes`);
      const counts = page.locator('[data-outcome-counts]');
      await counts.getByRole('row', { name: 'Winners 2', exact: true }).waitFor();
      await counts.getByRole('row', { name: 'Not among the winners 2', exact: true }).waitFor();
      await mainNav(page).getByRole('link', { name: 'My ideas' }).click();
      const text = await page.getByRole('main').innerText();
      assert.doesNotMatch(text, /results come when|it is in the running|will score it/i, 'no pending promise once the challenge is closed');
    });
  });
});
