import { message, type Message } from '../../i18n/i18n.ts';
import { roundTo } from '../../shared/rounding.ts';

/** A criterion of the challenge's scorecard, as the challenge stores it. */
export type Criterion = { name: string; weight: number; scaleMin: number; scaleMax: number; guidance: string };
export type CriterionScore = { score: number | null; comment: string };

/**
 * The weighted total of complete criterion scores on a 0–100 scale: each score is first placed
 * on 0–1 within its own scale, so a 1–5 and a 0–10 criterion count by their weights alone.
 * Null while any criterion is unscored, or when the weights do not add up to more than 0.
 */
export function weightedTotal(criteria: Criterion[], scores: CriterionScore[]): number | null {
  const weightSum = criteria.reduce((sum, criterion) => sum + criterion.weight, 0);
  if (!(weightSum > 0)) return null;
  let total = 0;
  for (const [index, criterion] of criteria.entries()) {
    const score = scores[index]?.score;
    if (score === null || score === undefined) return null;
    total += (criterion.weight * (score - criterion.scaleMin)) / (criterion.scaleMax - criterion.scaleMin);
  }
  return roundTo((total / weightSum) * 100, 1);
}

/**
 * Field messages for a scorecard's scores: outside the scale, or missing when it is submitted.
 * Fields are named `score_<index>` as in the form.
 */
export function scoreProblems(criteria: Criterion[], scores: CriterionScore[], submitting: boolean): Record<string, Message> {
  const problems: Record<string, Message> = {};
  if (criteria.length === 0 || !(criteria.reduce((sum, criterion) => sum + criterion.weight, 0) > 0)) {
    problems.form = message('judging.refusal.noCriteria');
    return problems;
  }
  for (const [index, criterion] of criteria.entries()) {
    const score = scores[index]?.score ?? null;
    if (score === null) {
      if (submitting) problems[`score_${index}`] = message('judging.refusal.scoreMissing', { name: criterion.name });
    } else if (!Number.isInteger(score) || score < criterion.scaleMin || score > criterion.scaleMax) {
      problems[`score_${index}`] = message('judging.refusal.scoreRange', { name: criterion.name, min: criterion.scaleMin, max: criterion.scaleMax });
    }
  }
  return problems;
}
