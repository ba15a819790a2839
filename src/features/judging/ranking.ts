/**
 * The ranking the judging service shows: for each idea, the raw mean and its rank, the per-judge
 * z-score baseline, the calibrated score and rank with a 90% rank interval ("between 2nd and
 * 5th"); for each judge, the fitted leniency and spread. Pure: same scores and seed, same answer.
 */
import { rawMeans, zScoreMeans } from './baselines.ts';
import { fitCalibration, type JudgeScore } from './calibration.ts';
import { prizeLine, stillOpen, valueOfOneMoreScore } from './prize-line.ts';
import { ranksOf } from './ranks.ts';
import { randomFrom } from './rng.ts';

export type RankingInput = {
  /** Every idea to list; ideas without scores are listed unranked. Defaults to the scored ones. */
  ideaIds?: readonly string[];
  /** One weighted total per submitted scorecard. */
  scores: readonly JudgeScore[];
  /** The totals' scale and rounding (weighted totals: 0–100 in steps of 0.1): ends are censored. */
  scale?: { min: number; max: number };
  step?: number;
  /** Seeds the interval draws (e.g. the challenge id), so a page shows the same interval on reload. */
  seed: number | string;
  draws?: number;
  level?: number;
  /** Places with a prize: each idea's chance of being among them, and how settled they are. */
  top?: number;
  /** Judges on the panel (an idea gets at most one scorecard from each); defaults to those who scored. */
  judgeCount?: number;
};

export type IdeaRanking = {
  ideaId: string;
  scoreCount: number;
  rawMean: number | null;
  rawRank: number | null;
  zScoreMean: number | null;
  zScoreRank: number | null;
  /** What a typical judge (average leniency and spread) would give the idea, on the totals' scale. */
  calibratedScore: number | null;
  calibratedRank: number | null;
  /** The calibrated quality in sds of the shortlist (the input to the crowd blend). */
  quality: number | null;
  interval: { low: number; high: number } | null;
  /** The share of posterior draws (the interval's) in which the idea is among the top places. */
  winChance: number | null;
  /** What one more score is worth for telling the winners (prize-line.ts): the next scorecard goes where it is highest. */
  pullValue: number | null;
};

export type JudgeCalibration = {
  judgeId: string;
  scoreCount: number;
  /** Points the judge adds to every score (negative: harsh). */
  leniency: number;
  /** How far the judge spreads ideas apart relative to a typical judge (1: typical). */
  spread: number;
};

/**
 * How sure the winners are: `settled` is the share of draws whose top places hold exactly the
 * fitted winners; `places` the fitted places still too close to call; `more` about how many
 * scorecards would settle them (null: more than the judges can give). While `unscored` ideas
 * have no score at all, nothing is claimed (settled 0): any of them could win.
 */
export type WinnersLine = { top: number; settled: number; places: number[]; more: number | null; unscored: number };

export type Ranking = { ideas: IdeaRanking[]; judges: JudgeCalibration[]; noiseSd: number | null; line: WinnersLine | null };

export function rankIdeas(input: RankingInput): Ranking {
  const fit = fitCalibration(input.scores, { scale: input.scale, step: input.step });
  const raw = rawMeans(input.scores);
  const z = zScoreMeans(input.scores);
  // The three modules order the scored ideas the same way (sorted ids): index k is one idea.
  const rawRanks = ranksOf(raw.means);
  const zRanks = ranksOf(z.means);
  // Rounded so that ideas the fit cannot tell apart (differences of 1e-8 points) share a rank.
  const calibratedRanks = ranksOf(fit.quality.map((q) => Math.round((q / fit.tau) * 1e6)));
  const line = prizeLine(fit, { top: input.top ?? 0, draws: input.draws, level: input.level, random: randomFrom(input.seed) });
  const intervals = line.intervals;
  const values = input.top ? valueOfOneMoreScore(fit, input.top) : null;
  const scoredIndex = new Map(fit.ideaIds.map((id, k) => [id, k]));
  const ideaIds = [...new Set([...(input.ideaIds ?? []), ...fit.ideaIds])].sort();
  // A typical judge could not give more than the scale allows either (the censored fit can place a
  // best idea beyond the top: its rank says so, its score stays on the scale).
  const onScale = (value: number) => (input.scale ? Math.min(input.scale.max, Math.max(input.scale.min, value)) : value);

  const ideas = ideaIds.map((ideaId): IdeaRanking => {
    const k = scoredIndex.get(ideaId);
    if (k === undefined) {
      return {
        ideaId,
        scoreCount: 0,
        rawMean: null,
        rawRank: null,
        zScoreMean: null,
        zScoreRank: null,
        calibratedScore: null,
        calibratedRank: null,
        quality: null,
        interval: null,
        winChance: null,
        pullValue: null,
      };
    }
    return {
      ideaId,
      scoreCount: fit.ideaCounts[k]!,
      rawMean: raw.means[k]!,
      rawRank: rawRanks[k]!,
      zScoreMean: z.means[k]!,
      zScoreRank: zRanks[k]!,
      calibratedScore: onScale(fit.mu + fit.quality[k]!),
      calibratedRank: calibratedRanks[k]!,
      quality: fit.quality[k]! / fit.tau,
      interval: intervals[k]!,
      winChance: input.top ? line.chance[k]! : null,
      pullValue: input.top ? values![k]! : null,
    };
  });
  ideas.sort((x, y) => (x.calibratedRank ?? Infinity) - (y.calibratedRank ?? Infinity) || (x.ideaId < y.ideaId ? -1 : 1));
  const judges = fit.judgeIds.map((judgeId, j) => ({ judgeId, scoreCount: fit.judgeCounts[j]!, leniency: fit.leniency[j]!, spread: fit.spread[j]! }));
  const unscored = ideas.filter((idea) => idea.scoreCount === 0).length;
  const open = input.top && fit.ideaIds.length ? stillOpen(fit, line, { maxPerIdea: input.judgeCount ?? fit.judgeIds.length }) : null;
  const winners: WinnersLine | null =
    !input.top || !open ? null : unscored ? { top: input.top, settled: 0, places: [], more: null, unscored } : { top: line.top, settled: line.settled, ...open, unscored: 0 };
  return { ideas, judges, noiseSd: fit.ideaIds.length ? fit.sigma : null, line: winners };
}
