import { conflictKey } from './assignment.ts';

/**
 * Which scorecard to fill next under adaptive judging (issue #21). Judges' time is the scarce
 * resource, and most of it goes on ideas whose place is already clear. So: first every idea gets
 * `minimum` judges (the balanced, overlapping plan of assignment.ts makes those); after that the
 * next scorecard goes to the idea nearest the prize line relative to its uncertainty, to a judge who has not scored it and has no conflict, the
 * least-loaded first. "Nearest relative to its uncertainty" is measured as the value of one more
 * score (prize-line.ts: valueOfOneMoreScore). Pure and deterministic: ties go to fewer scores,
 * then to the smaller id.
 */
export type PullInput = {
  ideaIds: readonly string[];
  judgeIds: readonly string[];
  /** The judges each idea already has (scored or pulled). */
  holders: ReadonlyMap<string, readonly string[]>;
  conflicts?: ReadonlySet<string>;
  minimum: number;
  /** Per idea: the value of one more score (higher first); an idea missing here (unscored) comes first. */
  value: ReadonlyMap<string, number>;
  /** When a judge asks, only they may take the scorecard. */
  asker?: string;
  /** No judge holds more than this many ideas. */
  perJudgeCap?: number;
  /** Ideas not to pick now (already picked in this round, before their score is in). */
  pickedThisRound?: ReadonlySet<string>;
};

export type Pull = { ideaId: string; judgeId: string };

export function pickNextScorecard(input: PullInput): Pull | null {
  const loads = new Map<string, number>();
  for (const members of input.holders.values()) for (const judgeId of members) loads.set(judgeId, (loads.get(judgeId) ?? 0) + 1);
  const cap = input.perJudgeCap ?? Infinity;
  const judges = [...new Set(input.asker ? [input.asker] : input.judgeIds)].sort().filter((judgeId) => (loads.get(judgeId) ?? 0) < cap);
  const urgency = (ideaId: string) => {
    const held = input.holders.get(ideaId)?.length ?? 0;
    return [held < input.minimum ? 0 : 1, -(input.value.get(ideaId) ?? Infinity), held];
  };
  const ideas = [...new Set(input.ideaIds)]
    .filter((ideaId) => !input.pickedThisRound?.has(ideaId))
    .map((ideaId) => ({ ideaId, key: urgency(ideaId) }))
    .sort((x, y) => compare(x.key, y.key) || (x.ideaId < y.ideaId ? -1 : 1));
  for (const { ideaId } of ideas) {
    const held = input.holders.get(ideaId) ?? [];
    const eligible = judges.filter((judgeId) => !held.includes(judgeId) && !input.conflicts?.has(conflictKey(ideaId, judgeId)));
    if (!eligible.length) continue;
    // Least-loaded first; then the judge who meets the most new partners on this idea, so that
    // every pair of judges keeps sharing ideas (calibration compares judges through them).
    const partners = (judgeId: string) => held.filter((other) => ![...input.holders.values()].some((members) => members.includes(judgeId) && members.includes(other))).length;
    const judgeId = eligible.map((id) => ({ id, key: [loads.get(id) ?? 0, -partners(id)] })).sort((x, y) => compare(x.key, y.key) || (x.id < y.id ? -1 : 1))[0]!.id;
    return { ideaId, judgeId };
  }
  return null;
}

function compare(x: number[], y: number[]): number {
  for (let index = 0; index < x.length; index++) if (x[index] !== y[index]) return x[index]! < y[index]! ? -1 : 1;
  return 0;
}

/**
 * The most scorecards staff allow under adaptive judging: their budget, in all or per judge;
 * without one, one more judge per idea than the minimum in all (what a fixed design of k + 1
 * judges per idea would ask, so that adaptive judging never costs more).
 */
export function scorecardBudget(setup: { budget: number | null; budgetPer: 'total' | 'judge'; perIdea: number }, ideaCount: number): { limit: number; per: 'total' | 'judge' } {
  if (setup.budget !== null) return { limit: setup.budget, per: setup.budgetPer };
  return { limit: (setup.perIdea + 1) * ideaCount, per: 'total' };
}
