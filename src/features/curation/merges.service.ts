import mongoose from 'mongoose';
import type { Actor } from '../../shared/actor.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { Comments } from '../community/comments.service.ts';
import { Followers, followersId } from '../community/follow.model.ts';
import { Vote, voteId } from '../community/vote.model.ts';
import { addIdeaFollowers, addMergedVotes, removeIdeaFollowers, removeMergedVotes } from '../community/merge-transfer.ts';
import type { IdeaLifecycle } from '../ideas/idea-lifecycle.ts';
import { Idea, type IdeaStatus } from '../ideas/idea.model.ts';
import { canSeeIdea } from '../ideas/ideas.policy.ts';
import { accessOf } from '../ideas/ideas.service.ts';
import { curationRefusal } from './curation.policy.ts';
import { Merge } from './merge.model.ts';
import { authorsOf, createMergeViews, loadIdea, type IdeaRecord } from './merge-views.ts';

type Deps = { challenges: Challenges; lifecycle: IdeaLifecycle; events: EventBus; directory: UserDirectory; comments: Comments };

const oid = (id: string) => new mongoose.Types.ObjectId(id);
const isRemoved = (idea: IdeaRecord) => idea.hidden?.cause === 'removed';
/** Where a merged target's own merge leads, to name it in a refusal. */
const mergedIntoTitle = async (idea: IdeaRecord) => (idea.mergedInto ? ((await Idea.findById(idea.mergedInto, { title: 1 }).lean())?.title ?? 'another idea') : 'another idea');

export function createMerges(deps: Deps) {
  const { challenges, lifecycle, events } = deps;
  // The merge's notices and counters stand on its record (written once the duplicate is marked
  // and the target credited), which carries the event's mark; an unmerge deletes the record.
  events.verifyWith('idea.merged', async (payload, mark) => ((await Merge.findById(payload.ideaId, { key: 1 }).lean())?.key === mark ? payload : null));

  /** The challenge, when the actor may curate it now; anyone else is refused before any idea is looked at. */
  async function curating(actor: Actor, challengeId: string): Promise<ChallengeView> {
    const challenge = await challenges.visibleChallenge(actor, challengeId);
    const refusal = curationRefusal(actor, challenge);
    if (refusal) throw new Forbidden(refusal);
    return challenge;
  }

  /** An idea of this challenge that the actor may see, or NotFound. */
  async function ideaIn(actor: Actor, challenge: ChallengeView, ideaId: string): Promise<IdeaRecord> {
    const idea = await loadIdea(ideaId);
    if (!idea || String(idea.challengeId) !== challenge.id || !canSeeIdea(actor, accessOf(idea), challenge)) throw new NotFound('We could not find that idea in this challenge.');
    return idea;
  }

  /** Why `duplicate` may not be merged into `target`, as the error to throw, or null when it may. */
  async function mergeRefusal(actor: Actor, duplicate: IdeaRecord, target: IdeaRecord | null, challenge: ChallengeView) {
    if (target && String(target._id) === String(duplicate._id)) return new Invalid({ targetId: 'An idea cannot be merged into itself: choose another idea.' });
    if (duplicate.status === 'merged') return new Conflict(`“${duplicate.title}” is already merged into “${await mergedIntoTitle(duplicate)}”. Unmerge it first to merge it elsewhere.`);
    if (target && String(target.challengeId) !== challenge.id) return new Invalid({ targetId: 'That idea belongs to another challenge: ideas merge only within one challenge.' });
    if (!target || !canSeeIdea(actor, accessOf(target), challenge)) return new Invalid({ targetId: 'We could not find the idea to merge into.' });
    if (target.status === 'merged') return new Conflict(`“${target.title}” is itself merged into “${await mergedIntoTitle(target)}”: merge into that idea instead.`);
    if (isRemoved(target)) return new Conflict(`“${target.title}” was removed by the moderators: merge into another idea.`);
    if (target.status === 'rejected') return new Invalid({ targetId: `“${target.title}” was not accepted: merge into an idea that is still in the running.` });
    return null;
  }

  return {
    /**
     * Merges a duplicate into a target of the same challenge: votes, followers and credits move
     * to the target; the duplicate stays readable, marked merged. Returns the two titles.
     */
    async merge(actor: Actor, challengeId: string, duplicateId: string, targetId: string) {
      const challenge = await curating(actor, challengeId);
      const duplicate = await ideaIn(actor, challenge, duplicateId);
      const target = duplicateId === targetId ? duplicate : await loadIdea(targetId);
      const refusal = await mergeRefusal(actor, duplicate, target, challenge);
      if (refusal) throw refusal;
      const at = new Date();
      const previousStatus = duplicate.status;

      // Conditional on the status as read: of two copilots merging at once, one merge happens.
      const marked = await lifecycle.markMerged({ actor }, duplicateId, previousStatus as IdeaStatus, targetId, { note: `Merged into “${target!.title}”` });
      if (!marked) {
        const now = await loadIdea(duplicateId);
        if (now?.status === 'merged') throw new Conflict(`“${now.title}” is already merged into “${await mergedIntoTitle(now)}”.`);
        throw new Conflict('This idea changed while you were merging it. Reload and try again.');
      }

      const credited = new Set([...authorsOf(target!), ...(target!.contributors ?? []).map((c) => String(c.userId))]);
      const contributorIds = [...new Set([...authorsOf(duplicate), ...(duplicate.contributors ?? []).map((c) => String(c.userId))])].filter((id) => !credited.has(id));
      // Conditional on the target still taking merges: it may have been merged or removed meanwhile.
      if (!(await lifecycle.linkMerged(targetId, duplicateId, contributorIds))) {
        await lifecycle.undoMergeMark(duplicateId, targetId, previousStatus as IdeaStatus);
        await lifecycle.refresh(duplicateId);
        throw new Conflict(`“${target!.title}” changed while you were merging into it. Reload and try again.`);
      }

      // Listing the duplicate's votes is a query by ideaId, a scan of the votes collection on the
      // embedded engine: acceptable for a merge, a rare copilot action.
      const targetAuthors = new Set(authorsOf(target!));
      const votes = await Vote.find({ ideaId: duplicateId }).lean();
      const voterIds: string[] = [];
      for (const vote of votes) {
        const userId = String(vote.userId);
        if (targetAuthors.has(userId) || (await Vote.exists({ _id: voteId(targetId, userId) }))) continue;
        voterIds.push(userId);
      }
      const [ownFollowers, targetFollowers] = await Promise.all([Followers.findById(followersId('idea', duplicateId)).lean(), Followers.findById(followersId('idea', targetId)).lean()]);
      const following = new Set((targetFollowers?.userIds ?? []).map(String));
      const followerIds = [...new Set((ownFollowers?.userIds ?? []).map(String))].filter((id) => !following.has(id));

      const creditedIds = [...new Set([...authorsOf(duplicate), ...contributorIds])].filter((id) => !targetAuthors.has(id));
      const intent = await events.intend([
        'idea.merged',
        { ideaId: duplicateId, targetId, challengeId: challenge.id, byId: actor.id, byName: actor.name, title: duplicate.title, targetTitle: target!.title, creditedIds },
      ]);
      // Recorded before the votes and follows are written, so an interrupted merge can still be undone.
      await Merge.replaceOne(
        { _id: duplicateId },
        { _id: duplicateId, targetId, challengeId: challenge.id, previousStatus, at, voterIds, followerIds, contributorIds, byId: actor.id, byName: actor.name, key: intent.mark },
        { upsert: true },
      );
      const addedVoters = await addMergedVotes({ targetId, duplicateId, challengeId: challenge.id, voterIds, at });
      const added = addedVoters.length;
      // Voters who voted for the target themselves meanwhile: those votes are theirs, not the merge's.
      const own = voterIds.filter((id) => !addedVoters.includes(id));
      if (own.length) await Merge.updateOne({ _id: duplicateId }, { $pullAll: { voterIds: own.map(oid) } });
      if (added) await lifecycle.countVotes(targetId, added);
      await addIdeaFollowers(targetId, followerIds);

      await lifecycle.refresh(targetId);
      await recordAudit(actor, {
        action: 'idea.merged',
        targetType: 'idea',
        targetId: duplicateId,
        targetLabel: duplicate.title,
        before: { status: previousStatus },
        after: { status: 'merged', mergedInto: targetId, votesAdded: added, followersAdded: followerIds.length, contributorsCredited: contributorIds.length },
      });
      await intent.done();
      events.emit('curation.queue_changed', { challengeId: challenge.id, ideaId: duplicateId, byName: actor.name });
      return { title: duplicate.title, targetTitle: target!.title };
    },

    /**
     * Undoes a merge exactly: removes the votes, follows and credits it added (and only those),
     * and gives the duplicate back its earlier status. Refused, changing nothing, when the target
     * was since merged elsewhere or removed.
     */
    async unmerge(actor: Actor, challengeId: string, duplicateId: string) {
      const challenge = await curating(actor, challengeId);
      const duplicate = await ideaIn(actor, challenge, duplicateId);
      const record = duplicate.status === 'merged' ? await Merge.findById(duplicateId).lean() : null;
      if (duplicate.status !== 'merged') throw new Conflict(`“${duplicate.title}” is not merged into another idea: there is nothing to unmerge.`);
      if (!record) throw new Conflict(`There is no record of what merging “${duplicate.title}” changed, so it cannot be undone here. Nothing was changed.`);
      const targetId = String(record.targetId);
      const target = await loadIdea(targetId);
      if (!target || isRemoved(target)) {
        throw new Conflict(
          `“${target?.title ?? 'The idea it was merged into'}”, which “${duplicate.title}” was merged into, has since been removed, so the merge cannot be undone now. Nothing was changed: ask staff to restore it first.`,
        );
      }
      if (target.status === 'merged') {
        throw new Conflict(
          `“${target.title}”, which “${duplicate.title}” was merged into, has since been merged into “${await mergedIntoTitle(target)}”. Unmerge “${target.title}” first. Nothing was changed.`,
        );
      }

      const restored = await lifecycle.unmerge({ actor }, duplicateId, targetId, record.previousStatus as IdeaStatus, {
        note: `Unmerged from “${target.title}”: it stands on its own again`,
        also: [['idea.unmerged', { ideaId: duplicateId, targetId, challengeId: challenge.id, byId: actor.id, byName: actor.name, title: duplicate.title, authorIds: authorsOf(duplicate) }]],
      });
      if (!restored) throw new Conflict('Someone else changed this merge meanwhile. Reload the page.');

      const removed = await removeMergedVotes(targetId, record.voterIds.map(String), record.at);
      if (removed) await lifecycle.countVotes(targetId, -removed);
      await removeIdeaFollowers(targetId, record.followerIds.map(String));
      if (!(await lifecycle.unlinkMerged(targetId, duplicateId))) throw new Conflict('The idea it was merged into kept changing while we unmerged. Reload and try again.');
      await Merge.deleteOne({ _id: duplicateId, at: record.at });

      await lifecycle.refresh(targetId);
      await recordAudit(actor, {
        action: 'idea.unmerged',
        targetType: 'idea',
        targetId: duplicateId,
        targetLabel: duplicate.title,
        before: { status: 'merged', mergedInto: targetId },
        after: { status: record.previousStatus, votesRemoved: removed, followersRemoved: record.followerIds.length, contributorsRemoved: record.contributorIds.length },
      });
      events.emit('curation.queue_changed', { challengeId: challenge.id, ideaId: duplicateId, byName: actor.name });
      return { title: duplicate.title, targetTitle: target.title };
    },

    ...createMergeViews({ ...deps, ideaIn, mergeRefusal }),
  };
}

export type Merges = ReturnType<typeof createMerges>;
