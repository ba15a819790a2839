import mongoose from 'mongoose';
import type { Actor, MaybeActor } from '../../shared/actor.ts';
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

  /**
   * One write of the followers of `key`, answering with them as it left them; other processes
   * hear of it through the change log: at once, or, for the follows an outbox round makes (an
   * author following their new idea), all of the round's in one entry at its end.
   */
  async function write(key: string, update: Record<string, unknown>, options: { upsert: boolean }): Promise<void> {
    try {
      await index.wrote(key, () => Followers.findOneAndUpdate({ _id: key }, update, { ...options, returnDocument: 'after' }).lean());
    } finally {
      const batch = appliedEvent()?.batch;
      if (batch) batch.hold(changed, key);
      else await changed([key]);
    }
  }

  const follow = (userId: string, type: FollowTarget, id: string): Promise<void> => write(followersId(type, id), { $addToSet: { userIds: new mongoose.Types.ObjectId(userId) } }, { upsert: true });

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
