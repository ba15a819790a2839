import mongoose from 'mongoose';
import { isDuplicateKeyError } from '../../shared/errors.ts';
import { markVoted, unmarkVoted } from './ballots.ts';
import { Followers, followersId } from './follow.model.ts';
import { Vote, voteId } from './vote.model.ts';

const oid = (id: string) => new mongoose.Types.ObjectId(id);

/**
 * What a copilot's merge moves of the crowd's to the target idea, and takes back on unmerge:
 * written here because the votes and follows are the community's (curation decides when).
 */

/**
 * Casts on the target the votes the duplicate had, one per voter, stamped with the merge's time.
 * Returns the voters whose vote was added: one who voted for the target meanwhile keeps their own.
 */
export async function addMergedVotes(merge: { targetId: string; duplicateId: string; challengeId: string; voterIds: string[]; at: Date }): Promise<string[]> {
  const added: string[] = [];
  for (const userId of merge.voterIds) {
    try {
      // The duplicate's own votes stay as they were, so each voter's budget use does too.
      await Vote.create({ _id: voteId(merge.targetId, userId), ideaId: merge.targetId, challengeId: merge.challengeId, userId, at: merge.at, viaMergeOf: merge.duplicateId });
      await markVoted(merge.challengeId, userId, merge.targetId);
      added.push(userId);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  return added;
}

/** Removes the votes a merge at `at` added (a vote cast again since is the voter's and stays); how many went. */
export async function removeMergedVotes(targetId: string, voterIds: string[], at: Date): Promise<number> {
  let removed = 0;
  for (const userId of voterIds) {
    const vote = await Vote.findOneAndDelete({ _id: voteId(targetId, userId), at }).lean();
    if (!vote) continue;
    await unmarkVoted(String(vote.challengeId), userId, targetId);
    removed += 1;
  }
  return removed;
}

export async function addIdeaFollowers(ideaId: string, userIds: string[]): Promise<void> {
  if (userIds.length) await Followers.updateOne({ _id: followersId('idea', ideaId) }, { $addToSet: { userIds: { $each: userIds.map(oid) } } }, { upsert: true });
}

export async function removeIdeaFollowers(ideaId: string, userIds: string[]): Promise<void> {
  if (userIds.length) await Followers.updateOne({ _id: followersId('idea', ideaId) }, { $pullAll: { userIds: userIds.map(oid) } });
}
