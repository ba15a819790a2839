import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { BacklogItem } from '../../src/features/backlogs/backlog.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { winnersInput } from '../../src/features/judging/winners.schemas.ts';
import { verifySignature } from '../../src/features/webhooks/signing.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { accessibilityViolations, asSignedIn, launchBrowser, mainNav, openStaffTool, screenshotIfAsked } from '../helpers/browser.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { eventually } from '../helpers/eventually.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { judgesOf } from '../helpers/judging.ts';
import { createUser } from '../helpers/users.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';

type User = Awaited<ReturnType<typeof createUser>>;

/** The flash message after a redirect. */
const notice = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text }).waitFor();

describe('browser: staff take a winner through the product backlog; its people hear of it, a webhook and a tracker follow', () => {
  // Our own before/after rather than useBrowserAndApp: the app must allow-list the receiver's port.
  const suite = {} as { browser: Browser; app: TestApp; receiver: Awaited<ReturnType<typeof startWebhookReceiver>>; stopWorker: () => Promise<void> };
  before(async () => {
    suite.browser = await launchBrowser();
    suite.receiver = await startWebhookReceiver();
    suite.app = await startTestApp({ env: { WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${suite.receiver.port}` } });
    suite.stopWorker = suite.app.services.webhooks.startWorker({ pollMs: 50, backoffMs: [100], maxAttempts: 2, timeoutMs: 3_000 });
  });
  after(async () => {
    await suite.stopWorker?.();
    await suite.browser?.close();
    await suite.app?.close();
    await suite.receiver?.close();
  });

  const as = (user: User, act: (page: Page, problems: string[]) => Promise<void>) => asSignedIn(suite.browser, suite.app.url, user, act);

  /**
   * A public challenge built step by step through the services: two approved ideas, a voter's vote
   * for the first while it is open, both shortlisted, scored by two judges (the first best), and
   * the winners announced (the challenge is then decided).
   */
  async function decidedChallenge(suffix: string, staff: User) {
    const judges = await Promise.all(['Jude', 'Jo'].map((name) => createUser({ roles: ['staff'], name: `${name} Judge ${suffix}` })));
    const staffActor = actorFor(staff, ['staff']);
    const title = `Faster checkout ${suffix}`;
    const { id } = await createChallenge(suite.app, { phase: 'open', staff: staffActor, form: { title, judges: judges.map((judge) => judge.email).join('\n') } });
    const { ideas, votes, challenges, shortlist, judging, scorecards, winners } = suite.app.services;
    const authors = await Promise.all(['Ada Author', 'Bo Builder'].map((name) => createUser({ name: `${name} ${suffix}` })));
    const titles = [`One-tap payment ${suffix}`, `Saved baskets ${suffix}`];
    const ideaIds: string[] = [];
    for (const [n, author] of authors.entries()) {
      const form = ideaForm({ title: titles[n]!, summary: `${titles[n]}, in short.` });
      const { ideaId } = await ideas.createIdea(actorFor(author), id, ideaInput.parse(form), form);
      await approveIdea(suite.app, staffActor, id, ideaId);
      ideaIds.push(ideaId);
    }
    const voter = await createUser({ name: `Vera Voter ${suffix}` });
    await votes.castVote(actorFor(voter), ideaIds[0]!);
    await challenges.movePhase(staffActor, id, 'curation', 'test setup');
    for (const ideaId of ideaIds) await shortlist.add(staffActor, id, ideaId, 'Worth judging');
    await judging.configure(staffActor, id, { mode: 'k', perIdea: 2, blind: false, crowdWeight: 0 });
    await challenges.movePhase(staffActor, id, 'judging', 'test setup');
    await eventually(async () => (await judging.read(id)).assignments.length === ideaIds.length, 'the shortlist assigned to the judges');
    for (const [n, ideaId] of ideaIds.entries()) {
      for (const judgeId of await judgesOf(suite.app, id, ideaId)) {
        const judge = judges.find((user) => user.id === judgeId)!;
        const score = 5 - 2 * n;
        await scorecards.save(actorFor(judge, ['staff']), id, ideaId, {
          criteria: [
            { score, comment: '' },
            { score, comment: '' },
          ],
          comment: '',
          privateNote: '',
          submit: true,
        });
      }
    }
    await winners.announce(staffActor, id, winnersInput(2).parse({ intent: 'announce', idea_0: ideaIds[0], idea_1: ideaIds[1] }));
    assert.equal((await Idea.findById(ideaIds[0]).lean())?.status, 'winner');
    return { id, title, ideaIds, titles, authors: authors as [User, User], voter, staffActor };
  }

  it('promotes a winner, moves it to shipped (once by drag and drop), notifies author and voter, signs a webhook, and takes a tracker’s move', async () => {
    const suffix = randomBytes(4).toString('hex');
    const staff = await createUser({ roles: ['staff'], name: `Sam Staff ${suffix}` });
    const admin = await createUser({ roles: ['staff', 'admin'], name: `Ada Admin ${suffix}` });
    const challenge = await decidedChallenge(suffix, staff);
    const [winnerId, runnerUpId] = challenge.ideaIds as [string, string];
    const [winnerTitle] = challenge.titles as [string, string];
    const [author] = challenge.authors;
    const shippedNote = `Released in 4.2 (${suffix}): pay with one tap.`;

    // An admin adds the receiver on the webhooks page and copies the secret, shown once.
    let secret = '';
    await as(admin, async (page, problems) => {
      await openStaffTool(page, 'Webhooks');
      await page.getByLabel('Receiver URL').fill(`http://127.0.0.1:${suite.receiver.port}/hooks`);
      await page.getByLabel('backlog_item.status_changed').check();
      await page.getByRole('button', { name: 'Add webhook' }).click();
      await notice(page, 'The webhook is saved.');
      secret = await page.locator('[data-webhook-secret]').innerText();
      assert.match(secret, /^whsec_/);
      assert.deepEqual(problems, [], 'no script or CSP errors on the webhook pages');
    });

    let itemId = '';
    const boardPath = '/backlogs/product';
    await as(staff, async (page, problems) => {
      // The winning idea's page offers "Promote into", the challenge's target backlog first.
      await page.goto(`/ideas/${winnerId}`);
      await page.getByRole('heading', { level: 1, name: winnerTitle }).waitFor();
      assert.equal(await page.getByLabel('Promote into').inputValue(), 'product');
      await page.getByRole('button', { name: 'Promote', exact: true }).click();
      await notice(page, 'Promoted: a new backlog item.');
      itemId = new URL(page.url()).pathname.split('/').at(-1)!;
      await page.getByRole('heading', { level: 1, name: winnerTitle }).waitFor();
      assert.equal(await page.locator('.badge').first().innerText(), 'Proposed');
      assert.equal((await Idea.findById(winnerId).lean())?.status, 'promoted');

      await page.getByRole('link', { name: '← Product backlog' }).click();
      await page.waitForURL(boardPath);
      const card = () => page.locator(`[data-item="${itemId}"]`);
      const inColumn = (status: string) => page.locator(`[data-column="${status}"] [data-item="${itemId}"]`).waitFor();
      await inColumn('proposed');
      await screenshotIfAsked(page, 'backlog-board');
      assert.deepEqual(await accessibilityViolations(page), [], 'the board');

      /** Moves the item with its card's form (works without JavaScript). */
      async function moveWithForm(to: string, label: string, note: string) {
        await card().getByLabel(`Move “${winnerTitle}” to`).selectOption({ label });
        await card().getByLabel('Public note for its contributors').fill(note);
        const loaded = page.waitForEvent('load');
        await card().getByRole('button', { name: 'Move' }).click();
        await loaded;
        await notice(page, `“${winnerTitle}” moved.`);
        await inColumn(to);
      }

      await moveWithForm('accepted', 'Accepted', 'On the roadmap for this quarter.');

      // Accepted → Planned by dragging the card onto the Planned column; the note is asked for in a prompt.
      const dialogs: string[] = [];
      page.once('dialog', async (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        await dialog.accept('Planned for the May release.');
      });
      const loaded = page.waitForEvent('load');
      await card().dragTo(page.locator('[data-column="planned"]'), { sourcePosition: { x: 4, y: 4 } });
      await loaded;
      await notice(page, `“${winnerTitle}” moved.`);
      await inColumn('planned');
      assert.deepEqual(dialogs, ['prompt: Public note for its contributors (what was done, or why not):']);

      await moveWithForm('in-progress', 'In progress', '');
      await moveWithForm('shipped', 'Shipped', shippedNote);
      assert.equal(await card().locator('form').count(), 0, 'shipped is final: no more moves');
      assert.deepEqual(problems, [], 'no script or CSP errors on the board');

      await card().getByRole('link', { name: winnerTitle }).click();
      await page.waitForURL(`/backlog-items/${itemId}`);
      assert.equal(await page.locator('.badge').first().innerText(), 'Shipped');
      await page.locator('.history').getByText(shippedNote).waitFor();
      await screenshotIfAsked(page, 'backlog-item');
      assert.deepEqual(await accessibilityViolations(page), [], 'the item page');
    });

    const stored = await BacklogItem.findById(itemId).lean();
    assert.deepEqual(
      stored?.statusHistory.map((change) => [change.to, change.note, change.via, change.byName]),
      [
        ['proposed', `Promoted from “${winnerTitle}”`, 'web', staff.name],
        ['accepted', 'On the roadmap for this quarter.', 'web', staff.name],
        ['planned', 'Planned for the May release.', 'web', staff.name],
        ['in-progress', '', 'web', staff.name],
        ['shipped', shippedNote, 'web', staff.name],
      ],
    );
    assert.equal((await Idea.findById(winnerId).lean())?.status, 'shipped', 'the idea follows its item');

    // The receiver got the shipped move, signed with the secret the admin copied.
    const shippedEvent = () => suite.receiver.received.find((request) => request.body.includes(itemId) && JSON.parse(request.body).data.to === 'shipped');
    await eventually(async () => Boolean(shippedEvent()), 'the shipped event at the receiver');
    const delivery = shippedEvent()!;
    assert.equal(delivery.headers['cocreate-event'], 'backlog_item.status_changed');
    assert.ok(verifySignature(secret, String(delivery.headers['cocreate-signature']), delivery.body), 'the signature verifies');
    const payload = JSON.parse(delivery.body);
    assert.equal(payload.event, 'backlog_item.status_changed');
    assert.deepEqual(payload.data, {
      item: { id: itemId, backlogId: 'product', title: winnerTitle, url: `${suite.app.url}/backlog-items/${itemId}` },
      from: 'in-progress',
      to: 'shipped',
      note: shippedNote,
      via: 'web',
    });

    // The author and the voter read the note in their notifications, and see it on Outcomes.
    const told = `“${winnerTitle}” is now shipped: ${shippedNote}`;
    for (const person of [author, challenge.voter]) {
      await as(person, async (page, problems) => {
        await mainNav(page)
          .getByRole('link', { name: /^Notifications/ })
          .click();
        await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
        await page.getByRole('main').getByText(told).waitFor();

        await page.goto(`/challenges/${challenge.id}`);
        await page.getByRole('link', { name: 'Outcomes: you said, we did' }).click();
        await page.waitForURL(`/challenges/${challenge.id}/outcomes`);
        const outcome = page.locator(`[data-outcome="${itemId}"]`);
        assert.equal(await outcome.locator('.badge').innerText(), 'Shipped');
        await outcome.getByText(shippedNote).waitFor();
        await page.getByText('1 idea shipped so far').waitFor();
        if (person === author) {
          await screenshotIfAsked(page, 'backlog-outcomes');
          assert.deepEqual(await accessibilityViolations(page), [], 'the outcomes page');
          await mainNav(page).getByRole('link', { name: 'My ideas' }).click();
          const mine = page
            .getByRole('main')
            .getByRole('listitem')
            .filter({ has: page.getByRole('heading', { name: winnerTitle, exact: true }) });
          assert.equal(await mine.locator('[data-backlog-item]').innerText(), `In the Product backlog: ${winnerTitle} — Shipped: ${shippedNote}`);
        }
        assert.deepEqual(problems, [], 'no script or CSP errors on the contributors’ pages');
      });
    }

    // A tracker: staff make a token on the tokens page (shown once); the tracker accepts the runner-up's item.
    let token = '';
    const { item: tracked } = await suite.app.services.backlogItems.promote(challenge.staffActor, runnerUpId, 'product');
    await as(staff, async (page, problems) => {
      await page.goto(boardPath);
      await page.getByRole('link', { name: 'API tokens for trackers' }).click();
      await page.waitForURL(`${boardPath}/tokens`);
      await page.getByLabel('Which tracker uses it').fill('Jira PROD');
      await page.getByRole('button', { name: 'Make token' }).click();
      await notice(page, 'The token for Jira PROD is made.');
      token = await page.locator('[data-api-token]').innerText();
      assert.match(token, /^cct_/);
      await screenshotIfAsked(page, 'backlog-tokens');
      assert.deepEqual(await accessibilityViolations(page), [], 'the tokens page');

      const response = await fetch(`${suite.app.url}/api/v1/backlogs/product/items/${tracked.id}/status`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'accepted', note: 'Picked up as PROD-42.' }),
      });
      assert.equal(response.status, 200);
      const answer = (await response.json()) as { item: { status: string; lastChange: { via: string; note: string } } };
      assert.deepEqual([answer.item.status, answer.item.lastChange.via, answer.item.lastChange.note], ['accepted', 'api', 'Picked up as PROD-42.']);

      await page.goto(boardPath);
      await page.locator(`[data-column="accepted"] [data-item="${tracked.id}"]`).waitFor();
      assert.equal(await page.locator(`[data-column="proposed"] [data-item="${tracked.id}"]`).count(), 0);
      assert.deepEqual(problems, [], 'no script or CSP errors on the tokens page and board');
    });
    assert.equal((await BacklogItem.findById(tracked.id).lean())?.statusHistory.at(-1)?.byName, 'Jira PROD (tracker)');
  });
});
