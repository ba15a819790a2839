import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditEntry } from '../../src/features/audit/audit.model.ts';
import { Appeal } from '../../src/features/judging/appeals.model.ts';
import { Scorecard, scorecardId } from '../../src/features/judging/judging.model.ts';
import { Notification } from '../../src/features/notifications/notification.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor } from '../helpers/challenges.ts';
import { csrfFrom } from '../helpers/http.ts';
import { challengeInJudging, judgesOf, type JudgedChallenge } from '../helpers/judging.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

const day = 24 * 60 * 60 * 1000;
// The test schedule runs judging from day 21 and results from day 31: appeals fit between.
const withAppeals = { appealsEnabled: 'on', start_appeals: new Date(Date.now() + 26 * day).toISOString().slice(0, 16) };

describe('judging: appeals', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  /** Every assigned judge submits: Impact 4 / Feasibility 2 for the first, 2 / 2 for the second, with comments and a private note. */
  async function scoreAll(challenge: JudgedChallenge) {
    for (const ideaId of challenge.ideaIds) {
      const judgeIds = await judgesOf(app, challenge.id, ideaId);
      for (const [n, judgeId] of judgeIds.entries()) {
        const judge = challenge.judges.find((user) => user.id === judgeId)!;
        await app.services.scorecards.save(actorFor(judge, ['staff']), challenge.id, ideaId, {
          criteria: [
            { score: n === 0 ? 4 : 2, comment: `Impact note ${n + 1}` },
            { score: 2, comment: `Feasibility note ${n + 1}` },
          ],
          comment: `Overall comment ${n + 1}`,
          privateNote: `Secret between judges ${n + 1}`,
          submit: true,
        });
      }
    }
  }

  async function inAppeals(options: { ideas?: number } = {}) {
    const challenge = await challengeInJudging(app, { ideas: options.ideas ?? 1, judges: 2, perIdea: 2, form: withAppeals });
    await scoreAll(challenge);
    await app.services.challenges.movePhase(challenge.staff, challenge.id, 'appeals', 'judging done');
    return challenge;
  }

  it('shows authors each scorecard’s scores and comments and the mean, never the judges’ names or private notes', async () => {
    const challenge = await challengeInJudging(app, { ideas: 1, judges: 2, perIdea: 2, form: withAppeals });
    await scoreAll(challenge);
    const ideaId = challenge.ideaIds[0]!;
    const author = await signedInClient(app.url, challenge.authors[0]!);

    const early = await author.post(`/ideas/${ideaId}/appeal`, { _csrf: csrfFrom((await author.get(`/ideas/${ideaId}`)).body_), text: 'Too early?' });
    assert.equal(early.status, 409);
    assert.match(early.body_, /Appeals open once judging ends\./);
    assert.doesNotMatch((await author.get(`/ideas/${ideaId}`)).body_, /data-feedback-link/, 'no feedback while judging');

    await app.services.challenges.movePhase(challenge.staff, challenge.id, 'appeals', 'judging done');
    const ideaPage = await author.get(`/ideas/${ideaId}`);
    assert.match(ideaPage.body_, new RegExp(`href="/ideas/${ideaId}/feedback"`), 'the idea page links its authors to the feedback');
    const page = await author.get(`/ideas/${ideaId}/feedback`);
    assert.equal(page.status, 200);
    for (const text of ['Impact note 1', 'Impact note 2', 'Feasibility note 1', 'Overall comment 1', 'Overall comment 2']) assert.match(page.body_, new RegExp(text));
    // Totals: (2·3/4 + 1·1/4)/3 = 58.3 and (2·1/4 + 1·1/4)/3 = 25; the mean 41.7.
    assert.match(page.body_, /Mean total: <strong>41\.7<\/strong>/);
    assert.match(page.body_, /58\.3 out of 100/);
    assert.doesNotMatch(page.body_, /Judge A|Judge B/, 'judges stay anonymous');
    assert.doesNotMatch(page.body_, /Secret between judges/, 'private notes stay with the judges');

    const stranger = await signedInClient(app.url, await createUser({ name: 'Nosy Member' }));
    assert.equal((await stranger.get(`/ideas/${ideaId}/feedback`)).status, 403);
    const refused = await stranger.post(`/ideas/${ideaId}/appeal`, { _csrf: csrfFrom((await stranger.get('/my/ideas')).body_), text: 'Not mine, but still.' });
    assert.equal(refused.status, 403);
    assert.equal(await Appeal.countDocuments({ _id: ideaId }), 0);
  });

  it('takes one appeal per idea, refuses a second with its date, and tells the judges', async () => {
    const challenge = await inAppeals();
    const ideaId = challenge.ideaIds[0]!;
    const author = await signedInClient(app.url, challenge.authors[0]!);
    const feedback = `/ideas/${ideaId}/feedback`;

    const empty = await author.submit(feedback, `/ideas/${ideaId}/appeal`, { text: '  ' });
    assert.equal(empty.status, 400);
    assert.match(empty.body_, /Say what you are appealing and why\./);

    const sent = await author.submit(feedback, `/ideas/${ideaId}/appeal`, { text: 'Feasibility was judged on an old version.' });
    assert.equal(sent.status, 303);
    const appeal = await Appeal.findById(ideaId).lean();
    assert.equal(appeal?.text, 'Feasibility was judged on an old version.');
    assert.equal(await AuditEntry.countDocuments({ action: 'appeal.filed', targetId: ideaId }), 1);
    for (const judge of challenge.judges) {
      assert.equal(await Notification.countDocuments({ userId: judge.id, kind: 'appeal' }), 1, 'every judge hears of the appeal');
    }

    const second = await author.post(`/ideas/${ideaId}/appeal`, { _csrf: csrfFrom((await author.get(feedback)).body_), text: 'And another thing.' });
    assert.equal(second.status, 409);
    assert.match(second.body_, /You already appealed on \d{1,2} \w{3} \d{4}, \d\d:\d\d; the judges will answer\./);
    assert.equal((await Appeal.findById(ideaId).lean())?.text, 'Feasibility was judged on an old version.', 'the first appeal stands');
    assert.match((await author.get(feedback)).body_, /A judge will answer/);
  });

  it('refuses an appeal after the window closed, naming when it closed', async () => {
    const challenge = await inAppeals();
    const ideaId = challenge.ideaIds[0]!;
    const author = await signedInClient(app.url, challenge.authors[0]!);
    await app.services.challenges.movePhase(challenge.staff, challenge.id, 'decided', 'appeals window over');
    const page = await author.get(`/ideas/${ideaId}/feedback`);
    assert.equal(page.status, 200, 'feedback stays readable after the results');
    assert.match(page.body_, /The appeal window closed on/);
    assert.doesNotMatch(page.body_, /Send appeal/);
    const late = await author.post(`/ideas/${ideaId}/appeal`, { _csrf: csrfFrom(page.body_), text: 'Sorry I am late.' });
    assert.equal(late.status, 409);
    assert.match(late.body_, /The appeal window closed on \d{1,2} \w{3} \d{4}, \d\d:\d\d\./);
    assert.match(late.body_, /<textarea id="unsent-appeal" readonly rows="5">Sorry I am late\.<\/textarea>/, 'the text typed is kept on the page');
    assert.equal(await Appeal.countDocuments({ _id: ideaId }), 0);
  });

  it('offers no appeal where the challenge has no appeals phase', async () => {
    const challenge = await challengeInJudging(app, { ideas: 1, judges: 2, perIdea: 2 });
    await scoreAll(challenge);
    await app.services.challenges.movePhase(challenge.staff, challenge.id, 'decided', 'judging done');
    const page = await (await signedInClient(app.url, challenge.authors[0]!)).get(`/ideas/${challenge.ideaIds[0]}/feedback`);
    assert.equal(page.status, 200);
    assert.match(page.body_, /Overall comment 1/);
    assert.doesNotMatch(page.body_, /Send appeal|id="appeal-title"/);
  });

  it('lets a judge answer once and change their own score: the total moves, the author reads the answer and is told', async () => {
    const challenge = await inAppeals();
    const ideaId = challenge.ideaIds[0]!;
    const author = await signedInClient(app.url, challenge.authors[0]!);
    await author.submit(`/ideas/${ideaId}/feedback`, `/ideas/${ideaId}/appeal`, { text: 'Impact is much larger than scored.' });

    const [firstJudgeId] = await judgesOf(app, challenge.id, ideaId);
    const judgeUser = challenge.judges.find((user) => user.id === firstJudgeId)!;
    const judge = await signedInClient(app.url, judgeUser);
    const appealsPage = `/challenges/${challenge.id}/judging/appeals`;
    const list = await judge.get(appealsPage);
    assert.equal(list.status, 200);
    assert.match(list.body_, /Impact is much larger than scored\./);
    const before = await Scorecard.findById(scorecardId(ideaId, judgeUser.id)).lean();
    assert.equal(before?.total, 58.3);
    const scoresVersion = (await app.services.judging.read(challenge.id)).scoresVersion;

    const outside = await judge.submit(appealsPage, `${appealsPage}/${ideaId}`, { answer: 'Fair point.', score_0: '9', score_1: '2' });
    assert.equal(outside.status, 400);
    assert.match(outside.body_, /Score “Impact” with a whole number from 1 to 5\./);
    const noText = await judge.submit(appealsPage, `${appealsPage}/${ideaId}`, { answer: '', score_0: '5', score_1: '2' });
    assert.equal(noText.status, 400);
    assert.match(noText.body_, /Write the answer the author will read\./);

    const answered = await judge.submit(appealsPage, `${appealsPage}/${ideaId}`, { answer: 'Fair point: impact raised.', score_0: '5', score_1: '2' });
    assert.equal(answered.status, 303);
    const after = await Scorecard.findById(scorecardId(ideaId, judgeUser.id)).lean();
    // (2·4/4 + 1·1/4)/3 = 75
    assert.equal(after?.total, 75);
    assert.equal(after?.criteria[0]?.score, 5);
    assert.equal(after?.criteria[0]?.comment, 'Impact note 1', 'the judge’s comments stay');
    assert.ok((await app.services.judging.read(challenge.id)).scoresVersion > scoresVersion, 'the ranking is told the scores changed');
    assert.equal(await AuditEntry.countDocuments({ action: 'appeal.answered', targetId: ideaId }), 1);
    const change = await AuditEntry.findOne({ action: 'scorecard.changed_on_appeal', targetId: ideaId }).lean();
    assert.deepEqual([(change?.before as { total: number }).total, (change?.after as { total: number }).total], [58.3, 75]);
    assert.equal(await Notification.countDocuments({ userId: challenge.authors[0]!.id, kind: 'appeal' }), 1, 'the author is told');

    const feedback = await author.get(`/ideas/${ideaId}/feedback`);
    assert.match(feedback.body_, /Fair point: impact raised\./);
    assert.match(feedback.body_, /58\.3 → 75 out of 100/);
    assert.doesNotMatch(feedback.body_, new RegExp(judgeUser.name), 'the answer is not signed');

    const otherJudge = await signedInClient(
      app.url,
      challenge.judges.find((user) => user.id !== judgeUser.id)!,
    );
    const again = await otherJudge.post(`${appealsPage}/${ideaId}`, { _csrf: csrfFrom((await otherJudge.get(appealsPage)).body_), answer: 'Me too.' });
    assert.equal(again.status, 409);
    assert.match(again.body_, /A judge already answered this appeal on/);
    const member = await signedInClient(app.url, await createUser({ name: 'Mo Member' }));
    assert.equal((await member.get(appealsPage)).status, 403);
  });
});
