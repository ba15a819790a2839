import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { accessibilityViolations, mainNav, openPage, screenshotIfAsked, signInThroughForm, useBrowserAndApp } from '../helpers/browser.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { createUser } from '../helpers/users.ts';

const ZONE = 'Europe/Paris';
/** The value a datetime-local input takes, for a moment in the challenge's time zone. */
const local = (at: DateTime) => at.setZone(ZONE).toFormat("yyyy-MM-dd'T'HH:mm");

describe('browser: staff create a challenge, open it by hand, and the scheduler moves it on', () => {
  const suite = useBrowserAndApp();

  it('fills the form with a preview, creates a hidden draft, opens it, and sees the scheduled move to curation', async (t) => {
    const suffix = randomBytes(4).toString('hex');
    const staff = await createUser({ roles: ['staff'], name: `Sasha Staff ${suffix}` });
    const member = await createUser({ name: `Milo Member ${suffix}` });
    // Another challenge already open, so the list has a card to check.
    await createChallenge(suite.app, { phase: 'open', form: { title: `Earlier challenge ${suffix}` } });

    const title = `Greener deliveries ${suffix}`;
    // Whole minutes, as the form keeps them; opening is near, the other phases come later.
    const now = DateTime.now().setZone(ZONE).startOf('minute');
    const schedule = {
      open: now.plus({ minutes: 10 }),
      curation: now.plus({ days: 1 }),
      judging: now.plus({ days: 2 }),
      decided: now.plus({ days: 3 }),
      closed: now.plus({ days: 4 }),
    };

    const { context, page } = await openPage(suite.browser, suite.app.url);
    let challengePath: string;
    try {
      await signInThroughForm(page, staff);
      await mainNav(page).getByRole('link', { name: 'Challenges', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Challenges' }).waitFor();
      await page.getByRole('link', { name: `Earlier challenge ${suffix}` }).waitFor();
      assert.deepEqual(await accessibilityViolations(page), [], 'the challenge list');

      await page.getByRole('link', { name: 'New challenge' }).click();
      await page.getByRole('heading', { level: 1, name: 'New challenge' }).waitFor();
      // The time-zone field starts at the browser's own zone.
      assert.equal(await page.getByLabel('Time zone of the dates below').inputValue(), await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone));

      // Sent empty once: the errors are listed and the form stays accessible.
      await page.getByRole('button', { name: 'Create draft' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await page.getByRole('alert').getByRole('link', { name: 'Give the challenge a title.' }).waitFor();
      assert.equal(await page.getByLabel('Title', { exact: true }).getAttribute('aria-invalid'), 'true');
      assert.deepEqual(await accessibilityViolations(page), [], 'the new-challenge form with errors');

      await page.getByLabel('Title', { exact: true }).fill(title);
      await page.getByLabel('Short summary').fill('Cut the emissions of the last mile.');
      await page.getByLabel('Brief', { exact: true }).fill('## Why it matters\n\nDeliveries make **a third** of our emissions.\n\n- Vans\n- Packaging');
      await page.getByRole('button', { name: 'Preview the brief' }).click();
      const preview = page.getByRole('region', { name: 'Preview of the brief' });
      await preview.getByRole('heading', { level: 2, name: 'Why it matters' }).waitFor();
      assert.equal(await preview.locator('strong').innerText(), 'a third');
      assert.equal(await page.getByRole('heading', { name: 'There is a problem' }).count(), 0);
      // The preview keeps everything typed so far.
      assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), title);

      await page.getByLabel('Prizes').fill('First prize: €3,000\nRunner-up: €500');
      await page.getByLabel('Terms submitters must accept').fill('You grant us a licence to use your idea.');
      // Fields and criteria are rows; a third criterion row comes with "Add another row", and Up puts Cost first.
      await page.getByLabel('Label, row 1').fill('Region');
      await page.getByLabel('Type, row 1').selectOption('choice');
      await page.getByLabel('Required?, row 1').selectOption('required');
      await page.getByLabel('Choices, row 1').fill('Europe, Americas, Asia');
      await page.getByLabel('Criterion, row 1').fill('Emissions saved');
      await page.getByLabel('Weight, row 1').fill('3');
      await page.getByLabel('Guidance for judges, row 1').fill('Tonnes of CO₂ a year');
      await page.getByLabel('Criterion, row 2').fill('Cost');
      await page
        .getByRole('group', { name: /^Scorecard/ })
        .getByRole('button', { name: 'Add another row' })
        .click();
      await page.getByLabel('Criterion, row 3').waitFor();
      await page.getByLabel('Criterion, row 3').fill('Reach');
      await page
        .getByRole('group', { name: /^Scorecard/ })
        .getByRole('button', { name: 'Move row 2 up' })
        .click();
      assert.equal(await page.getByLabel('Criterion, row 1').inputValue(), 'Cost');
      await page
        .getByRole('group', { name: /^Scorecard/ })
        .getByRole('checkbox', { name: 'Remove row 3' })
        .check();
      await page.getByLabel('Time zone of the dates below').fill(ZONE);
      await page.getByLabel('Open for ideas starts').fill(local(schedule.open));
      await page.getByLabel('Curation starts').fill(local(schedule.curation));
      await page.getByLabel('Judging starts').fill(local(schedule.judging));
      await page.getByLabel('Winners announced starts').fill(local(schedule.decided));
      await page.getByLabel('Closed starts').fill(local(schedule.closed));
      await page.getByRole('button', { name: 'Create draft' }).click();

      await page.waitForURL(/\/challenges\/[0-9a-f]{24}$/);
      challengePath = new URL(page.url()).pathname;
      await page.getByRole('status').filter({ hasText: 'Challenge created as a draft.' }).waitFor();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      const phaseBadge = page.locator('.challenge__meta .badge');
      assert.equal(await phaseBadge.innerText(), 'Draft');
      const brief = page.getByRole('region', { name: 'The brief' });
      await brief.getByRole('heading', { name: 'Why it matters' }).waitFor();
      await t.test('the brief keeps its markdown after a preview', async () => {
        assert.deepEqual(await brief.locator('strong').allInnerTexts(), ['a third']);
        assert.deepEqual(await brief.getByRole('listitem').allInnerTexts(), ['Vans', 'Packaging']);
      });
      await page.getByRole('region', { name: 'Prizes' }).getByText('€3,000').waitFor();

      // The timeline: every phase at the moment given in Paris time, none current yet.
      const timeline = page.getByRole('complementary', { name: 'Timeline' });
      const steps = timeline.getByRole('list').first().getByRole('listitem');
      assert.deepEqual(await steps.locator('strong').allInnerTexts(), ['Open for ideas', 'Curation', 'Judging', 'Winners announced', 'Closed']);
      assert.deepEqual(
        await steps.locator('time').evaluateAll((times) => times.map((time) => time.getAttribute('datetime'))),
        Object.values(schedule).map((at) => at.toUTC().toISO()),
      );
      assert.equal(await timeline.locator('[aria-current="step"]').count(), 0);
      await screenshotIfAsked(page, 'challenge');
      assert.deepEqual(await accessibilityViolations(page), [], 'the challenge page');

      // A member cannot see the draft: not on its page, not in the list.
      const memberBrowser = await openPage(suite.browser, suite.app.url);
      try {
        await signInThroughForm(memberBrowser.page, member);
        const response = await memberBrowser.page.goto(challengePath);
        assert.equal(response?.status(), 404);
        await memberBrowser.page.getByRole('alert').filter({ hasText: 'We could not find that challenge.' }).waitFor();
        await memberBrowser.page.goto('/challenges');
        await memberBrowser.page.getByRole('link', { name: `Earlier challenge ${suffix}` }).waitFor();
        assert.equal(await memberBrowser.page.getByRole('link', { name: title }).count(), 0);
      } finally {
        await memberBrowser.context.close();
      }

      // Opened by hand, with the reason followers read. Without one, the refusal is brought into
      // view (the phase form is far down the page that comes back).
      const move = page.getByRole('region', { name: 'Move the phase' });
      await move.getByRole('button', { name: 'Move phase' }).click();
      const refusal = page.locator('.error-summary');
      await refusal.waitFor();
      assert.equal(await refusal.evaluate((element) => element === document.activeElement), true, 'the summary has the focus');
      assert.equal(await refusal.evaluate((element) => element.getBoundingClientRect().top >= 0 && element.getBoundingClientRect().top < window.innerHeight), true, 'and is on screen');
      assert.match(await refusal.innerText(), /Say why the phase moves/);
      assert.equal(await move.getByRole('radio', { name: 'Move to Open for ideas' }).isChecked(), true);
      await move.getByLabel('Reason (followers are told)').fill('The brief is ready');
      await move.getByRole('button', { name: 'Move phase' }).click();
      await page.getByRole('status').filter({ hasText: 'The challenge moved to “Open for ideas”.' }).waitFor();
      assert.equal(await phaseBadge.innerText(), 'Open for ideas');
      assert.equal(await timeline.locator('[aria-current="step"] strong').innerText(), 'Open for ideas');

      // The scheduler runs once curation has started, and the page follows it.
      await suite.app.services.challenges.runScheduledMoves(schedule.curation.plus({ minutes: 1 }).toJSDate());
      await page.reload();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      assert.equal(await phaseBadge.innerText(), 'Curation');
      assert.equal(await timeline.locator('[aria-current="step"] strong').innerText(), 'Curation');
      assert.equal(await page.getByRole('link', { name: 'Submit an idea' }).count(), 0);
      const history = await page.getByRole('region', { name: 'Phase history' }).getByRole('listitem').allInnerTexts();
      assert.equal(history.length, 2, history.join('\n'));
      // The history names each phase as the timeline does, in the reader's language.
      assert.match(history[0]!, new RegExp(`Draft → Open for ideas by ${staff.name} — The brief is ready$`));
      assert.match(history[1]!, /Open for ideas → Curation by scheduler — Scheduled$/);
    } finally {
      await context.close();
    }
  });
});
