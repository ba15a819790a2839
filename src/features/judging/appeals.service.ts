import mongoose from 'mongoose';
import { message } from '../../i18n/i18n.ts';
import type { Actor } from '../../shared/actor.ts';
import { Conflict, Forbidden, Invalid, isDuplicateKeyError, NotFound } from '../../shared/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import { isJudge } from '../challenges/challenges.policy.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import { Idea } from '../ideas/idea.model.ts';
import { isAuthor } from '../ideas/ideas.policy.ts';
import { accessOf } from '../ideas/ideas.service.ts';
import type { Notifications } from '../notifications/notifications.service.ts';
import { Appeal } from './appeals.model.ts';
import { appealRefusal, feedbackOpen } from './appeals.policy.ts';
import type { AnswerInput } from './appeals.schemas.ts';
import { Scorecard, scorecardId } from './judging.model.ts';
import { canOpenJudging } from './judging.policy.ts';
import type { JudgingService } from './judging.service.ts';
import { scoreProblems, weightedTotal } from './scoring.ts';
import { roundTo } from '../../shared/rounding.ts';

type Deps = { challenges: Challenges; judging: JudgingService; directory: UserDirectory; notifications: Notifications };

const mean = (values: number[]) => (values.length ? roundTo(values.reduce((sum, value) => sum + value, 0) / values.length, 1) : null);

/** Appeals: authors read their scores and appeal once per idea; any judge of the challenge answers. */
export function createAppeals(deps: Deps) {
  const { challenges, judging, directory, notifications } = deps;

  async function ideaWithChallenge(actor: Actor, ideaId: string) {
    const idea = mongoose.isValidObjectId(ideaId) ? await Idea.findById(ideaId).lean() : null;
    if (!idea) throw new NotFound(message('judging.refusal.ideaNotFound'));
    const challenge = await challenges.visibleChallenge(actor, String(idea.challengeId));
    return { idea, challenge };
  }

  /** Every submitted scorecard of the idea: one read by _id per judge the challenge ever had on it. */
  async function submittedCards(challengeId: string, ideaId: string, judgeIds: string[]) {
    const setup = await judging.read(challengeId);
    const everyJudge = new Set([...judgeIds, ...(setup.assignments.find((entry) => entry.ideaId === ideaId)?.judgeIds ?? [])]);
    const cards = await Promise.all([...everyJudge].map((judgeId) => Scorecard.findById(scorecardId(ideaId, judgeId)).lean()));
    return cards.filter((card) => card?.status === 'submitted').map((card) => card!);
  }

  const authorIds = (idea: Parameters<typeof accessOf>[0]) => {
    const access = accessOf(idea);
    return [access.authorId, ...access.coAuthors.filter((c) => c.status === 'accepted').map((c) => c.userId)];
  };

  return {
    /**
     * What the authors read: each scorecard's scores and comments, anonymous and without the
     * judges' private notes, the mean total, and their appeal with its answer.
     */
    async feedback(actor: Actor, ideaId: string) {
      const { idea, challenge } = await ideaWithChallenge(actor, ideaId);
      if (!isAuthor(actor, accessOf(idea))) throw new Forbidden(message('judging.refusal.feedbackAuthorsOnly'));
      if (!feedbackOpen(challenge.phase)) throw new Conflict(message('judging.refusal.feedbackNotYet'));
      const cards = (await submittedCards(challenge.id, ideaId, challenge.judgeIds)).sort((a, b) => (b.total ?? 0) - (a.total ?? 0));
      const appeal = await Appeal.findById(ideaId).lean();
      const refusal = appealRefusal(challenge, idea, appeal);
      return {
        challenge,
        idea: { id: ideaId, title: idea.title, status: idea.status },
        // Numbered, never named: the scores are the judges', the judgement stays anonymous.
        cards: cards.map((card, index) => ({
          number: index + 1,
          total: card.total,
          comment: card.comment,
          criteria: challenge.criteria.map((criterion, at) => ({
            name: criterion.name,
            scaleMin: criterion.scaleMin,
            scaleMax: criterion.scaleMax,
            score: card.criteria[at]?.score ?? null,
            comment: card.criteria[at]?.comment ?? '',
          })),
        })),
        meanTotal: mean(cards.map((card) => card.total).filter((total): total is number => total !== null)),
        appeal: appeal
          ? {
              text: appeal.text,
              at: appeal.at,
              answer: appeal.answer ? { text: appeal.answer.text, at: appeal.answer.at, totalBefore: appeal.answer.totalBefore, totalAfter: appeal.answer.totalAfter } : null,
            }
          : null,
        // No appeals phase and no appeal: nothing to say about appeals at all.
        appealSection: challenge.appealsEnabled || appeal !== null,
        canAppeal: refusal === null && cards.length > 0,
        refusal,
      };
    },

    /** An author's one appeal on an idea, within the appeals window. */
    async appeal(actor: Actor, ideaId: string, text: string): Promise<void> {
      const { idea, challenge } = await ideaWithChallenge(actor, ideaId);
      if (!isAuthor(actor, accessOf(idea))) throw new Forbidden(message('judging.refusal.appealAuthorsOnly'));
      const refusal = appealRefusal(challenge, idea, await Appeal.findById(ideaId).lean());
      if (refusal) throw new Conflict(refusal);
      try {
        await Appeal.create({ _id: ideaId, challengeId: challenge.id, byId: actor.id, byName: actor.name, text });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // A co-author (or a second tab) appealed a moment ago: theirs is the idea's one appeal.
        throw new Conflict(appealRefusal(challenge, idea, await Appeal.findById(ideaId).lean()) ?? message('judging.refusal.alreadyAppealed'));
      }
      await recordAudit(actor, { action: 'appeal.filed', targetType: 'idea', targetId: ideaId, targetLabel: idea.title, after: { text } });
      const conflicted = new Set((await judging.read(challenge.id)).conflicts.filter((c) => c.ideaId === ideaId).map((c) => c.judgeId));
      await notifications.notify(
        challenge.judgeIds.filter((judgeId) => !conflicted.has(judgeId)),
        { kind: 'appeal', text: message('notifications.appealed', { title: idea.title, challenge: challenge.title }), link: `/challenges/${challenge.id}/judging/appeals` },
        { except: actor.id },
      );
    },

    /** The judges' list: every appeal on the shortlist, with the reader's own scores to revise. */
    async list(actor: Actor, challengeId: string) {
      const challenge = await challenges.visibleChallenge(actor, challengeId);
      if (!canOpenJudging(actor, challenge)) throw new Forbidden(message('judging.refusal.appealsReaders'));
      const setup = await judging.read(challenge.id);
      const ideaIds = await judging.shortlistIds(challenge.id);
      const found = (await Promise.all(ideaIds.map((id) => Appeal.findById(id).lean()))).filter((appeal) => appeal !== null);
      const judgeNames = await directory.people(challenge.judgeIds);
      const items = await Promise.all(
        found.map(async (appeal) => {
          const ideaId = appeal._id;
          const idea = await Idea.findById(ideaId, { title: 1 }).lean();
          const cards = await submittedCards(challenge.id, ideaId, challenge.judgeIds);
          const mine = cards.find((card) => String(card.judgeId) === actor.id);
          const conflicted = setup.conflicts.some((c) => c.ideaId === ideaId && c.judgeId === actor.id);
          return {
            ideaId,
            title: idea?.title ?? message('common.removedIdea'),
            text: appeal.text,
            at: appeal.at,
            answer: appeal.answer,
            meanTotal: mean(cards.map((card) => card.total).filter((total): total is number => total !== null)),
            scores: cards.map((card) => ({ judge: judgeNames.get(String(card.judgeId))?.name ?? 'a former judge', total: card.total })),
            canAnswer: isJudge(actor, challenge) && !conflicted && challenge.phase === 'appeals' && !appeal.answer,
            myCriteria: mine ? challenge.criteria.map((criterion, index) => ({ ...criterion, index, score: mine.criteria[index]?.score ?? null })) : null,
          };
        }),
      );
      return { challenge, appeals: items, open: items.filter((item) => !item.answer).length };
    },

    /**
     * A judge answers an appeal (once), and may revise their own scores on the idea with it: the
     * total is recomputed and the ranking told. The author is notified; both steps are audited.
     */
    async answer(actor: Actor, challengeId: string, ideaId: string, input: AnswerInput): Promise<{ totalBefore: number | null; totalAfter: number | null }> {
      const challenge = await challenges.visibleChallenge(actor, challengeId);
      if (!isJudge(actor, challenge)) throw new Forbidden(message('judging.refusal.appealsAnswerers'));
      if ((await judging.read(challenge.id)).conflicts.some((c) => c.ideaId === ideaId && c.judgeId === actor.id)) {
        throw new Forbidden(message('judging.refusal.appealConflicted'));
      }
      const appeal = await Appeal.findById(ideaId).lean();
      if (!appeal || String(appeal.challengeId) !== challenge.id) throw new NotFound(message('judging.refusal.noAppeal'));
      const answeredOn = (at: Date) => message('judging.refusal.appealAnswered', { date: at });
      if (appeal.answer) throw new Conflict(answeredOn(appeal.answer.at));
      if (challenge.phase !== 'appeals') throw new Conflict(message('judging.refusal.answerInPhase'));

      const card = await Scorecard.findById(scorecardId(ideaId, actor.id)).lean();
      let change: { criteria: Array<{ score: number | null; comment: string }>; total: number | null } | null = null;
      if (card?.status === 'submitted' && input.scores) {
        const criteria = input.scores.map((score, index) => ({ score, comment: card.criteria[index]?.comment ?? '' }));
        const problems = scoreProblems(challenge.criteria, criteria, true);
        if (Object.keys(problems).length) throw new Invalid(problems);
        if (criteria.some((criterion, index) => criterion.score !== (card.criteria[index]?.score ?? null))) change = { criteria, total: weightedTotal(challenge.criteria, criteria) };
      }
      const totals = { totalBefore: card?.total ?? null, totalAfter: change ? change.total : (card?.total ?? null) };
      // Conditional on no answer yet: of two judges answering at once, one answer stands.
      const claimed = await Appeal.updateOne(
        { _id: ideaId, answer: null },
        { $set: { answer: { text: input.answer, at: new Date(), byId: actor.id, byName: actor.name, ...(change ? totals : {}) } } },
      );
      if (claimed.modifiedCount !== 1) throw new Conflict(answeredOn((await Appeal.findById(ideaId).lean())?.answer?.at ?? new Date()));

      const idea = await Idea.findById(ideaId).lean();
      if (change && card) {
        await Scorecard.updateOne({ _id: card._id, status: 'submitted' }, { $set: { criteria: change.criteria, total: change.total }, $inc: { version: 1 } });
        await recordAudit(actor, {
          action: 'scorecard.changed_on_appeal',
          targetType: 'idea',
          targetId: ideaId,
          targetLabel: idea?.title ?? '',
          before: { total: card.total, scores: card.criteria.map((criterion) => criterion.score) },
          after: { total: change.total, scores: change.criteria.map((criterion) => criterion.score) },
          reason: input.answer,
        });
        await judging.scoresChanged(challenge.id);
      }
      await recordAudit(actor, { action: 'appeal.answered', targetType: 'idea', targetId: ideaId, targetLabel: idea?.title ?? '', after: { answer: input.answer, ...totals } });
      if (idea) {
        await notifications.notify(authorIds(idea), { kind: 'appeal', text: message('notifications.appealAnswered', { title: idea.title }), link: `/ideas/${ideaId}/feedback` }, { except: actor.id });
      }
      return totals;
    },
  };
}

export type Appeals = ReturnType<typeof createAppeals>;
