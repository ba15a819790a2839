import { message } from '../../i18n/i18n.ts';
import mongoose from 'mongoose';
import type { Actor } from '../../shared/actor.ts';
import { Forbidden, Invalid, isDuplicateKeyError, NotFound } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { IdeaLifecycle } from '../ideas/idea-lifecycle.ts';
import { Idea } from '../ideas/idea.model.ts';
import { accessOf } from '../ideas/ideas.service.ts';
import type { JudgingService } from './judging.service.ts';
import { Scorecard, scorecardId } from './judging.model.ts';
import { judgesBlind, scoreRefusal } from './judging.policy.ts';
import { scoreProblems, weightedTotal, type CriterionScore } from './scoring.ts';

export type ScorecardInput = { criteria: CriterionScore[]; comment: string; privateNote: string; submit: boolean };

type Deps = { events: EventBus; challenges: Challenges; judging: JudgingService; lifecycle: IdeaLifecycle; directory: UserDirectory };

/** A judge's scorecards: one per judge per idea, saved as drafts (autosave) and submitted when complete. */
export function createScorecards(deps: Deps) {
  const { events, challenges, judging, lifecycle, directory } = deps;

  async function context(actor: Actor, challengeId: string, ideaId: string) {
    const challenge = await challenges.visibleChallenge(actor, challengeId);
    const idea = mongoose.isValidObjectId(ideaId) ? await Idea.findById(ideaId).lean() : null;
    if (!idea || String(idea.challengeId) !== challenge.id) throw new NotFound(message('judging.refusal.ideaNotInChallenge'));
    const setup = await judging.read(challenge.id);
    const assigned = setup.assignments.some((entry) => entry.ideaId === ideaId && entry.judgeIds.includes(actor.id));
    const conflicted = setup.conflicts.some((conflict) => conflict.ideaId === ideaId && conflict.judgeId === actor.id);
    const refusal = scoreRefusal(actor, challenge, { assigned, conflicted, ideaStatus: idea.status });
    return { challenge, idea, setup, assigned, conflicted, refusal };
  }

  /** The idea becomes "scored" once every judge assigned to it has submitted. */
  async function markScoredWhenComplete(ideaId: string, judgeIds: string[]) {
    const cards = await Promise.all(judgeIds.map((judgeId) => Scorecard.findById(scorecardId(ideaId, judgeId), { status: 1 }).lean()));
    if (!cards.every((card) => card?.status === 'submitted')) return;
    await lifecycle.markScored(ideaId);
  }

  return {
    /** The scorecard page: the idea (without its authors under blind review), the criteria, what the judge saved. */
    async view(actor: Actor, challengeId: string, ideaId: string) {
      const { challenge, idea, setup, assigned, conflicted, refusal } = await context(actor, challengeId, ideaId);
      // Outside judging an assigned judge still reads their scorecard; only who may score decides who may see it.
      if (refusal && (!assigned || conflicted || !challenge.judgeIds.includes(actor.id))) throw new Forbidden(refusal);
      const card = await Scorecard.findById(scorecardId(ideaId, actor.id)).lean();
      const blind = judgesBlind(actor, challenge, setup.blind);
      const access = accessOf(idea);
      const people = blind ? new Map() : await directory.people([access.authorId, ...access.coAuthors.filter((c) => c.status === 'accepted').map((c) => c.userId)]);
      const others = (setup.assignments.find((entry) => entry.ideaId === ideaId)?.judgeIds ?? []).filter((judgeId) => judgeId !== actor.id);
      const otherCards = await Promise.all(others.map((judgeId) => Scorecard.findById(scorecardId(ideaId, judgeId), { privateNote: 1, judgeId: 1 }).lean()));
      const judgeNames = await directory.people(others);
      return {
        challenge,
        idea,
        blind,
        editable: refusal === null,
        closedReason: refusal,
        authors: blind ? [] : [...people.values()].map((person) => person.name),
        criteria: challenge.criteria.map((criterion, index) => ({ ...criterion, index, score: card?.criteria[index]?.score ?? null, comment: card?.criteria[index]?.comment ?? '' })),
        card: card ? { comment: card.comment, privateNote: card.privateNote, status: card.status, submittedAt: card.submittedAt, total: card.total } : null,
        copilotsNote: await judging.copilotsNote(challenge.id, ideaId),
        notesFromJudges: otherCards
          .filter((other) => other?.privateNote)
          .map((other) => ({ name: judgeNames.get(String(other!.judgeId))?.name ?? message('judging.scorecard.anotherJudge'), note: other!.privateNote })),
      };
    },

    /**
     * Saves the judge's scorecard (a draft may be partial), or submits it when every criterion
     * is scored within its scale. The first save creates the one scorecard (unique _id); two
     * parallel submissions leave one submitted scorecard and one audit entry.
     */
    async save(actor: Actor, challengeId: string, ideaId: string, input: ScorecardInput): Promise<{ submitted: boolean; alreadySubmitted: boolean; total: number | null }> {
      const { challenge, idea, setup, refusal } = await context(actor, challengeId, ideaId);
      if (refusal) throw new Forbidden(refusal);
      const problems = scoreProblems(challenge.criteria, input.criteria, input.submit);
      if (Object.keys(problems).length) throw new Invalid(problems);
      const id = scorecardId(ideaId, actor.id);
      const total = weightedTotal(challenge.criteria, input.criteria);
      const fields = { criteria: input.criteria, comment: input.comment, privateNote: input.privateNote };
      try {
        await Scorecard.create({ _id: id, challengeId: challenge.id, ideaId, judgeId: actor.id, ...fields });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const existing = await Scorecard.findById(id).lean();
      if (!input.submit || existing?.status === 'submitted') {
        // A submitted scorecard stays submitted: its edits must stay complete.
        if (existing?.status === 'submitted' && total === null) throw new Invalid(scoreProblems(challenge.criteria, input.criteria, true));
        await Scorecard.updateOne({ _id: id }, { $set: { ...fields, ...(existing?.status === 'submitted' ? { total } : {}) }, $inc: { version: 1 } });
        if (existing?.status === 'submitted') await judging.scoresChanged(challenge.id);
        return { submitted: existing?.status === 'submitted', alreadySubmitted: existing?.status === 'submitted' && input.submit, total };
      }
      // Conditional on the draft: of two parallel submissions, one moves it to submitted.
      const moved = await Scorecard.updateOne({ _id: id, status: 'draft' }, { $set: { ...fields, status: 'submitted', submittedAt: new Date(), total }, $inc: { version: 1 } });
      if (moved.modifiedCount !== 1) return { submitted: true, alreadySubmitted: true, total };
      await recordAudit(actor, { action: 'scorecard.submitted', targetType: 'idea', targetId: ideaId, targetLabel: idea.title, after: { total } });
      await judging.scoresChanged(challenge.id);
      const judgeIds = setup.assignments.find((entry) => entry.ideaId === ideaId)?.judgeIds ?? [];
      await markScoredWhenComplete(ideaId, judgeIds);
      events.emit('scorecard.submitted', { challengeId: challenge.id, ideaId, judgeId: actor.id });
      return { submitted: true, alreadySubmitted: false, total };
    },
  };
}

export type Scorecards = ReturnType<typeof createScorecards>;
