import assert from 'node:assert/strict';
import { message, translate, type Message } from '../../src/i18n/i18n.ts';
import { after, before, describe, it } from 'node:test';
import { AuditEntry } from '../../src/features/audit/audit.model.ts';
import { challengeInput } from '../../src/features/challenges/challenges.schemas.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { Scorecard, scorecardId } from '../../src/features/judging/judging.model.ts';
import { Notification } from '../../src/features/notifications/notification.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, challengeForm } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import { csrfFrom, type TestClient } from '../helpers/http.ts';
import { challengeInJudging, judgesOf } from '../helpers/judging.ts';
import { createUser, signedInClient } from '../helpers/users.ts';
import { noticesOf } from '../helpers/notices.ts';

describe('judging: scorecards, assignments, conflicts and blind review', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const cardPath = (challengeId: string, ideaId: string) => `/challenges/${challengeId}/judging/ideas/${ideaId}`;
  // The test challenge's scorecard: Impact (weight 2, 1–5) and Feasibility (weight 1, 1–5).
  const scores = (impact: string, feasibility: string, intent = 'submit') => ({
    score_0: impact,
    score_1: feasibility,
    comment_0: '',
    comment_1: '',
    comment: 'Clear and useful.',
    privateNote: 'Strong on impact.',
    intent,
  });

  async function clientFor(user: { email: string; password: string }): Promise<TestClient> {
    return signedInClient(app.url, user);
  }

  it('assigns k judges per idea with balanced load, and scores a complete scorecard to its weighted total', async () => {
    const challenge = await challengeInJudging(app, { ideas: 4, judges: 4, perIdea: 2 });
    const setup = await app.services.judging.read(challenge.id);
    const load = new Map<string, number>();
    for (const entry of setup.assignments) {
      assert.equal(entry.judgeIds.length, 2);
      for (const judgeId of entry.judgeIds) load.set(judgeId, (load.get(judgeId) ?? 0) + 1);
    }
    assert.deepEqual([...load.values()], [2, 2, 2, 2], 'every judge scores two ideas');

    const ideaId = challenge.ideaIds[0]!;
    const judgeId = (await judgesOf(app, challenge.id, ideaId))[0]!;
    const judge = await clientFor(challenge.judges.find((user) => user.id === judgeId)!);
    const page = await judge.get(cardPath(challenge.id, ideaId));
    assert.equal(page.status, 200);
    assert.match(page.body_, /Impact/);
    assert.match(page.body_, /How many customers benefit/);

    const missing = await judge.post(cardPath(challenge.id, ideaId), { _csrf: csrfFrom(page.body_), ...scores('4', '') });
    assert.equal(missing.status, 400);
    assert.match(missing.body_, /Score “Feasibility” before submitting\./);
    assert.match(missing.body_, /value="4"/, 'what the judge typed is kept');
    const outside = await judge.post(cardPath(challenge.id, ideaId), { _csrf: csrfFrom(page.body_), ...scores('7', '3') });
    assert.equal(outside.status, 400);
    assert.match(outside.body_, /Score “Impact” with a whole number from 1 to 5\./);
    assert.equal(await Scorecard.countDocuments({ _id: scorecardId(ideaId, judgeId) }), 0, 'a refused scorecard stores nothing, not even a draft');

    const submitted = await judge.post(cardPath(challenge.id, ideaId), { _csrf: csrfFrom(page.body_), ...scores('5', '3') });
    assert.equal(submitted.status, 303);
    const card = await Scorecard.findById(scorecardId(ideaId, judgeId)).lean();
    assert.equal(card?.status, 'submitted');
    // (2 × (5−1)/4 + 1 × (3−1)/4) / 3 = 2.5 / 3
    assert.equal(card?.total, 83.3);
    assert.equal(card?.comment, 'Clear and useful.');
  });

  it('saves drafts, keeps one scorecard from parallel submissions, and marks the idea scored when its judges are done', async () => {
    const challenge = await challengeInJudging(app, { ideas: 1, judges: 2, perIdea: 2 });
    const ideaId = challenge.ideaIds[0]!;
    const [first, second] = await Promise.all(challenge.judges.map(clientFor));
    const draft = await first!.submit(cardPath(challenge.id, ideaId), cardPath(challenge.id, ideaId), scores('3', '', 'save'));
    assert.equal(draft.status, 303);
    assert.equal((await Scorecard.findById(scorecardId(ideaId, challenge.judges[0]!.id)).lean())?.status, 'draft');

    const token = csrfFrom((await second!.get(cardPath(challenge.id, ideaId))).body_);
    const parallel = await Promise.all(Array.from({ length: 5 }, () => second!.post(cardPath(challenge.id, ideaId), { _csrf: token, ...scores('2', '2') })));
    assert.deepEqual([...new Set(parallel.map((response) => response.status))], [303]);
    assert.equal(await Scorecard.countDocuments({ ideaId }), 2, 'one scorecard per judge');
    assert.equal(await AuditEntry.countDocuments({ action: 'scorecard.submitted', targetId: ideaId }), 1, 'one submission');
    assert.equal((await Idea.findById(ideaId).lean())?.status, 'shortlisted', 'one judge still has a draft');

    await first!.submit(cardPath(challenge.id, ideaId), cardPath(challenge.id, ideaId), scores('3', '4'));
    assert.equal((await Idea.findById(ideaId).lean())?.status, 'scored');
    const json = await first!.request(cardPath(challenge.id, ideaId), {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, ...scores('', '') }).toString(),
    });
    assert.equal(json.status, 403, 'another session’s token is refused');
  });

  it('refuses scoring to non-judges, unassigned judges, conflicted judges and outside judging', async () => {
    const challenge = await challengeInJudging(app, { ideas: 2, judges: 3, perIdea: 1 });
    const ideaId = challenge.ideaIds[0]!;
    const [assignedId] = await judgesOf(app, challenge.id, ideaId);
    const assigned = await clientFor(challenge.judges.find((user) => user.id === assignedId)!);
    const notAssigned = await clientFor(challenge.judges.find((user) => user.id !== assignedId)!);
    const member = await clientFor(await createUser({ name: 'Mo Member' }));
    const token = csrfFrom((await member.get('/my/ideas')).body_);
    assert.equal((await member.get(cardPath(challenge.id, ideaId))).status, 403);
    assert.match((await member.post(cardPath(challenge.id, ideaId), { _csrf: token, ...scores('3', '3') })).body_, /Only this challenge’s judges score its ideas/);
    const unassignedPage = await notAssigned.get(cardPath(challenge.id, ideaId));
    assert.equal(unassignedPage.status, 403);
    assert.match(unassignedPage.body_, /This idea is not assigned to you/);

    const declared = await assigned.submit(cardPath(challenge.id, ideaId), `${cardPath(challenge.id, ideaId)}/conflict`, { note: 'My brother wrote it.' });
    assert.equal(declared.status, 303);
    const now = await judgesOf(app, challenge.id, ideaId);
    assert.equal(now.length, 1, 'another judge takes the idea');
    assert.ok(!now.includes(assignedId!));
    const refused = await assigned.post(cardPath(challenge.id, ideaId), { _csrf: csrfFrom((await assigned.get('/judging')).body_), ...scores('3', '3') });
    assert.equal(refused.status, 403);
    assert.match(refused.body_, /You declared a conflict of interest/);

    const replacement = await clientFor(challenge.judges.find((user) => user.id === now[0])!);
    await app.services.challenges.movePhase(challenge.staff, challenge.id, 'curation', 'reopening curation');
    const closed = await replacement.post(cardPath(challenge.id, ideaId), { _csrf: csrfFrom((await replacement.get('/judging')).body_), ...scores('3', '3') });
    assert.equal(closed.status, 403);
    assert.match(closed.body_, /only while the challenge is in judging/);
  });

  it('hides authors from judges under blind review, down to their profile', async () => {
    const challenge = await challengeInJudging(app, { ideas: 1, judges: 1, perIdea: 1, blind: true });
    const ideaId = challenge.ideaIds[0]!;
    const judge = await clientFor(challenge.judges[0]!);
    const card = await judge.get(cardPath(challenge.id, ideaId));
    assert.equal(card.status, 200);
    assert.doesNotMatch(card.body_, /Author 1/);
    assert.match(card.body_, /Blind review/);
    const ideaPage = await judge.get(`/ideas/${ideaId}`);
    assert.doesNotMatch(ideaPage.body_, /Author 1/);
    const profile = await judge.get(`/admin/users/${challenge.authors[0]!.id}`);
    assert.equal(profile.status, 403);
    assert.match(profile.body_, /blind review/);
    const staff = await clientFor(await createUser({ roles: ['staff'], name: 'Other Staff' }));
    assert.match((await staff.get(`/ideas/${ideaId}`)).body_, /Author 1/, 'staff who are not judging see the author');
    assert.equal((await staff.get(`/admin/users/${challenge.authors[0]!.id}`)).status, 200);
  });

  it('shows staff each judge’s progress and lets them nudge and reassign', async () => {
    const challenge = await challengeInJudging(app, { ideas: 2, judges: 2, perIdea: 1 });
    const staff = await clientFor(await createUser({ roles: ['staff'], name: 'Sam Staff' }));
    const setup = await staff.get(`/challenges/${challenge.id}/judging/setup`);
    assert.equal(setup.status, 200);
    assert.match(setup.body_, /Judge A/);
    const lazy = challenge.judges[0]!;
    const nudged = await staff.submit(`/challenges/${challenge.id}/judging/setup`, `/challenges/${challenge.id}/judging/nudge`, { judgeId: lazy.id });
    assert.equal(nudged.status, 303);
    await eventually(async () => (await Notification.countDocuments({ userId: lazy.id, kind: 'judging_reminder' })) === 1, 'the judge is reminded');

    const ideaId = challenge.ideaIds[0]!;
    const [from] = await judgesOf(app, challenge.id, ideaId);
    const to = challenge.judges.find((judge) => judge.id !== from)!.id;
    const offered = new RegExp(`<select id="to-${ideaId}-${from}" name="toJudgeId">(.*?)</select>`).exec((await staff.get(`/challenges/${challenge.id}/judging/setup`)).body_)?.[1] ?? '';
    assert.deepEqual(
      [...offered.matchAll(/value="([^"]+)"/g)].map((match) => match[1]),
      [to],
      'the place is offered to the judges not on the idea, never to its own judge',
    );
    const toSelf = await staff.submit(`/challenges/${challenge.id}/judging/setup`, `/challenges/${challenge.id}/judging/reassign`, { ideaId, fromJudgeId: from!, toJudgeId: from! });
    assert.equal(toSelf.status, 303);
    assert.match((await staff.get(toSelf.headers.get('location')!)).body_, /That judge already scores this idea: choose another\./, 'a move to a judge already on the idea is refused with why');
    assert.equal(await AuditEntry.countDocuments({ action: 'judging.reassigned', targetId: ideaId }), 0, 'and nothing is recorded as moved');
    const moved = await staff.submit(`/challenges/${challenge.id}/judging/setup`, `/challenges/${challenge.id}/judging/reassign`, { ideaId, fromJudgeId: from!, toJudgeId: to });
    assert.equal(moved.status, 303);
    assert.deepEqual(await judgesOf(app, challenge.id, ideaId), [to]);
    const judge = await clientFor(challenge.judges[0]!);
    assert.equal((await judge.get(`/challenges/${challenge.id}/judging/setup`)).status, 200, 'judges are staff: they may open the setup too');
    const member = await clientFor(await createUser());
    assert.equal((await member.get(`/challenges/${challenge.id}/judging/setup`)).status, 403);
  });

  it('refuses a scorecard whose weights are not positive when the challenge is saved', () => {
    const parsed = challengeInput.safeParse(challengeForm({ criteria: 'Impact | 0 | 1-5' }));
    assert.equal(parsed.success, false);
    const issue = parsed.error!.issues[0]!;
    const params = issue.code === 'custom' ? (issue.params as Message['params']) : undefined;
    assert.match(translate('en', message(issue.message, params)), /the weight must be a positive number/);
  });
  it('shows the copilots’ note on the scorecard, opens the judge’s next unscored idea after a submission, and tells each judge of their ideas once', async () => {
    const challenge = await challengeInJudging(app, { ideas: 2, judges: 2, perIdea: 2 });
    const [first, second] = challenge.ideaIds as [string, string];
    const judgeUser = challenge.judges[0]!;
    const judge = await clientFor(judgeUser);
    const page = await judge.get(cardPath(challenge.id, first));
    assert.match(page.body_, new RegExp(`data-copilots-note>Note on ${first}<`));
    const submitted = await judge.post(cardPath(challenge.id, first), { _csrf: csrfFrom(page.body_), ...scores('4', '4') });
    assert.equal(submitted.status, 303);
    assert.equal(submitted.headers.get('location'), cardPath(challenge.id, second), 'the next unscored idea opens');
    const last = await judge.post(cardPath(challenge.id, second), { _csrf: csrfFrom(page.body_), ...scores('3', '3') });
    assert.equal(last.headers.get('location'), `/challenges/${challenge.id}/judging`, 'none left: back to the dashboard');

    // Re-planning the same assignments (staff press "assign" again) tells nobody anything new.
    await app.services.judging.assign(challenge.staff, challenge.id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const told = await noticesOf(judgeUser.id, 'judging_assigned');
    assert.deepEqual(
      told.map((n) => n.text),
      ['You have 2 ideas to score in “Make onboarding delightful”'],
    );
  });

  it('takes a lower number of judges per idea into effect, keeping every judge who started a scorecard', async () => {
    const challenge = await challengeInJudging(app, { ideas: 2, judges: 3, perIdea: 3 });
    const [started, untouched] = challenge.ideaIds as [string, string];
    const judges = challenge.judges.map((user) => actorFor(user, ['staff']));
    for (const judge of judges)
      await app.services.scorecards.save(judge, challenge.id, started, {
        criteria: [
          { score: 3, comment: '' },
          { score: null, comment: '' },
        ],
        comment: '',
        privateNote: '',
        submit: false,
      });
    await app.services.judging.configure(challenge.staff, challenge.id, { mode: 'k', perIdea: 1, blind: false, crowdWeight: 0 });
    const setup = await app.services.judging.read(challenge.id);
    assert.equal(setup.assignments.find((entry) => entry.ideaId === untouched)?.judgeIds.length, 1, 'one judge per idea now');
    assert.equal(setup.assignments.find((entry) => entry.ideaId === started)?.judgeIds.length, 3, 'the three drafts are kept');
  });
});
