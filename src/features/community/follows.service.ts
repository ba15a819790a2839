import mongoose from 'mongoose';
import type { Actor, MaybeActor } from '../../shared/actor.ts';
import { allDone } from '../../shared/all-done.ts';
import { appliedEvent } from '../../shared/applying-event.ts';
import type { EventBus } from '../../shared/events.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { Ideas } from '../ideas/ideas.service.ts';
import { createFollowerIndex } from './follower-index.ts';
import { Followers, followersId, type FollowTarget } from './follow.model.ts';

export function createFollows(deps: { challenges: Challenges; ideas: Ideas; events: EventBus }) {
  /** Following needs seeing: the lookup answers 404 for what the actor may not see. */
  async function checkVisible(actor: MaybeActor, type: FollowTarget, id: string) {
    if (type === 'challenge') await deps.challenges.visibleChallenge(actor, id);
    else await deps.ideas.visibleIdea(actor, id);
  }

  // Every view of a challenge or idea by a signed-in person shows whether they follow it, and
  // every comment and new idea tells the followers: all from memory (follower-index.ts).
  const index = createFollowerIndex();

  const changed = async (keys: string[]) => void (await deps.events.emit('followers.changed', { keys: [...new Set(keys)] }));

  /** One write of the followers of `key`, answering with them as it left them; other processes hear of it through the change log. */
  async function write(key: string, update: Record<string, unknown>, options: { upsert: boolean }): Promise<void> {
    try {
      await index.wrote(key, () => Followers.findOneAndUpdate({ _id: key }, update, { ...options, returnDocument: 'after' }).lean());
    } finally {
      await changed([key]);
    }
  }

  const addition = (userIds: string[]) => ({ $addToSet: { userIds: { $each: userIds.map((userId) => new mongoose.Types.ObjectId(userId)) } } });

  /**
   * The follows an outbox round made (an author following their new idea), written at its end,
   * side by side: the round's entries, applied one after another, each waited for its follow's
   * write behind the requests' writes. Other processes hear of them all in one change-log entry.
   */
  async function writeHeld(follows: Array<{ key: string; userId: string }>): Promise<void> {
    const byKey = new Map<string, string[]>();
    for (const { key, userId } of follows) byKey.set(key, [...(byKey.get(key) ?? []), userId]);
    try {
      await allDone([...byKey].map(([key, userIds]) => index.wrote(key, () => Followers.findOneAndUpdate({ _id: key }, addition(userIds), { upsert: true, returnDocument: 'after' }).lean())));
    } finally {
      await changed([...byKey.keys()]);
    }
  }

  /** In an outbox round, held for its end (and shown in memory at once); else written now. */
  async function follow(userId: string, type: FollowTarget, id: string): Promise<void> {
    const key = followersId(type, id);
    const batch = appliedEvent()?.batch;
    if (!batch) return write(key, addition([userId]), { upsert: true });
    await index.expect(key, userId);
    batch.hold(writeHeld, { key, userId });
  }

  return {
    /** For the system: authors follow their ideas (and the challenge) without asking. */
    follow,

    async followTarget(actor: Actor, type: FollowTarget, id: string): Promise<void> {
      await checkVisible(actor, type, id);
      await follow(actor.id, type, id);
    },

    async unfollowTarget(actor: Actor, type: FollowTarget, id: string): Promise<void> {
      await write(followersId(type, id), { $pull: { userIds: new mongoose.Types.ObjectId(actor.id) } }, { upsert: false });
    },

    /** Whom to tell: this process's writes show at once, other processes' within the change log's bound. */
    followerIds: async (type: FollowTarget, id: string): Promise<string[]> => [...(await index.ids(followersId(type, id)))],

    async isFollowing(actor: MaybeActor, type: FollowTarget, id: string): Promise<boolean> {
      if (!actor) return false;
      return (await index.ids(followersId(type, id))).has(actor.id);
    },

    /** The followers of `key` changed elsewhere (another process, a merge): read them again. */
    refresh: (key: string): Promise<void> => index.refresh(key),
    warm: index.warm,
    reset: index.reset,
  };
}

export type Follows = ReturnType<typeof createFollows>;
