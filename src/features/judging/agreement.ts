/**
 * How much judges agree: Krippendorff's alpha with the interval metric (works when judges saw
 * different subsets, any number of judges per idea) and Kendall's W (only when every judge scored
 * every idea, as a second opinion for that design). Both return null when there is too little to
 * say anything: fewer than two ideas with two scores, or no variation at all.
 */

export type Rating = { unitId: string; raterId: string; value: number };

/** Krippendorff (2004): below 0.667 even tentative conclusions from the scores are doubtful. */
export const ALPHA_DOUBTFUL = 0.667;

/**
 * alpha = 1 − D_o / D_e. D_o: mean squared difference between two scores of the same idea (each
 * idea's pairs weighted by 1/(m − 1), m its number of scores); D_e: the same between any two
 * scores. Ideas with a single score cannot be paired and do not count.
 */
export function krippendorffAlpha(ratings: readonly Rating[]): number | null {
  const units = new Map<string, number[]>();
  for (const rating of ratings) {
    const values = units.get(rating.unitId) ?? [];
    values.push(rating.value);
    units.set(rating.unitId, values);
  }
  let n = 0;
  let pairable = 0;
  let observed = 0;
  let sum = 0;
  let sumSquares = 0;
  for (const values of units.values()) {
    const m = values.length;
    if (m < 2) continue;
    pairable++;
    n += m;
    let unitSum = 0;
    let unitSquares = 0;
    for (const value of values) {
      unitSum += value;
      unitSquares += value * value;
    }
    // Σ over ordered pairs i ≠ j of (v_i − v_j)² = 2·(m·Σv² − (Σv)²).
    observed += (2 * (m * unitSquares - unitSum * unitSum)) / (m - 1);
    sum += unitSum;
    sumSquares += unitSquares;
  }
  if (pairable < 2) return null;
  const expectedTotal = 2 * (n * sumSquares - sum * sum);
  if (!(expectedTotal > 1e-12 * Math.max(1, sumSquares))) return null;
  return 1 - ((n - 1) * observed) / expectedTotal;
}

/**
 * Kendall's coefficient of concordance with the correction for ties; null unless every rater
 * rated every unit (the complete design it is defined for).
 */
export function kendallW(ratings: readonly Rating[]): number | null {
  const units = [...new Set(ratings.map((r) => r.unitId))].sort();
  const raters = [...new Set(ratings.map((r) => r.raterId))].sort();
  const n = units.length;
  const m = raters.length;
  if (n < 2 || m < 2) return null;
  const table = new Map(ratings.map((r) => [`${r.raterId}\n${r.unitId}`, r.value]));
  if (table.size !== n * m) return null;
  const rankSums = new Array<number>(n).fill(0);
  let tieCorrection = 0;
  for (const rater of raters) {
    const values = units.map((unit) => table.get(`${rater}\n${unit}`));
    if (values.some((value) => value === undefined)) return null;
    const order = values.map((_, index) => index).sort((x, y) => values[x]! - values[y]!);
    // Tied scores share the mean of their ranks.
    for (let start = 0; start < n;) {
      let end = start;
      while (end + 1 < n && values[order[end + 1]!] === values[order[start]!]) end++;
      const t = end - start + 1;
      tieCorrection += t ** 3 - t;
      for (let k = start; k <= end; k++) rankSums[order[k]!]! += (start + end) / 2 + 1;
      start = end + 1;
    }
  }
  const meanSum = (m * (n + 1)) / 2;
  const s = rankSums.reduce((total, value) => total + (value - meanSum) ** 2, 0);
  const denominator = m * m * (n ** 3 - n) - m * tieCorrection;
  return denominator > 0 ? (12 * s) / denominator : null;
}

export type CriterionAgreement = {
  index: number;
  name: string;
  alpha: number | null;
  kendallW: number | null;
  /** Judges disagree on it: alpha below ALPHA_DOUBTFUL. */
  highlighted: boolean;
};

/** A judge's scores on one idea, by criterion index (null: not scored). */
export type ScorecardScores = { ideaId: string; judgeId: string; scores: ReadonlyArray<number | null> };

/**
 * Agreement per criterion, the criteria judges disagree on most first (no alpha last). Criteria
 * are compared by alpha, which does not depend on their scale or weight.
 */
export function criterionAgreement(criterionNames: readonly string[], cards: readonly ScorecardScores[]): CriterionAgreement[] {
  return criterionNames
    .map((name, index) => {
      const ratings: Rating[] = [];
      for (const card of cards) {
        const value = card.scores[index];
        if (typeof value === 'number') ratings.push({ unitId: card.ideaId, raterId: card.judgeId, value });
      }
      const alpha = krippendorffAlpha(ratings);
      return { index, name, alpha, kendallW: kendallW(ratings), highlighted: alpha !== null && alpha < ALPHA_DOUBTFUL };
    })
    .sort((x, y) => (x.alpha ?? Infinity) - (y.alpha ?? Infinity) || x.index - y.index);
}

/** Agreement on the weighted totals: the challenge-level figure. */
export function totalAgreement(scores: ReadonlyArray<{ ideaId: string; judgeId: string; score: number }>): { alpha: number | null; kendallW: number | null } {
  const ratings = scores.map((s) => ({ unitId: s.ideaId, raterId: s.judgeId, value: s.score }));
  return { alpha: krippendorffAlpha(ratings), kendallW: kendallW(ratings) };
}
