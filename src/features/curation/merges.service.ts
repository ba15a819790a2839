import mongoose from 'mongoose';
import { message } from '../../i18n/i18n.ts';
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
const mergedIntoTitle = async (idea: IdeaRecord) => (idea.mergedInto ? (await Idea.findById(idea.mergedInto, { title: 1 }).lean())?.title : undefined) ?? message('curation.merge.anotherIdea');

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
    if (!idea || String(idea.challengeId) !== challenge.id || !canSeeIdea(actor, accessOf(idea), challenge)) throw new NotFound(message('curation.merge.notFound'));
    return idea;
  }

  /** Why `duplicate` may not be merged into `target`, as the error to throw, or null when it may. */
  async function mergeRefusal(actor: Actor, duplicate: IdeaRecord, target: IdeaRecord | null, challenge: ChallengeView) {
    if (target && String(target._id) === String(duplicate._id)) return new Invalid({ targetId: message('curation.merge.itself') });
    if (duplicate.status === 'merged') return new Conflict(message('curation.merge.alreadyMerged', { title: duplicate.title, target: await mergedIntoTitle(duplicate) }));
    if (target && String(target.challengeId) !== challenge.id) return new Invalid({ targetId: message('curation.merge.otherChallenge') });
    if (!target || !canSeeIdea(actor, accessOf(target), challenge)) return new Invalid({ targetId: message('curation.merge.targetMissing') });
    if (target.status === 'merged') return new Conflict(message('curation.merge.targetMerged', { title: target.title, target: await mergedIntoTitle(target) }));
    if (isRemoved(target)) return new Conflict(message('curation.merge.targetRemovedByModerators', { title: target.title }));
    if (target.status === 'rejected') return new Invalid({ targetId: message('curation.merge.targetRejected', { title: target.title }) });
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
      const marked = await lifecycle.markMerged({ actor }, duplicateId, previousStatus as IdeaStatus, targetId, { note: message('ideaHistory.mergedInto', { title: target!.title }) });
      if (!marked) {
        const now = await loadIdea(duplicateId);
        if (now?.status === 'merged') throw new Conflict(message('curation.merge.alreadyMergedNow', { title: now.title, target: await mergedIntoTitle(now) }));
        throw new Conflict(message('curation.merge.changed'));
      }

      const credited = new Set([...authorsOf(target!), ...(target!.contributors ?? []).map((c) => String(c.userId))]);
      const contributorIds = [...new Set([...authorsOf(duplicate), ...(duplicate.contributors ?? []).map((c) => String(c.userId))])].filter((id) => !credited.has(id));
      // Conditional on the target still taking merges: it may have been merged or removed meanwhile.
      if (!(await lifecycle.linkMerged(targetId, duplicateId, contributorIds))) {
        await lifecycle.undoMergeMark(duplicateId, targetId, previousStatus as IdeaStatus);
        await lifecycle.refresh(duplicateId);
        throw new Conflict(message('curation.merge.targetChanged', { title: target!.title }));
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
      if (duplicate.status !== 'merged') throw new Conflict(message('curation.merge.notMerged', { title: duplicate.title }));
      if (!record) throw new Conflict(message('curation.merge.noRecord', { title: duplicate.title }));
      const targetId = String(record.targetId);
      const target = await loadIdea(targetId);
      if (!target || isRemoved(target)) {
        throw new Conflict(message('curation.merge.targetRemoved', { target: target?.title ?? message('curation.merge.removedTarget'), title: duplicate.title }));
      }
      if (target.status === 'merged') {
        throw new Conflict(message('curation.merge.targetMergedElsewhere', { target: target.title, title: duplicate.title, further: await mergedIntoTitle(target) }));
      }

      const restored = await lifecycle.unmerge({ actor }, duplicateId, targetId, record.previousStatus as IdeaStatus, {
        note: message('ideaHistory.unmerged', { title: target.title }),
        also: [['idea.unmerged', { ideaId: duplicateId, targetId, challengeId: challenge.id, byId: actor.id, byName: actor.name, title: duplicate.title, authorIds: authorsOf(duplicate) }]],
      });
      if (!restored) throw new Conflict(message('curation.merge.unmergeRace'));

      const removed = await removeMergedVotes(targetId, record.voterIds.map(String), record.at);
      if (removed) await lifecycle.countVotes(targetId, -removed);
      await removeIdeaFollowers(targetId, record.followerIds.map(String));
      if (!(await lifecycle.unlinkMerged(targetId, duplicateId))) throw new Conflict(message('curation.merge.unlinkRace'));
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
