import { message, type Message } from '../../i18n/i18n.ts';
import type { Actor } from '../../shared/actor.ts';
import { Conflict, Forbidden } from '../../shared/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { isJudge } from '../challenges/challenges.policy.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import { pickNextScorecard, scorecardBudget } from './adaptive.ts';
import { conflictKey } from './assignment.ts';
import { Scorecard, scorecardId } from './judging.model.ts';
import { canManageJudging } from './judging.policy.ts';
import type { JudgingService, JudgingSetup } from './judging.service.ts';
import type { Results } from './results.service.ts';

type Deps = { challenges: Challenges; judging: JudgingService; results: Results };

/** Thrown inside the conditional rewrite when there is nothing to hand out: nothing is written. */
class NothingLeft extends Error {
  readonly reason: Message;
  constructor(reason: Message) {
    super(reason.key);
    this.reason = reason;
  }
}

export type NextIdea = { ideaId: string; pulled: boolean } | { ideaId: null; reason: Message };

/**
 * "Score the next idea" (issue #21): a judge is handed their next scorecard. First the ideas they
 * already have and have not submitted (the balanced plan every mode starts with); then, under
 * adaptive judging, the idea nearest the prize line relative to its uncertainty (adaptive.ts),
 * within the staff's budget, until staff stop judging early.
 *
 * Two judges asking at once: the hand-out is a rewrite of the judging document conditional on its
 * version (database.md: an atomic conditional update), recomputed from the fresh document when
 * another write got there first; so no judge holds an idea twice and the budget is never passed.
 */
export function createPulls(deps: Deps) {
  const { challenges, judging, results } = deps;

  async function openIdea(actor: Actor, setup: JudgingSetup): Promise<string | null> {
    const mine = setup.assignments.filter((entry) => entry.judgeIds.includes(actor.id) && !setup.conflicts.some((c) => c.ideaId === entry.ideaId && c.judgeId === actor.id));
    const cards = await Promise.all(mine.map((entry) => Scorecard.findById(scorecardId(entry.ideaId, actor.id), { status: 1 }).lean()));
    return mine.find((_, index) => cards[index]?.status !== 'submitted')?.ideaId ?? null;
  }

  return {
    /** The judge's next planned idea not yet submitted, without handing out a new one. */
    async nextPlanned(actor: Actor, challengeId: string): Promise<string | null> {
      return openIdea(actor, await judging.read(challengeId));
    },

    async nextIdea(actor: Actor, challengeId: string): Promise<NextIdea> {
      const challenge = await challenges.visibleChallenge(actor, challengeId);
      if (!isJudge(actor, challenge)) throw new Forbidden(message('judging.refusal.notJudge'));
      if (challenge.phase !== 'judging') throw new Conflict(message('judging.refusal.handedOutWhen'));
      const setup = await judging.read(challenge.id);
      const open = await openIdea(actor, setup);
      if (open) return { ideaId: open, pulled: false };
      if (setup.mode !== 'adaptive') return { ideaId: null, reason: message('judging.refusal.allScored') };
      const ranking = await results.rankingOf(challenge);
      const value = new Map(ranking.rows.filter((row) => row.pullValue !== null).map((row) => [row.ideaId, row.pullValue!]));
      let ideaId = '';
      try {
        await judging.rewrite(
          challenge.id,
          (current) => {
            if (current.stoppedAt) throw new NothingLeft(message('judging.refusal.stoppedByStaff'));
            const budget = scorecardBudget(current, current.assignments.length);
            const used = current.assignments.reduce((sum, entry) => sum + entry.judgeIds.length, 0);
            if (budget.per === 'total' && used >= budget.limit) throw new NothingLeft(message('judging.refusal.budgetSpent'));
            const pull = pickNextScorecard({
              ideaIds: current.assignments.map((entry) => entry.ideaId),
              judgeIds: challenge.judgeIds,
              holders: new Map(current.assignments.map((entry) => [entry.ideaId, entry.judgeIds])),
              conflicts: new Set(current.conflicts.map((c) => conflictKey(c.ideaId, c.judgeId))),
              minimum: current.perIdea,
              value,
              asker: actor.id,
              perJudgeCap: budget.per === 'judge' ? budget.limit : undefined,
            });
            if (!pull) throw new NothingLeft(message(budget.per === 'judge' ? 'judging.refusal.shareDone' : 'judging.refusal.allYouMay'));
            ideaId = pull.ideaId;
            return { assignments: current.assignments.map((entry) => (entry.ideaId === pull.ideaId ? { ideaId: entry.ideaId, judgeIds: [...entry.judgeIds, actor.id] } : entry)) };
            // Every judge of a panel may ask at the same moment: each retry sees the others' claims.
          },
          4 * challenge.judgeIds.length + 5,
        );
      } catch (error) {
        if (error instanceof NothingLeft) return { ideaId: null, reason: error.reason };
        throw error;
      }
      await recordAudit(actor, { action: 'judging.pulled', targetType: 'idea', targetId: ideaId, targetLabel: challenge.title });
      return { ideaId, pulled: true };
    },

    /** Staff end adaptive judging early (the winners are settled): no more scorecards are handed out. */
    async stopEarly(actor: Actor, challengeId: string) {
      const challenge = await challenges.visibleChallenge(actor, challengeId);
      if (!canManageJudging(actor)) throw new Forbidden(message('judging.refusal.staffOnly'));
      const setup = await judging.read(challenge.id);
      if (setup.mode !== 'adaptive') throw new Conflict(message('judging.refusal.notAdaptive'));
      if (setup.stoppedAt) return;
      const { line } = await results.rankingOf(challenge);
      await judging.rewrite(challenge.id, () => ({ stoppedAt: new Date() }));
      await recordAudit(actor, { action: 'judging.stopped_early', targetType: 'challenge', targetId: challenge.id, targetLabel: challenge.title, after: { settled: line?.settled ?? null } });
    },
  };
}

export type Pulls = ReturnType<typeof createPulls>;
