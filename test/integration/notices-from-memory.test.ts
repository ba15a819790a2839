import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import type { TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { notificationsOf, outboxConsumed } from '../helpers/outbox.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/**
 * The notifications consumer tells a comment's followers from memory: the idea's card on the
 * board and the followers' index, both kept current across processes by the change log. Here
 * the consumer runs on the first process and everything is done on the second: what the first
 * holds must follow it, or a notice goes to someone who may not see the idea, or misses a follower.
 */
describe("a comment's notices, from what the consuming process holds in memory", () => {
  let consumer: TestApp;
  let elsewhere: TestApp;
  before(async () => {
    consumer = await startTestApp();
    elsewhere = await startTestApp({ consumeOutbox: false });
  });
  after(async () => {
    await elsewhere.close();
    await consumer.close();
  });

  /** What the second process wrote reaches the first (its change log), then the first applies the outbox. */
  async function settle() {
    await elsewhere.events.settled();
    await consumer.readModelSync.catchUp();
    await eventually(async () => {
      await consumer.outbox.catchUp();
      return outboxConsumed();
    }, 'the outbox applied');
  }

  const commentNotices = async (userId: string) => (await notificationsOf(userId)).filter((notice) => notice.kind === 'comment_added');

  async function ideaOn(author: TestClient, challengeId: string, form: Record<string, string> = {}) {
    const created = await author.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, ideaForm({ title: `Talked about ${Date.now()}`, ...form }));
    assert.equal(created.status, 303);
    return (created.headers.get('location') ?? '').split('/')[2]!;
  }

  it('tells a follower who followed on another process, and no longer one who unfollowed there', async () => {
    const { id } = await createChallenge(elsewhere, { phase: 'open' });
    const author = await signedInClient(elsewhere.url, await createUser({ name: 'Talk Author' }));
    const ideaId = await ideaOn(author, id);
    const followerUser = await createUser({ name: 'Far Follower' });
    const follower = await signedInClient(elsewhere.url, followerUser);
    const commenter = await signedInClient(elsewhere.url, await createUser({ name: 'Remote Commenter' }));
    await settle();
    // The consumer holds the idea's followers (the author) before the follow.
    assert.deepEqual(await consumer.services.follows.followerIds('idea', ideaId), [(await consumer.readModels.board.card(ideaId))!.authorIds[0]]);

    assert.equal((await follower.submit(`/ideas/${ideaId}`, '/follows', { type: 'idea', id: ideaId })).status, 303);
    await settle();
    assert.equal((await commenter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/comments`, { body: 'First word' })).status, 303);
    await settle();
    assert.equal((await commentNotices(followerUser.id)).length, 1, 'the follower heard of the comment');

    assert.equal((await follower.submit(`/ideas/${ideaId}`, '/follows', { type: 'idea', id: ideaId, action: 'unfollow' })).status, 303);
    await settle();
    assert.equal((await commenter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/comments`, { body: 'Second word' })).status, 303);
    await settle();
    assert.equal((await commentNotices(followerUser.id)).length, 1, 'nothing more once unfollowed');
  });

  it('does not tell a follower who may no longer see the idea, changed on another process', async () => {
    // The crowd sees ideas once approved: an invited co-author sees it before, and no more once they decline.
    const copilotUser = await createUser({ name: 'Cass Copilot' });
    const { id } = await createChallenge(elsewhere, { phase: 'open', form: { crowdSees: 'approved', copilots: copilotUser.email } });
    const authorUser = await createUser({ name: 'Screened Author' });
    const inviteeUser = await createUser({ name: 'Declining Invitee' });
    const ideaId = await ideaOn(await signedInClient(elsewhere.url, authorUser), id, { coAuthors: inviteeUser.email });
    await elsewhere.services.follows.followTarget(actorFor(inviteeUser), 'idea', ideaId);
    await settle();
    assert.deepEqual((await consumer.readModels.board.card(ideaId))?.invitedIds, [inviteeUser.id]);

    await elsewhere.services.ideas.respondToInvitation(actorFor(inviteeUser), ideaId, false);
    const copilot = await signedInClient(elsewhere.url, copilotUser);
    await settle();
    assert.equal((await copilot.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/comments`, { body: 'A question for the team' })).status, 303);
    await settle();
    assert.equal((await commentNotices(authorUser.id)).length, 1, 'the author heard of it');
    assert.deepEqual(await commentNotices(inviteeUser.id), [], 'not the follower who may not see the idea');
  });
});
