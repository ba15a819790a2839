import mongoose from 'mongoose';
import { CONVERGENCE_BOUND_MS } from '../../cluster/change-log.ts';
import { createKeyedCache } from '../../shared/keyed-cache.ts';
import type { Actor, MaybeActor } from '../../shared/actor.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { Ideas } from '../ideas/ideas.service.ts';
import { Followers, followersId, type FollowTarget } from './follow.model.ts';

export function createFollows(deps: { challenges: Challenges; ideas: Ideas }) {
  /** Following needs seeing: the lookup answers 404 for what the actor may not see. */
  async function checkVisible(actor: MaybeActor, type: FollowTarget, id: string) {
    if (type === 'challenge') await deps.challenges.visibleChallenge(actor, id);
    else await deps.ideas.visibleIdea(actor, id);
  }

  async function readFollowerIds(key: string): Promise<string[]> {
    return ((await Followers.findById(key).lean())?.userIds ?? []).map(String);
  }

  // Every view of a challenge or idea by a signed-in person shows whether they follow it: one
  // read of its followers, shared by the views within CONVERGENCE_BOUND_MS and dropped when this
  // process changes them (merges and other processes show within that bound).
  const recentFollowers = createKeyedCache(async (key: string): Promise<ReadonlySet<string>> => new Set(await readFollowerIds(key)), { ttlMs: CONVERGENCE_BOUND_MS, maxKeys: 2_000 });

  async function follow(userId: string, type: FollowTarget, id: string): Promise<void> {
    const key = followersId(type, id);
    try {
      await Followers.updateOne({ _id: key }, { $addToSet: { userIds: new mongoose.Types.ObjectId(userId) } }, { upsert: true });
    } finally {
      recentFollowers.forget(key);
    }
  }

  return {
    /** For the system: authors follow their ideas (and the challenge) without asking. */
    follow,

    async followTarget(actor: Actor, type: FollowTarget, id: string): Promise<void> {
      await checkVisible(actor, type, id);
      await follow(actor.id, type, id);
    },

    async unfollowTarget(actor: Actor, type: FollowTarget, id: string): Promise<void> {
      const key = followersId(type, id);
      try {
        await Followers.updateOne({ _id: key }, { $pull: { userIds: new mongoose.Types.ObjectId(actor.id) } });
      } finally {
        recentFollowers.forget(key);
      }
    },

    /** Whom to tell: read afresh, so nobody who just followed misses a notice. */
    followerIds: (type: FollowTarget, id: string): Promise<string[]> => readFollowerIds(followersId(type, id)),

    async isFollowing(actor: MaybeActor, type: FollowTarget, id: string): Promise<boolean> {
      if (!actor) return false;
      return (await recentFollowers.get(followersId(type, id))).has(actor.id);
    },
  };
}

export type Follows = ReturnType<typeof createFollows>;
