import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CommentThread } from '../../src/features/community/comment.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { csrfFrom, type TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/** A form sent again after an error (the first sending may or may not have been stored) acts once. */
describe('forms sent again after a failure', () => {
  let app: TestApp;
  let challengeId: string;
  let member: TestClient;
  before(async () => {
    app = await startTestApp();
    ({ id: challengeId } = await createChallenge(app, { phase: 'open' }));
    member = await signedInClient(app.url, await createUser({ name: 'Rita Retry' }));
  });
  after(() => app.close());

  it('creates the idea again under the id its key names when the first one is gone, and never links to nothing', async () => {
    const form = ideaForm({ title: 'Sent twice' });
    const first = await member.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, form);
    const location = first.headers.get('location') ?? '';
    // The key names the idea's id: a sending whose idea is lost (a database restored from before it) creates it anew.
    await Idea.deleteOne({ _id: location.split('/')[2] });
    const again = await member.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, form);
    assert.equal(again.status, 303);
    assert.equal(again.headers.get('location'), location, 'the same idea, under the id its key names');
    const page = await member.get(location);
    assert.equal(page.status, 200);
    assert.match(page.body_, /Sent twice/);
    // A third sending finds it.
    assert.equal((await member.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, form)).headers.get('location'), location);
    assert.equal(await Idea.countDocuments({ challengeId, title: 'Sent twice' }), 1);
  });

  it('keeps one person’s key apart from another’s: the same key sent by two people makes two ideas', async () => {
    const other = await signedInClient(app.url, await createUser({ name: 'Otto Other' }));
    const form = ideaForm({ title: 'Same key, two people' });
    const [mine, theirs] = await Promise.all([member, other].map((client) => client.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, form)));
    assert.deepEqual([mine!.status, theirs!.status], [303, 303]);
    assert.notEqual(mine!.headers.get('location'), theirs!.headers.get('location'));
    assert.equal(await Idea.countDocuments({ challengeId, title: 'Same key, two people' }), 2);
  });

  it('posts a comment once however often its form is sent, in turn or at once, and a new form posts anew', async () => {
    const created = await member.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, ideaForm({ title: 'Discussed once' }));
    const ideaPath = created.headers.get('location') ?? '';
    const page = (await member.get(ideaPath)).body_;
    const fields = { _csrf: csrfFrom(page), idempotencyKey: /name="idempotencyKey" value="([^"]+)"/.exec(page)?.[1] ?? '', body: 'Posted after a timeout' };
    assert.ok(fields.idempotencyKey, 'the comment form carries a key');
    const atOnce = await Promise.all([1, 2, 3].map(() => member.post(`${ideaPath}/comments`, fields)));
    const inTurn = await member.post(`${ideaPath}/comments`, fields);
    assert.deepEqual(
      [...atOnce, inTurn].map((response) => response.status),
      [303, 303, 303, 303],
    );
    const bodies = async () => ((await CommentThread.findById(ideaPath.split('/')[2]).lean())?.comments ?? []).map((comment) => comment.body);
    assert.deepEqual(await bodies(), ['Posted after a timeout']);
    // The same key with other words is a mistake, not a retry.
    assert.equal((await member.post(`${ideaPath}/comments`, { ...fields, body: 'Something else' })).status, 409);
    await member.submit(ideaPath, `${ideaPath}/comments`, { body: 'A second thought' });
    assert.deepEqual(await bodies(), ['Posted after a timeout', 'A second thought']);
  });
});
