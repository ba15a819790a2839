import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditEntry } from '../../src/features/audit/audit.model.ts';
import { Challenge } from '../../src/features/challenges/challenge.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { winnersInput } from '../../src/features/judging/winners.schemas.ts';
import { Winners } from '../../src/features/judging/winners.model.ts';
import { Notification } from '../../src/features/notifications/notification.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor } from '../helpers/challenges.ts';
import { TestClient } from '../helpers/http.ts';
import { challengeInJudging, judgesOf, type JudgedChallenge } from '../helpers/judging.ts';
import { eventually } from '../helpers/eventually.ts';
import { createUser, signedInClient } from '../helpers/users.ts';
import { noticesOf } from '../helpers/notices.ts';
import { outboxConsumed } from '../helpers/outbox.ts';

describe('judging: winners', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const winnersPage = (challengeId: string) => `/challenges/${challengeId}/judging/winners`;

  /** Three scored ideas ranked in their order: idea n gets 5−n on both criteria from every judge. */
  async function scoredChallenge(form: Record<string, string> = {}): Promise<JudgedChallenge> {
    const challenge = await challengeInJudging(app, { ideas: 3, judges: 2, perIdea: 2, form });
    for (const [n, ideaId] of challenge.ideaIds.entries()) {
      for (const judgeId of await judgesOf(app, challenge.id, ideaId)) {
        const judge = challenge.judges.find((user) => user.id === judgeId)!;
        await app.services.scorecards.save(actorFor(judge, ['staff']), challenge.id, ideaId, {
          criteria: [
            { score: 5 - n, comment: '' },
            { score: 5 - n, comment: '' },
          ],
          comment: '',
          privateNote: '',
          submit: true,
        });
      }
    }
    return challenge;
  }

  /** What each author was told of the results, oldest first. */
  const toldOfResults = (challenge: JudgedChallenge) => Promise.all(challenge.authors.map(async (author) => (await noticesOf(author.id, 'winners_announced')).map((notice) => notice.text)));

  /** The state a stop leaves right after the announcement was claimed and the first winner crowned: nothing else moved. */
  async function announcementCutShort(challenge: JudgedChallenge) {
    const [first, second] = challenge.ideaIds as [string, string, string];
    await Winners.create({
      _id: challenge.id,
      awards: [
        { tier: 'First prize', ideaId: first, rank: 1, reason: '' },
        { tier: 'Runner-up', ideaId: second, rank: 2, reason: '' },
      ],
      announcedAt: new Date(),
      announcedByName: 'Sam Staff',
    });
    await app.services.ideas.lifecycle.crown({ actor: challenge.staff }, first, 'First prize');
  }

  /** Every idea reached its outcome and every author heard of it once. */
  async function settledOnce(challenge: JudgedChallenge) {
    const statuses = async () => Promise.all(challenge.ideaIds.map(async (id) => (await Idea.findById(id).lean())?.status));
    await eventually(async () => (await statuses()).join() === 'winner,winner,not-awarded' && (await outboxConsumed()), 'every idea has its outcome');
    assert.deepEqual(await toldOfResults(challenge), [
      ['Your idea “Shortlisted idea 1” won First prize in “Make onboarding delightful”'],
      ['Your idea “Shortlisted idea 2” won Runner-up in “Make onboarding delightful”'],
      ['The winners of “Make onboarding delightful” are announced: “Shortlisted idea 3” is not among them'],
    ]);
  }

  const staffClient = async (roles: Array<'staff' | 'admin'> = ['staff']) => signedInClient(app.url, await createUser({ roles, name: roles.includes('admin') ? 'Ada Admin' : 'Sam Staff' }));

  it('shows beside each rank the calibrated score that orders it, as the ranking page does, not only the raw mean', async () => {
    const challenge = await scoredChallenge();
    const staff = await staffClient();
    const calibrated = (html: string, label: string) => [...html.matchAll(new RegExp(`data-label="${label}">([\\d.]+)`, 'g'))].map((match) => match[1]);
    const ranking = calibrated((await staff.get(`/challenges/${challenge.id}/judging/results`)).body_, 'Calibrated \\(rank\\)');
    assert.equal(ranking.length, 3);
    assert.deepEqual(calibrated((await staff.get(winnersPage(challenge.id))).body_, 'Calibrated score'), ranking);
  });

  it('gives tier i to the idea ranked i by default; choosing otherwise needs a reason, which is stored and audited', async () => {
    const challenge = await scoredChallenge();
    const [first, second, third] = challenge.ideaIds as [string, string, string];
    const staff = await staffClient();
    const page = await staff.get(winnersPage(challenge.id));
    assert.equal(page.status, 200);
    assert.match(page.body_, new RegExp(`<select id="idea_0"[^>]*>[\\s\\S]*?<option value="${first}" selected>1\\. Shortlisted idea 1`));
    assert.match(page.body_, new RegExp(`<select id="idea_1"[^>]*>[\\s\\S]*?<option value="${second}" selected>2\\. Shortlisted idea 2`));

    const unexplained = await staff.submit(winnersPage(challenge.id), winnersPage(challenge.id), { intent: 'save', idea_0: third, idea_1: second });
    assert.equal(unexplained.status, 400);
    assert.match(unexplained.body_, /“Shortlisted idea 3” is ranked 3, not 1: say why it gets “First prize”\./);
    assert.equal(await Winners.countDocuments({ _id: challenge.id }), 0, 'nothing is saved');
    const twice = await staff.submit(winnersPage(challenge.id), winnersPage(challenge.id), { intent: 'save', idea_0: first, idea_1: first, reason_1: 'Twice as good' });
    assert.equal(twice.status, 400);
    assert.match(twice.body_, /“Shortlisted idea 1” already wins “First prize”: an idea wins one prize\./);

    const explained = await staff.submit(winnersPage(challenge.id), winnersPage(challenge.id), { intent: 'save', idea_0: third, reason_0: 'Its pilot results came in after judging.', idea_1: second });
    assert.equal(explained.status, 303);
    const saved = await Winners.findById(challenge.id).lean();
    assert.deepEqual(
      saved?.awards.map((award) => [award.tier, award.ideaId, award.rank, award.reason]),
      [
        ['First prize', third, 3, 'Its pilot results came in after judging.'],
        ['Runner-up', second, 2, ''],
      ],
    );
    const audit = await AuditEntry.findOne({ action: 'winners.assigned', targetId: challenge.id }).lean();
    assert.match(audit?.reason ?? '', /First prize: Its pilot results came in after judging\./);
    assert.equal(saved?.announcedAt, null, 'saving is not announcing');
    assert.equal((await Idea.findById(third).lean())?.status, 'scored');

    const member = await signedInClient(app.url, await createUser({ name: 'Mo Member' }));
    assert.equal((await member.get(winnersPage(challenge.id))).status, 403);
  });

  it('shows what announcing would tell everyone before it does, and keeps the choices to change them', async () => {
    const challenge = await scoredChallenge();
    const [first, , third] = challenge.ideaIds as [string, string, string];
    const staff = await staffClient();
    const choices = { idea_0: third, reason_0: 'Its pilot results came in after judging.', idea_1: first, reason_1: 'Second to the pilot.' };
    const preview = await staff.submit(winnersPage(challenge.id), winnersPage(challenge.id), { intent: 'preview', ...choices });
    assert.equal(preview.status, 200);
    assert.match(preview.body_, /<h1>Announce these winners\?<\/h1>/);
    assert.match(preview.body_, /<strong>First prize<\/strong>[^<]*: Shortlisted idea 3 <span class="muted">— Its pilot results came in after judging\.<\/span>/);
    assert.match(preview.body_, new RegExp(`<input type="hidden" name="idea_0" value="${third}">`));
    assert.equal((await Winners.findById(challenge.id).lean())?.announcedAt ?? null, null, 'a preview announces nothing');
    assert.equal((await Challenge.findById(challenge.id).lean())?.phase, 'judging');

    const back = await staff.submit(winnersPage(challenge.id), winnersPage(challenge.id), { intent: 'edit', ...choices });
    assert.equal(back.status, 200);
    assert.match(back.body_, new RegExp(`<option value="${third}" selected>`), 'the form comes back with the choices');
    assert.match(back.body_, /Its pilot results came in after judging\./);

    // Choices the announcement would refuse are refused before the confirmation, not after it.
    const twice = await staff.submit(winnersPage(challenge.id), winnersPage(challenge.id), { intent: 'preview', idea_0: first, idea_1: first, reason_1: 'Twice as good' });
    assert.equal(twice.status, 400);
    assert.doesNotMatch(twice.body_, /Announce these winners\?/);
    assert.match(twice.body_, /an idea wins one prize/);
    assert.match(twice.body_, /The winners were neither saved nor announced/);
    assert.match(twice.body_, new RegExp(`<option value="${first}" selected>`), 'with the choices made');
  });

  it('announces winners: the challenge is decided, winners win and are told, the other shortlisted authors too, and the page shows the results', async () => {
    const challenge = await scoredChallenge();
    const [first, second, third] = challenge.ideaIds as [string, string, string];
    const staff = await staffClient();
    const announced = await staff.submit(winnersPage(challenge.id), winnersPage(challenge.id), { intent: 'announce', idea_0: first, idea_1: second });
    assert.equal(announced.status, 303);
    assert.equal((await Challenge.findById(challenge.id).lean())?.phase, 'decided');
    assert.equal((await Idea.findById(first).lean())?.status, 'winner');
    assert.equal((await Idea.findById(second).lean())?.status, 'winner');
    assert.equal((await Idea.findById(third).lean())?.status, 'not-awarded', 'a shortlisted idea that won nothing has that outcome');
    assert.equal((await Idea.findById(first).lean())?.statusHistory.at(-1)?.note, 'Won First prize');
    const view = await app.services.challenges.visibleChallenge(challenge.staff, challenge.id);
    const { cards } = await app.services.ideas.challengeIdeas(challenge.staff, view, {});
    assert.equal(cards.find((listed) => listed.id === first)?.card.status, 'winner', 'the board shows the new status');

    await eventually(outboxConsumed, 'the authors told');
    assert.deepEqual(await toldOfResults(challenge), [
      ['Your idea “Shortlisted idea 1” won First prize in “Make onboarding delightful”'],
      ['Your idea “Shortlisted idea 2” won Runner-up in “Make onboarding delightful”'],
      ['The winners of “Make onboarding delightful” are announced: “Shortlisted idea 3” is not among them'],
    ]);
    assert.equal(await AuditEntry.countDocuments({ action: 'winners.announced', targetId: challenge.id }), 1);

    const visitor = new TestClient(app.url);
    const challengePage = await visitor.get(`/challenges/${challenge.id}`);
    assert.match(challengePage.body_, /<h2 id="results-title">Results<\/h2>/);
    assert.match(challengePage.body_, new RegExp(`<strong>First prize</strong> \\(€5,000\\): <a href="/ideas/${first}">Shortlisted idea 1</a> by Author 1`));
    assert.match(challengePage.body_, new RegExp(`<strong>Runner-up</strong> \\(€1,000\\): <a href="/ideas/${second}">Shortlisted idea 2</a> by Author 2`));

    // Staff's next step is the backlog now, on the challenge page and on their home.
    const nextStep = new RegExp(`<a class="button" href="/challenges/${challenge.id}/review">Take the winners to the backlog</a>`);
    assert.match((await staff.get(`/challenges/${challenge.id}`)).body_, nextStep);
    assert.doesNotMatch((await staff.get(`/challenges/${challenge.id}`)).body_, />Announce the winners</);
    assert.match((await staff.get('/')).body_, new RegExp(`href="/challenges/${challenge.id}/review"[^>]*>[^<]*Take the winners to the backlog`));

    const again = await staff.submit(winnersPage(challenge.id), winnersPage(challenge.id), { intent: 'announce', idea_0: first, idea_1: second });
    assert.equal(again.status, 409);
    assert.match(again.body_, /The winners were announced on/);
  });

  it('locks the results once decided: staff are refused, an admin changes them with a reason that is audited', async () => {
    const challenge = await scoredChallenge({ submissionVisibility: 'sealed' });
    const [first, second, third] = challenge.ideaIds as [string, string, string];
    await app.services.winners.announce(challenge.staff, challenge.id, winnersInput(2).parse({ intent: 'announce', idea_0: first, idea_1: second }));

    // Sealed: the crowd never read the ideas, yet the winners are announced publicly.
    const visitor = await new TestClient(app.url).get(`/challenges/${challenge.id}`);
    assert.match(visitor.body_, /<strong>First prize<\/strong> \(€5,000\): Shortlisted idea 1 by Author 1/);
    assert.doesNotMatch(visitor.body_, new RegExp(`href="/ideas/${first}"`), 'no link to an idea the visitor may not open');

    const staff = await staffClient();
    const locked = await staff.submit(winnersPage(challenge.id), winnersPage(challenge.id), { intent: 'save', idea_0: first, idea_1: third, reason_1: 'Rethink', reason: 'Rethink' });
    assert.equal(locked.status, 403);
    assert.match(locked.body_, /only an admin may change them/);

    const admin = await staffClient(['admin']);
    const noReason = await admin.submit(winnersPage(challenge.id), winnersPage(challenge.id), { intent: 'save', idea_0: first, idea_1: third, reason_1: 'Idea 2 broke the rules.' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.body_, /Say why the announced winners change: it is recorded\./);
    const changed = await admin.submit(winnersPage(challenge.id), winnersPage(challenge.id), {
      intent: 'save',
      idea_0: first,
      idea_1: third,
      reason_1: 'Idea 2 broke the rules.',
      reason: 'Idea 2 was plagiarised.',
    });
    assert.equal(changed.status, 303);
    assert.deepEqual(
      (await Winners.findById(challenge.id).lean())?.awards.map((award) => award.ideaId),
      [first, third],
    );
    assert.equal((await Idea.findById(second).lean())?.status, 'not-awarded', 'the withdrawn winner is not among the winners');
    assert.equal((await Idea.findById(third).lean())?.status, 'winner');
    const audit = await AuditEntry.findOne({ action: 'winners.changed', targetId: challenge.id }).lean();
    assert.equal(audit?.actorName, 'Ada Admin');
    assert.match(audit?.reason ?? '', /Idea 2 was plagiarised\./);
    await eventually(outboxConsumed, 'the authors told');
    const [, withdrawn, crowned] = await toldOfResults(challenge);
    assert.deepEqual(withdrawn, [
      'Your idea “Shortlisted idea 2” won Runner-up in “Make onboarding delightful”',
      '“Shortlisted idea 2” is no longer among the winners of “Make onboarding delightful”: its history says why',
    ]);
    assert.deepEqual(crowned, [
      'The winners of “Make onboarding delightful” are announced: “Shortlisted idea 3” is not among them',
      'Your idea “Shortlisted idea 3” won Runner-up in “Make onboarding delightful”',
    ]);
  });

  it('announces the saved tiers when the challenge is moved to its results by hand: never around the announcement', async () => {
    const challenge = await scoredChallenge();
    const [first, second, third] = challenge.ideaIds as [string, string, string];
    const staff = await staffClient();
    const saved = await staff.submit(winnersPage(challenge.id), winnersPage(challenge.id), {
      intent: 'save',
      idea_0: second,
      reason_0: 'Its pilot did better',
      idea_1: first,
      reason_1: 'Swapped with the first',
    });
    assert.equal(saved.status, 303);
    await app.services.challenges.movePhase(challenge.staff, challenge.id, 'decided', 'moved by hand');

    const statuses = async () => Promise.all([first, second, third].map(async (id) => (await Idea.findById(id).lean())?.status));
    await eventually(async () => (await statuses()).join() === 'winner,winner,not-awarded', 'the saved tiers are announced');
    assert.ok((await Winners.findById(challenge.id).lean())?.announcedAt);
    assert.doesNotMatch((await staff.get(winnersPage(challenge.id))).body_, /without winners being announced/);
    assert.match((await new TestClient(app.url).get(`/challenges/${challenge.id}`)).body_, new RegExp(`<strong>First prize</strong> \\(€5,000\\): <a href="/ideas/${second}">`));
    await eventually(async () => (await Notification.countDocuments({ userId: challenge.authors[2]!.id, kind: 'winners_announced' })) === 1, 'the other author is told once');
    await eventually(async () => (await AuditEntry.findOne({ action: 'winners.announced', targetId: challenge.id }).lean())?.actorName === 'system', 'the announcement is audited, as the system’s');
  });

  it('an announcement a stop cut short is finished by announcing again: the challenge is decided, each idea reaches its outcome, each author is told once', async () => {
    const challenge = await scoredChallenge();
    await announcementCutShort(challenge);
    const staff = await staffClient();
    const [first, second] = challenge.ideaIds as [string, string, string];
    const again = await staff.submit(winnersPage(challenge.id), winnersPage(challenge.id), { intent: 'announce', idea_0: first, idea_1: second });
    assert.equal(again.status, 303);
    assert.equal((await Challenge.findById(challenge.id).lean())?.phase, 'decided');
    await settledOnce(challenge);
  });

  it('the move to the results, applied after an announcement a stop cut short, makes the moves it had not made', async () => {
    const challenge = await scoredChallenge();
    await announcementCutShort(challenge);
    await app.services.challenges.movePhase(challenge.staff, challenge.id, 'decided', 'moved by hand');
    await settledOnce(challenge);
  });

  it('refuses to start judging without judges, saying so on the phase form with the reason kept', async () => {
    const challenge = await challengeInJudging(app, { ideas: 1, judges: 1, perIdea: 1 });
    await app.services.challenges.movePhase(challenge.staff, challenge.id, 'curation', 'back for one more look');
    await Challenge.updateOne({ _id: challenge.id }, { $set: { judgeIds: [] } });
    await app.readModels.catalog.refresh(challenge.id);
    const staff = await staffClient();
    const path = `/challenges/${challenge.id}`;
    const refused = await staff.submit(path, `${path}/phase`, { to: 'judging', reason: 'Shortlist is ready' });
    assert.equal(refused.status, 409);
    assert.match(refused.body_, /Judging cannot start without judges: name at least one judge/);
    assert.match(refused.body_, /name="reason"[^>]*value="Shortlist is ready"/);
    assert.equal((await Challenge.findById(challenge.id).lean())?.phase, 'curation');
  });
});
