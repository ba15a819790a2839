import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CommentThread } from '../../src/features/community/comment.model.ts';
import { Report, ReportTally } from '../../src/features/community/report.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { csrfFrom } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('reporting ideas and comments', () => {
  let app: TestApp;
  let ideaPath: string;
  let ideaId: string;
  let author: Awaited<ReturnType<typeof signedInClient>>;
  before(async () => {
    app = await startTestApp();
    const { id, staff } = await createChallenge(app, { phase: 'open' });
    author = await signedInClient(app.url, await createUser({ name: 'Reported Author' }));
    const created = await author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: 'Questionable' }));
    ideaPath = created.headers.get('location') ?? '';
    ideaId = ideaPath.split('/')[2]!;
    // The crowd sees (and reports) ideas once the copilots approved them.
    await approveIdea(app, staff, id, ideaId);
  });
  after(() => app.close());

  it('records one report per person per item, even from parallel posts, and counts reporters', async () => {
    const reporter = await signedInClient(app.url, await createUser());
    const token = csrfFrom((await reporter.get(ideaPath)).body_);
    const responses = await Promise.all(Array.from({ length: 5 }, () => reporter.post(`${ideaPath}/reports`, { _csrf: token, targetType: 'idea', reason: 'spam' })));
    assert.deepEqual([...new Set(responses.map((response) => response.status))], [303]);
    assert.equal(await Report.countDocuments({ ideaId }), 1);
    const second = await signedInClient(app.url, await createUser());
    await second.submit(ideaPath, `${ideaPath}/reports`, { targetType: 'idea', reason: 'off-topic', note: 'Not about onboarding' });
    assert.equal((await ReportTally.findById(`idea:${ideaId}`).lean())?.count, 2);
    assert.doesNotMatch((await author.get(ideaPath)).body_, /Report</, 'authors are not offered to report their own idea');
  });

  it("reports a comment, refuses an unknown reason with a message, and one's own comment", async () => {
    const commenter = await signedInClient(app.url, await createUser());
    await commenter.submit(ideaPath, `${ideaPath}/comments`, { body: 'Buy cheap watches' });
    const commentId = (await CommentThread.findById(ideaId).lean())!.comments.at(-1)!.id;
    const reporter = await signedInClient(app.url, await createUser());
    assert.equal((await reporter.submit(ideaPath, `${ideaPath}/reports`, { targetType: 'comment', commentId, reason: 'spam' })).status, 303);
    assert.equal(await Report.countDocuments({ commentId }), 1);
    const badReason = await reporter.submit(ideaPath, `${ideaPath}/reports`, { targetType: 'comment', commentId, reason: 'because' });
    assert.equal(badReason.status, 400);
    assert.match(badReason.body_, /Choose why you report it/);
    const own = await commenter.submit(ideaPath, `${ideaPath}/reports`, { targetType: 'comment', commentId, reason: 'spam' });
    assert.equal(own.status, 403);
  });
});
