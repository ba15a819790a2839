import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { accessibilityViolations, openPage, screenshotIfAsked, signInThroughForm, useBrowserAndApp, watchForProblems } from '../helpers/browser.ts';
import { challengeInJudging } from '../helpers/judging.ts';
import { createUser } from '../helpers/users.ts';

// Impact (weight 2) and Feasibility (weight 1), 1–5. Idea 1 is far ahead, 2 and 3 fight for the
// second prize (the test challenge has two), 4 and 5 are far behind. Judge A adds 1 to
// Feasibility, judge C takes 1 off: the ranking has to learn that before it is sure.
const TRUTH = [
  [5, 4],
  [4, 3],
  [3, 3],
  [2, 1],
  [1, 2],
] as const;
const OFFSET = [1, 0, -1];
const clamp = (score: number) => Math.max(1, Math.min(5, score));

describe('browser: three judges pull scorecards until the winners are settled', () => {
  const suite = useBrowserAndApp();

  it('hands out the next idea to whoever asks, and the confidence line moves until staff stop judging', async () => {
    const challenge = await challengeInJudging(suite.app, { ideas: 5, judges: 3, mode: 'adaptive', perIdea: 1, budget: 15 });
    const judgingPath = `/challenges/${challenge.id}/judging`;
    const staff = await createUser({ roles: ['staff'], name: 'Stella Staff' });
    const sessions = await Promise.all(
      [...challenge.judges, staff].map(async (user) => {
        const { context, page } = await openPage(suite.browser, suite.app.url);
        const problems = watchForProblems(page);
        await signInThroughForm(page, user);
        return { context, page, problems };
      }),
    );
    const judgePages = sessions.slice(0, 3).map((session) => session.page);
    const staffPage = sessions[3]!.page;
    try {
      const lines: string[] = [];
      const readLine = async () => {
        await staffPage.goto(`${judgingPath}/results`);
        const line = staffPage.locator('[data-confidence]');
        const text = (await line.count()) ? (await line.innerText()).trim() : '';
        if (text && text !== lines.at(-1)) lines.push(text);
        return text;
      };

      /** The judge clicks "Score the next idea"; scores it if one is handed out. */
      async function scoreNext(page: Page, judge: number): Promise<boolean> {
        await page.goto(judgingPath);
        await page.getByRole('button', { name: 'Score the next idea' }).click();
        await page.waitForLoadState();
        const ideaId = /\/ideas\/([0-9a-f]{24})$/.exec(new URL(page.url()).pathname)?.[1];
        if (!ideaId) return false;
        const [impact, feasibility] = TRUTH[challenge.ideaIds.indexOf(ideaId)]!;
        await page.getByRole('spinbutton', { name: /^Impact / }).fill(String(impact));
        await page.getByRole('spinbutton', { name: /^Feasibility / }).fill(String(clamp(feasibility + OFFSET[judge]!)));
        await page.getByRole('button', { name: 'Submit scorecard' }).click();
        await page.getByRole('status').filter({ hasText: 'Scorecard submitted' }).waitFor();
        return true;
      }

      let settled = false;
      for (let round = 0; round < 5 && !settled; round++) {
        for (const [judge, page] of judgePages.entries()) {
          if (!(await scoreNext(page, judge))) continue;
          settled = /settled with 95% confidence/.test(await readLine());
          if (settled) break;
        }
      }
      assert.ok(settled, `the winners were settled within the budget: ${lines.join(' | ')}`);
      // Before: ideas without a score, places too close to call, or the top settled with less than
      // 95% confidence (which, depends on the seeded plan and the challenge's random draws).
      assert.ok(
        lines.length >= 2 && lines.slice(0, -1).every((line) => /no scorecard yet|still too close to call|settled with [1-8]?\d% confidence|settled with 9[0-4]% confidence/.test(line)),
        `the line moved as judges scored: ${lines.join(' | ')}`,
      );
      assert.match(lines.at(-1)!, /^The top 2 is settled with 95% confidence\.$/);
      const chances = await staffPage.locator('td[data-chance]').allInnerTexts();
      assert.equal(chances.length, 5);
      assert.ok(
        chances.slice(0, 2).every((chance) => /^(over 99%|9[5-9]%)$/.test(chance)),
        `the two winners: ${chances.join(', ')}`,
      );
      await screenshotIfAsked(staffPage, 'adaptive-ranking');
      assert.deepEqual(await accessibilityViolations(staffPage), [], 'the ranking page');

      // Staff stop early: whoever asks next is told, and nothing more is handed out.
      await staffPage.getByRole('button', { name: /Stop judging/ }).click();
      await staffPage.getByRole('status').filter({ hasText: 'Judging stopped' }).waitFor();
      const handedOut = (await suite.app.services.judging.read(challenge.id)).assignments.reduce((sum, entry) => sum + entry.judgeIds.length, 0);
      assert.ok(handedOut < 15, `stopped before the budget was spent: ${handedOut} of 15`);
      for (const [judge, page] of judgePages.entries()) {
        while (await scoreNext(page, judge)); // any idea the plan gave the judge stays theirs
        await page
          .getByRole('status')
          .filter({ hasText: /Staff stopped judging|Every idea/ })
          .waitFor();
      }
      assert.equal(
        (await suite.app.services.judging.read(challenge.id)).assignments.reduce((sum, entry) => sum + entry.judgeIds.length, 0),
        handedOut,
      );
      assert.deepEqual(
        sessions.flatMap((session) => session.problems),
        [],
        'no script or CSP errors',
      );
    } finally {
      await Promise.all(sessions.map((session) => session.context.close()));
    }
  });
});
