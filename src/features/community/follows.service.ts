import mongoose from 'mongoose';
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

  async function follow(userId: string, type: FollowTarget, id: string): Promise<void> {
    await Followers.updateOne({ _id: followersId(type, id) }, { $addToSet: { userIds: new mongoose.Types.ObjectId(userId) } }, { upsert: true });
  }

  return {
    /** For the system: authors follow their ideas (and the challenge) without asking. */
    follow,

    async followTarget(actor: Actor, type: FollowTarget, id: string): Promise<void> {
      await checkVisible(actor, type, id);
      await follow(actor.id, type, id);
    },

    async unfollowTarget(actor: Actor, type: FollowTarget, id: string): Promise<void> {
      await Followers.updateOne({ _id: followersId(type, id) }, { $pull: { userIds: new mongoose.Types.ObjectId(actor.id) } });
    },

    async followerIds(type: FollowTarget, id: string): Promise<string[]> {
      const followers = await Followers.findById(followersId(type, id)).lean();
      return (followers?.userIds ?? []).map(String);
    },

    async isFollowing(actor: MaybeActor, type: FollowTarget, id: string): Promise<boolean> {
      if (!actor) return false;
      return (await this.followerIds(type, id)).includes(actor.id);
    },
  };
}

export type Follows = ReturnType<typeof createFollows>;
