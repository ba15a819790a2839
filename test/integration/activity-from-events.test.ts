import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { OutboxEntry } from '../../src/cluster/outbox.ts';
import { CommentThread } from '../../src/features/community/comment.model.ts';
import { Vote, voteId } from '../../src/features/community/vote.model.ts';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { ActivityBucket, activityBucketId, entryOf, freshVersion } from '../../src/features/insights/individual-activity.model.ts';
import { activityOf, trackIndividualActivity } from '../../src/features/insights/individual-activity.ts';
import type { DomainEventName, DomainEvents, EventSubscriptions, Handler } from '../../src/shared/events.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { eventually } from '../helpers/eventually.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { outboxConsumed } from '../helpers/outbox.ts';
import { createUser } from '../helpers/users.ts';

async function approvedIdeas(app: TestApp, count: number) {
  const open = await createChallenge(app, { phase: 'open' });
  const author = actorFor(await createUser());
  const ideaIds: string[] = [];
  for (let index = 0; index < count; index++) {
    const body = ideaForm({ title: `Indexed idea ${index}` });
    const { ideaId } = await app.services.ideas.createIdea(author, open.id, ideaInput.parse(body), body);
    await approveIdea(app, open.staff, open.id, ideaId);
    ideaIds.push(ideaId);
  }
  return { challengeId: open.id, ideaIds };
}

/** The voter's indexed votes and comments, as the individual view lists them. */
async function indexed(userId: string) {
  const { votes, comments } = await activityOf(userId);
  return { votes: votes.map(({ ref, at }) => ({ ref, at: at.getTime() })), comments: comments.map(({ ref, at }) => ({ ref, at: at.getTime() })) };
}

describe('the activity index takes a cast vote and a comment from what their events carry', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  /** Applies the entries as this test's own consumer, with the app's stopped meanwhile (as after a crash, by another process). */
  async function applyAlone(apply: () => Promise<void>) {
    await eventually(outboxConsumed, 'the app’s consumers through');
    await app.outbox.stop();
    try {
      await apply();
    } finally {
      app.outbox.start();
    }
  }

  /** The activity consumer's handlers, applied to entries as the outbox stored them. */
  function activityConsumer() {
    const handlers = new Map<DomainEventName, Handler<DomainEventName>>();
    const subscriptions: EventSubscriptions = {
      on: (name, handler) => {
        handlers.set(name, handler as Handler<DomainEventName>);
        return () => handlers.delete(name);
      },
    };
    trackIndividualActivity(subscriptions);
    return async (entries: Array<{ name: string; payload: unknown }>) => {
      for (const entry of entries) await handlers.get(entry.name as DomainEventName)?.(entry.payload as DomainEvents[DomainEventName]);
    };
  }

  const recorded = async (userId: string) =>
    (await OutboxEntry.find({ name: mongoose.trusted({ $in: ['idea.voted', 'comment.added'] }) }).lean())
      .filter((entry) => [(entry.payload as { userId?: string }).userId, (entry.payload as { authorId?: string }).authorId].includes(userId))
      .sort((a, b) => (a._id < b._id ? -1 : 1));

  it('indexes them without reading the vote or the discussion, each at the time stored on it', async () => {
    const { ideaIds } = await approvedIdeas(app, 1);
    const voter = actorFor(await createUser());
    await app.services.votes.castVote(voter, ideaIds[0]!);
    const commentId = await app.services.comments.addComment(voter, ideaIds[0]!, { body: 'Counts as activity' });
    const apply = activityConsumer();

    const read: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection === 'votes' || collection === 'commentthreads') read.push(`${collection}.${method}`);
    });
    const entries = await recorded(voter.id);
    await applyAlone(async () => {
      try {
        await apply(entries);
      } finally {
        mongoose.set('debug', false);
      }
    });
    assert.deepEqual(read, []);
    const vote = await Vote.findById(voteId(ideaIds[0]!, voter.id)).lean();
    const comment = (await CommentThread.findById(ideaIds[0]!).lean())!.comments.find((candidate) => candidate.id === commentId)!;
    assert.deepEqual(await indexed(voter.id), { votes: [{ ref: vote!._id, at: vote!.at.getTime() }], comments: [{ ref: commentId, at: comment.createdAt.getTime() }] });
  });

  it('applied again after the vote was withdrawn and cast anew, in any number of replays: the index holds the vote that stands', async () => {
    const { ideaIds } = await approvedIdeas(app, 2);
    const [kept, withdrawn] = ideaIds as [string, string];
    const voter = actorFor(await createUser());
    const { votes } = app.services;
    await votes.castVote(voter, kept);
    await votes.withdrawVote(voter, kept);
    await votes.castVote(voter, kept);
    await votes.castVote(voter, withdrawn);
    await votes.withdrawVote(voter, withdrawn);
    const entries = await recorded(voter.id);
    assert.equal(entries.length, 5);
    const apply = activityConsumer();
    const standing = await Vote.findById(voteId(kept, voter.id)).lean();
    const expected = { votes: [{ ref: standing!._id, at: standing!.at.getTime() }], comments: [] };
    await applyAlone(async () => {
      await apply(entries);
      assert.deepEqual(await indexed(voter.id), expected);
      // A crash after some effects: the whole round again, then from its middle.
      await apply(entries);
      await apply(entries.slice(3));
      assert.deepEqual(await indexed(voter.id), expected);
      // The first cast alone (a round that stopped after it): put right by the next sync of that vote.
      await apply(entries.slice(0, 1));
      await apply(entries.slice(1, 3));
      assert.deepEqual(await indexed(voter.id), expected);
    });
  });

  it('writes on the bucket it remembers, and reads it again where another process wrote it meanwhile: nothing that one indexed is lost or kept wrongly', async () => {
    const { challengeId, ideaIds } = await approvedIdeas(app, 1);
    const voter = actorFor(await createUser());
    await app.services.votes.castVote(voter, ideaIds[0]!);
    const cast = await recorded(voter.id);
    const ref = voteId(ideaIds[0]!, voter.id);
    const bucketId = activityBucketId(voter.id, 'vote', ref);
    const apply = activityConsumer();
    // Written as an older version did (an object; this version writes strings): read all the same.
    const entry = (ideaId: string) => ({ type: 'vote', ref: voteId(ideaId, voter.id), ideaId, challengeId, at: new Date() });
    // Ideas whose votes land in the voter's bucket, indexed by another process (the bucket's content is all that matters here).
    const inBucket: string[] = [];
    while (inBucket.length < 2) {
      const ideaId = String(new mongoose.Types.ObjectId());
      if (activityBucketId(voter.id, 'vote', voteId(ideaId, voter.id)) === bucketId) inBucket.push(ideaId);
    }
    const [indexedElsewhere, withdrawnElsewhere] = inBucket as [string, string];
    const indexElsewhere = (ideaId: string) => ActivityBucket.updateOne({ _id: bucketId }, { $push: { entries: entry(ideaId) }, $set: { version: freshVersion() } });
    const stored = async () => (await ActivityBucket.findById(bucketId).lean())?.entries.map((held) => entryOf(held).ideaId);
    await applyAlone(async () => {
      await apply(cast);
      await indexElsewhere(indexedElsewhere);
      // The withdrawal this process applies next empties its bucket as it remembers it: the delete must not take the other entry.
      await app.services.votes.withdrawVote(voter, ideaIds[0]!);
      await apply((await recorded(voter.id)).slice(cast.length));
      assert.deepEqual(await stored(), [indexedElsewhere]);
      const [kept] = (await ActivityBucket.findById(bucketId).lean())!.entries;
      assert.equal(typeof kept, 'string', 'the entry written again, as a string');
      assert.deepEqual(entryOf(kept), { ...entry(indexedElsewhere), at: entryOf(kept).at });
      // A vote withdrawn that this process never saw indexed: taken out of the stored bucket all the same.
      await indexElsewhere(withdrawnElsewhere);
      await apply([{ name: 'idea.voted', payload: { ideaId: withdrawnElsewhere, challengeId, votes: 0, userId: voter.id, delta: -1 } }]);
      assert.deepEqual(await stored(), [indexedElsewhere]);
    });
  });
});
