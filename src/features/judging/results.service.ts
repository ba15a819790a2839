import type { Actor } from '../../shared/actor.ts';
import { Forbidden } from '../../shared/errors.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { Comparisons } from '../community/comparisons.service.ts';
import type { IdeaBoard } from '../ideas/idea-board.ts';
import { criterionAgreement, totalAgreement } from './agreement.ts';
import { blendWithCrowd } from './blend.ts';
import { Scorecard, scorecardId } from './judging.model.ts';
import { canSeeResults } from './judging.policy.ts';
import type { JudgingService, JudgingSetup } from './judging.service.ts';
import { rankIdeas, type WinnersLine } from './ranking.ts';
import { roundTo } from '../../shared/rounding.ts';
import { shownName } from '../../shared/personal-data.ts';
import { message, type Message } from '../../i18n/i18n.ts';

type Deps = { challenges: Challenges; judging: JudgingService; board: IdeaBoard; comparisons: Comparisons; directory: UserDirectory };

async function computeRanking(deps: Deps, challenge: ChallengeView) {
  const { judging, board, comparisons, directory } = deps;
  const setup = await judging.read(challenge.id);
  const ideaIds = await judging.shortlistIds(challenge.id);
  // Only the ideas on the list: one staff took off the frozen shortlist keeps its assignments
  // and any scorecard, but is out of the running and counts in no progress.
  const listed = new Set(ideaIds);
  const pairs = setup.assignments.filter((entry) => listed.has(entry.ideaId)).flatMap((entry) => entry.judgeIds.map((judgeId) => ({ ideaId: entry.ideaId, judgeId })));
  const cards = (await Promise.all(pairs.map((pair) => Scorecard.findById(scorecardId(pair.ideaId, pair.judgeId)).lean()))).filter((card) => card?.status === 'submitted' && card.total !== null);
  const scores = cards.map((card) => ({ ideaId: String(card!.ideaId), judgeId: String(card!.judgeId), score: card!.total! }));
  const ranking = rankIdeas({ ideaIds, scores, scale: { min: 0, max: 100 }, step: 0.1, seed: challenge.id, top: prizePlaces(challenge), judgeCount: challenge.judgeIds.length });
  const crowd = new Map<string, { score: number; low: number; high: number } | null>();
  for (const ideaId of ideaIds) {
    const score = await comparisons.ideaScore(challenge.id, ideaId);
    crowd.set(ideaId, score.comparisons > 0 ? score : null);
  }
  const ranked = ranking.ideas.filter((idea) => idea.quality !== null);
  const blend =
    setup.crowdWeight > 0 && ranked.length > 1
      ? new Map(
          blendWithCrowd(
            new Map(ranked.map((idea) => [idea.ideaId, idea.quality!])),
            new Map([...crowd].filter(([, value]) => value !== null).map(([ideaId, value]) => [ideaId, value!.score])),
            setup.crowdWeight,
          ).map((entry) => [entry.ideaId, entry]),
        )
      : null;
  const titles = new Map((await board.cards(challenge.id)).map((card) => [card.id, card.title]));
  const judgeNames = await directory.people(ranking.judges.map((judge) => judge.judgeId));
  const rows = ranking.ideas.map((idea) => {
    const blended = blend?.get(idea.ideaId);
    return {
      ...idea,
      title: titles.get(idea.ideaId) ?? 'a removed idea',
      crowd: crowd.get(idea.ideaId) ?? null,
      blendedRank: blended?.blendedRank ?? null,
      finalRank: blended?.blendedRank ?? idea.calibratedRank,
      winPercent: idea.winChance === null ? null : percentOf(idea.winChance),
      rankLow: idea.interval?.low ?? null,
      rankHigh: idea.interval?.high ?? null,
    };
  });
  rows.sort((a, b) => (a.finalRank ?? Infinity) - (b.finalRank ?? Infinity) || (a.title < b.title ? -1 : 1));
  const criteria = criterionAgreement(
    challenge.criteria.map((criterion) => criterion.name),
    cards.map((card) => ({ ideaId: String(card!.ideaId), judgeId: String(card!.judgeId), scores: card!.criteria.map((criterion) => criterion.score ?? null) })),
  );
  return {
    rows,
    scored: scores.length,
    expected: pairs.length,
    crowdWeight: setup.crowdWeight,
    adaptive: setup.mode === 'adaptive',
    stopped: Boolean(setup.stoppedAt),
    agreement: totalAgreement(scores),
    criteria,
    judges: ranking.judges.map((judge) => ({ ...judge, name: shownName(judgeNames.get(judge.judgeId)) })),
    noiseSd: ranking.noiseSd,
    line: ranking.line,
    lineText: describeLine(ranking.line),
    widest: [...rows]
      .filter((row) => row.interval)
      .sort((a, b) => b.interval!.high - b.interval!.low - (a.interval!.high - a.interval!.low))
      .slice(0, 3),
  };
}

/** A chance as staff read it: never "0%" or "100%" from a finite number of draws. */
const percentOf = (chance: number): Message =>
  chance < 0.01 ? message('judging.results.under1') : chance > 0.99 ? message('judging.results.over99') : message('judging.results.percent', { n: roundTo(chance * 100) });

/** The places with a prize: one per prize tier, three when staff have not named the prizes. */
const prizePlaces = (challenge: ChallengeView) => challenge.prizes.length || 3;

/** The challenge-level line beside the ranking: settled, or which places are still open. */
export function describeLine(line: WinnersLine | null): Message | null {
  if (!line) return null;
  if (line.unscored) return message('judging.summary.unscored', { count: line.unscored });
  if (line.settled >= 0.95) return message('judging.summary.settled95', { top: line.top });
  if (!line.places.length) return message('judging.summary.settled', { top: line.top, percent: Math.floor(line.settled * 100) });
  const first = line.places[0]!;
  const last = line.places.at(-1)!;
  const one = first === last;
  const more =
    line.more === null
      ? message(one ? 'judging.summary.moreThanPossibleOne' : 'judging.summary.moreThanPossibleMany')
      : message(one ? 'judging.summary.moreOne' : 'judging.summary.moreMany', { count: line.more });
  return one ? message('judging.summary.oneTooClose', { place: first, more }) : message('judging.summary.manyTooClose', { first, last, more });
}

/**
 * The judges' ranking of a challenge's shortlist: raw and calibrated side by side, each idea's
 * rank interval, agreement overall and per criterion, the judges' fitted leniency and spread, and
 * the crowd blend when staff gave the crowd a share. Computed from the submitted scorecards (one
 * lookup by _id per assigned pair) and cached until a scorecard, the setup or one of the
 * challenge's ideas changes (the board's version: a title, or an idea taken off the frozen
 * shortlist, which moves its status but not the setup).
 */
export function createResults(deps: Deps) {
  const { challenges, judging, board } = deps;
  const cache = new Map<string, { key: string; value: Promise<RankingView> }>();

  /** The ranking computed under this setup's versions, or kept from the last time they were the same. */
  function rankingAt(challenge: ChallengeView, setup: JudgingSetup): Promise<RankingView> {
    const key = `${setup.scoresVersion}:${setup.crowdWeight}:${setup.version}:${board.version(challenge.id)}`;
    const cached = cache.get(challenge.id);
    if (cached?.key === key) return cached.value;
    const value = computeRanking(deps, challenge);
    cache.set(challenge.id, { key, value });
    value.catch(() => cache.delete(challenge.id));
    return value;
  }

  return {
    /** The ranking for the system (winners, insights, promotions): no policy check, and the setup as stored now. */
    rankingOf: async (challenge: ChallengeView) => rankingAt(challenge, await judging.read(challenge.id)),

    /** The ranking page, read on every request: the setup as this process keeps it (judging.service.ts, `currentSetup`). */
    async ranking(actor: Actor, challengeId: string) {
      const challenge = await challenges.visibleChallenge(actor, challengeId);
      if (!canSeeResults(actor, challenge)) throw new Forbidden(message('judging.refusal.resultsReaders'));
      return { challenge, ...(await rankingAt(challenge, await judging.currentSetup(challenge.id))) };
    },
  };
}

type RankingView = Awaited<ReturnType<typeof computeRanking>>;

export type Results = ReturnType<typeof createResults>;
