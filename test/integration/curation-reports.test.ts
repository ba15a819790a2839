import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditEntry } from '../../src/features/audit/audit.model.ts';
import { CommentThread } from '../../src/features/community/comment.model.ts';
import { ReportTally } from '../../src/features/community/report.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import type { Actor } from '../../src/shared/actor.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { eventually } from '../helpers/eventually.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient, TEST_PASSWORD } from '../helpers/users.ts';

const HIDDEN_PLACEHOLDER = 'This idea is hidden while the copilots review it.';

describe('reports queue and hiding', () => {
  let app: TestApp;
  let challengeId: string;
  let staff: Actor;
  let copilot: TestClient;
  let copilotEmail: string;
  let author: TestClient;
  let visitor: TestClient;
  const reportsPath = () => `/challenges/${challengeId}/curation/reports`;

  before(async () => {
    app = await startTestApp();
    const copilotUser = await createUser({ name: 'Coco Pilot' });
    ({ id: challengeId, staff } = await createChallenge(app, { phase: 'open', form: { copilots: copilotUser.email, reportThreshold: '3' } }));
    copilot = await signedInClient(app.url, copilotUser);
    copilotEmail = copilotUser.email;
    author = await signedInClient(app.url, await createUser({ name: 'Ada Author' }));
    visitor = new TestClient(app.url);
  });
  after(() => app.close());

  /** An idea by Ada that the crowd sees (approved by the challenge's staff creator). */
  async function approvedIdea(title: string) {
    const created = await author.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, ideaForm({ title }));
    const ideaId = (created.headers.get('location') ?? '').split('/')[2]!;
    await approveIdea(app, staff, challengeId, ideaId);
    return ideaId;
  }
  const report = async (name: string, ideaId: string, reason: string, commentId?: string, note = '') => {
    const reporter = await signedInClient(app.url, await createUser({ name }));
    const response = await reporter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/reports`, { targetType: commentId ? 'comment' : 'idea', ...(commentId ? { commentId } : {}), reason, note });
    assert.equal(response.status, 303);
    return reporter;
  };
  const inbox = async (client: TestClient) => (await client.get('/notifications')).body_;

  it('hides an idea at three reports: the crowd sees a placeholder, the author a banner and a notice naming no reporter', async () => {
    const ideaId = await approvedIdea('Cheap watches for everyone');
    assert.match((await visitor.get(`/challenges/${challengeId}`)).body_, /Cheap watches for everyone/);
    const first = await report('Rita Reporter', ideaId, 'spam');
    await report('Sam Reporter', ideaId, 'spam');
    assert.equal((await Idea.findById(ideaId).lean())?.hidden, null, 'two reports stay under the threshold');
    await report('Tess Reporter', ideaId, 'abuse');

    const stored = await Idea.findById(ideaId).lean();
    assert.equal(stored?.hidden?.cause, 'reports');
    assert.equal(stored?.openReports, 3);
    for (const crowd of [visitor, await signedInClient(app.url, await createUser())]) {
      const page = await crowd.get(`/ideas/${ideaId}`);
      assert.match(page.body_, new RegExp(HIDDEN_PLACEHOLDER));
      assert.doesNotMatch(page.body_, /Cheap watches|Daily nudges/);
    }
    assert.doesNotMatch((await visitor.get(`/challenges/${challengeId}`)).body_, /Cheap watches for everyone/);
    const own = (await author.get(`/ideas/${ideaId}`)).body_;
    assert.match(own, /Cheap watches for everyone/);
    assert.match(own, /data-hidden-banner>Hidden from the crowd while the copilots review reports about it\./);
    assert.doesNotMatch(own, /Rita|Sam Reporter|Tess/);
    await eventually(async () => /Your idea “Cheap watches for everyone” is hidden while the copilots review reports/.test(await inbox(author)), 'the author is told');
    assert.doesNotMatch(await inbox(author), /Rita|Sam Reporter|Tess/);

    const queue = (await copilot.get(reportsPath())).body_;
    const item = queue.slice(queue.indexOf(`data-report="idea:${ideaId}"`));
    assert.match(item, /data-report-count>3 reports</);
    assert.match(item, /Spam \(2\)/);
    assert.match(item, /Abusive or offensive \(1\)/);
    assert.match(item, /Daily nudges that show one feature at a time/);

    const restored = await copilot.submit(reportsPath(), `${reportsPath()}/restore`, { targetType: 'idea', ideaId });
    assert.equal(restored.status, 303);
    assert.match((await visitor.get(`/ideas/${ideaId}`)).body_, /Cheap watches for everyone/);
    assert.match((await visitor.get(`/challenges/${challengeId}`)).body_, /Cheap watches for everyone/);
    assert.equal((await ReportTally.findById(`idea:${ideaId}`).lean())?.status, 'restored');
    assert.equal((await Idea.findById(ideaId).lean())?.openReports, 0);
    assert.doesNotMatch((await copilot.get(reportsPath())).body_, new RegExp(`data-report="idea:${ideaId}"`));
    assert.equal(await AuditEntry.countDocuments({ targetId: ideaId, action: 'content.restored' }), 1);

    // Reported again after review: the tally counts the new reports only; an earlier reporter still counts once.
    await report('Uma Reporter', ideaId, 'off-topic');
    await first.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/reports`, { targetType: 'idea', reason: 'spam' });
    const reopened = await ReportTally.findById(`idea:${ideaId}`).lean();
    assert.equal(reopened?.status, 'open');
    assert.equal(reopened?.count, 1);
    assert.deepEqual(reopened?.reasons, { 'off-topic': 1 });
    assert.equal((await Idea.findById(ideaId).lean())?.hidden, null);
  });

  it('removes a reported idea only with a reason, which the crowd then reads', async () => {
    const ideaId = await approvedIdea('Share customer emails');
    await report('Vic Reporter', ideaId, 'ip-concern');
    const noReason = await copilot.submit(reportsPath(), `${reportsPath()}/remove`, { targetType: 'idea', ideaId, reason: '  ' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.body_, /Say why it is removed: its author reads the reason\./);
    assert.equal((await Idea.findById(ideaId).lean())?.hidden, null);

    const removed = await copilot.submit(reportsPath(), `${reportsPath()}/remove`, { targetType: 'idea', ideaId, reason: 'Contains personal data' });
    assert.equal(removed.status, 303);
    const page = (await visitor.get(`/ideas/${ideaId}`)).body_;
    assert.match(page, /This idea was removed by the copilots: Contains personal data/);
    assert.doesNotMatch(page, /Share customer emails/);
    const own = (await author.get(`/ideas/${ideaId}`)).body_;
    assert.match(own, /Share customer emails/);
    assert.match(own, /Removed by the copilots: Contains personal data/);
    assert.equal((await ReportTally.findById(`idea:${ideaId}`).lean())?.status, 'removed');
    await eventually(async () => /Your idea “Share customer emails” was removed by the copilots: Contains personal data/.test(await inbox(author)), 'the author is told why');
  });

  it('lets a copilot hide a comment and an idea with a reason: the crowd sees placeholders, the author and staff the text', async () => {
    const ideaId = await approvedIdea('Weekly office hours');
    const commenterUser = await createUser({ name: 'Carl Commenter' });
    const commenter = await signedInClient(app.url, commenterUser);
    await commenter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/comments`, { body: 'Only fools would like this' });
    const commentId = (await CommentThread.findById(ideaId).lean())!.comments[0]!.id;
    const commentPath = `/ideas/${ideaId}/comments/${commentId}`;

    const copilotPage = (await copilot.get(`/ideas/${ideaId}`)).body_;
    assert.match(copilotPage, new RegExp(`action="/ideas/${ideaId}/hide"`));
    assert.match(copilotPage, new RegExp(`action="${commentPath}/hide"`));
    assert.doesNotMatch((await commenter.get(`/ideas/${ideaId}`)).body_, /\/hide"/, 'members are not offered to hide');
    const noReason = await copilot.submit(`/ideas/${ideaId}`, `${commentPath}/hide`, { reason: '' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.body_, /Say why you hide it/);
    assert.equal((await copilot.submit(`/ideas/${ideaId}`, `${commentPath}/hide`, { reason: 'Personal attack' })).status, 303);

    const crowdPage = (await visitor.get(`/ideas/${ideaId}`)).body_;
    assert.match(crowdPage, /This comment is hidden while the copilots review it\./);
    assert.doesNotMatch(crowdPage, /Only fools/);
    const staffClient = await signedInClient(app.url, { email: staff.email, password: TEST_PASSWORD });
    for (const reader of [commenter, staffClient]) {
      const page = (await reader.get(`/ideas/${ideaId}`)).body_;
      assert.match(page, /Only fools would like this/);
      assert.match(page, /data-hidden-note>Hidden from the crowd by the copilots: Personal attack/);
    }
    await eventually(async () => /Your comment on “Weekly office hours” was hidden by the copilots: Personal attack/.test(await inbox(commenter)), 'the commenter is told');
    assert.equal((await copilot.submit(`/ideas/${ideaId}`, `${commentPath}/unhide`, {})).status, 303);
    assert.match((await visitor.get(`/ideas/${ideaId}`)).body_, /Only fools would like this/);

    assert.equal((await copilot.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/hide`, { reason: 'Checking a trademark' })).status, 303);
    assert.match((await visitor.get(`/ideas/${ideaId}`)).body_, new RegExp(HIDDEN_PLACEHOLDER));
    assert.match((await author.get(`/ideas/${ideaId}`)).body_, /Hidden from the crowd by the copilots: Checking a trademark/);
    assert.equal((await copilot.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/unhide`, {})).status, 303);
    assert.match((await visitor.get(`/ideas/${ideaId}`)).body_, /Weekly office hours/);
  });

  it('hides a comment at three reports and shows it in the queue with its text', async () => {
    const ideaId = await approvedIdea('Printed welcome pack');
    const commenter = await signedInClient(app.url, await createUser({ name: 'Spammy Sue' }));
    await commenter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/comments`, { body: 'Visit my shop for deals' });
    const commentId = (await CommentThread.findById(ideaId).lean())!.comments[0]!.id;
    await report('Reporter One', ideaId, 'spam', commentId, 'Posted the same link on five ideas');
    const before = (await copilot.get(reportsPath())).body_;
    const early = before.slice(before.indexOf(`data-report="comment:${commentId}"`));
    assert.match(early, />Dismiss<\/button>/, 'nothing is hidden yet: the reports are dismissed, not "restored"');
    for (const name of ['Two', 'Three']) await report(`Reporter ${name}`, ideaId, 'spam', commentId);
    assert.equal((await CommentThread.findById(ideaId).lean())!.comments[0]!.hidden?.cause, 'reports');
    assert.equal((await Idea.findById(ideaId).lean())?.hidden, null, 'reports on a comment leave its idea alone');
    assert.doesNotMatch((await visitor.get(`/ideas/${ideaId}`)).body_, /Visit my shop/);
    const queue = (await copilot.get(reportsPath())).body_;
    const item = queue.slice(queue.indexOf(`data-report="comment:${commentId}"`));
    assert.match(item, /Visit my shop for deals/);
    assert.match(item, /data-report-count>3 reports</);
    assert.match(item, /Comment by Spammy Sue on/, 'the comment’s author is named to the copilots');
    assert.match(item, /<li class="pre-line">Posted the same link on five ideas<\/li>/, 'the reporter’s note, without the reporter');
    assert.doesNotMatch(item, /Reporter One/);
    assert.match(item, />Restore<\/button>/);
    await eventually(async () => /A comment on “Printed welcome pack” is hidden after reports: review it/.test(await inbox(copilot)), 'the copilots hear it was hidden');
  });

  it('counts reported comments in the screening queue\'s "Reported" figure and filter until they are reviewed', async () => {
    const queuePath = `/challenges/${challengeId}/curation`;
    const reportedFigure = async () => Number((await copilot.get(queuePath)).body_.match(/<dt>Reported<\/dt><dd>(\d+)/)?.[1]);
    const ideaId = await approvedIdea('Refill station map');
    const commenter = await signedInClient(app.url, await createUser({ name: 'Loud Lou' }));
    await commenter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/comments`, { body: 'Buy followers here' });
    const commentId = (await CommentThread.findById(ideaId).lean())!.comments[0]!.id;
    const before = await reportedFigure();
    assert.ok(Number.isInteger(before));
    await report('Reporter Four', ideaId, 'spam', commentId);
    assert.equal(await reportedFigure(), before + 1);
    assert.match((await copilot.get(`${queuePath}?status=approved&reported=on`)).body_, /Refill station map/, 'the reported filter finds the idea whose comment was reported');
    assert.equal((await copilot.submit(reportsPath(), `${reportsPath()}/restore`, { targetType: 'comment', ideaId, commentId })).status, 303);
    assert.equal(await reportedFigure(), before, 'dismissed reports leave the figure');
    assert.doesNotMatch((await copilot.get(`${queuePath}?status=approved&reported=on`)).body_, /Refill station map/);
    await report('Reporter Five', ideaId, 'spam', commentId);
    assert.equal(await reportedFigure(), before + 1);
    assert.equal((await commenter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/comments/${commentId}`, { action: 'remove' })).status, 303);
    assert.equal(await reportedFigure(), before, 'a comment its author removed needs no review');
  });

  it('refuses every moderation route to a member who does not curate the challenge', async () => {
    const ideaId = await approvedIdea('Onboarding checklist');
    const commenter = await signedInClient(app.url, await createUser());
    await commenter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/comments`, { body: 'Nice checklist' });
    const commentId = (await CommentThread.findById(ideaId).lean())!.comments[0]!.id;
    await report('Walt Reporter', ideaId, 'spam');
    const member = await signedInClient(app.url, await createUser({ name: 'Max Member' }));
    const token = csrfFrom((await member.get(`/ideas/${ideaId}`)).body_);

    assert.equal((await member.get(reportsPath())).status, 403);
    const posts: Array<[string, Record<string, string>]> = [
      [`${reportsPath()}/restore`, { targetType: 'idea', ideaId }],
      [`${reportsPath()}/remove`, { targetType: 'idea', ideaId, reason: 'Because' }],
      [`/ideas/${ideaId}/hide`, { reason: 'Because' }],
      [`/ideas/${ideaId}/unhide`, {}],
      [`/ideas/${ideaId}/comments/${commentId}/hide`, { reason: 'Because' }],
      [`/ideas/${ideaId}/comments/${commentId}/unhide`, {}],
    ];
    for (const [path, fields] of posts) {
      assert.equal((await member.post(path, { _csrf: token, ...fields })).status, 403, path);
    }
    assert.equal((await Idea.findById(ideaId).lean())?.hidden, null);
    assert.equal((await ReportTally.findById(`idea:${ideaId}`).lean())?.status, 'open');
    assert.equal((await CommentThread.findById(ideaId).lean())!.comments[0]!.hidden, null);
  });

  it('says so when a challenge has no open reports', async () => {
    const { id } = await createChallenge(app, { phase: 'open', form: { copilots: copilotEmail } });
    const page = await copilot.get(`/challenges/${id}/curation/reports`);
    assert.equal(page.status, 200);
    assert.match(page.body_, /No open reports\./);
  });
});
