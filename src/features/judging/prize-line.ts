import type { CalibrationFit } from './calibration.ts';
import { forEachPosteriorDraw, posteriorQualitySd } from './intervals.ts';
import { RankTally, sortedDescending, type RankInterval } from './ranks.ts';
import type { Random } from './rng.ts';

/**
 * Where the prize line runs and how sure we are of who is above it, from the same posterior draws
 * as the rank intervals (so an idea's chance of winning never contradicts its interval).
 *
 * The line is the cut halfway between the fitted quality of the last prize place and the first
 * place without a prize. What matters for the winners is only which side of it each idea is on:
 * an idea far above or far below is settled whatever one more score says; an idea within a
 * posterior sd or two of the line is where a judge's next scorecard is worth most.
 */
export type PrizeLine = {
  /** Places with a prize. */
  top: number;
  /** Per idea (the fit's order): the share of draws in which it is among the top places. */
  chance: Float64Array;
  /** Per idea: the posterior sd of its quality (score points of a typical judge). */
  sd: Float64Array;
  /** Per idea: its distance from the line in posterior sds (small: one more score matters most). */
  closeness: Float64Array;
  /** The share of draws whose top places hold exactly the fitted winners. */
  settled: number;
  intervals: RankInterval[];
};

export function prizeLine(fit: CalibrationFit, options: { top: number; draws?: number; level?: number; random: Random }): PrizeLine {
  const I = fit.ideaIds.length;
  const { top, sd, closeness } = closenessToLine(fit, options.top);
  const winner = new Uint8Array(I);
  const fitted = sortedDescending(fit.quality);
  for (let position = 0; position < top; position++) winner[fitted[position]!] = 1;
  const tally = new RankTally(I);
  const inTop = new Float64Array(I);
  let draws = 0;
  let exact = 0;
  forEachPosteriorDraw(fit, options, (quality) => {
    const order = tally.add(quality);
    let same = 0;
    for (let position = 0; position < top; position++) {
      inTop[order[position]!]! += 1;
      same += winner[order[position]!]!;
    }
    if (same === top) exact++;
    draws++;
  });
  return {
    top,
    chance: inTop.map((count) => count / Math.max(draws, 1)),
    sd,
    closeness,
    settled: I === 0 ? 1 : exact / Math.max(draws, 1),
    intervals: tally.intervals(options.level ?? 0.9),
  };
}

/**
 * Each idea's distance from the prize line in posterior sds, in closed form (no draws): what
 * choosing the next scorecard needs after every score.
 */
export function closenessToLine(fit: CalibrationFit, places: number): { top: number; sd: Float64Array; closeness: Float64Array } {
  const I = fit.ideaIds.length;
  const top = Math.max(0, Math.min(places, I));
  const fitted = sortedDescending(fit.quality);
  const sd = I ? posteriorQualitySd(fit) : new Float64Array(0);
  // With everyone (or no one) a winner there is no line to be near: every idea is settled.
  const cut = top > 0 && top < I ? (fit.quality[fitted[top - 1]!]! + fit.quality[fitted[top]!]!) / 2 : null;
  return { top, sd, closeness: fit.quality.map((q, i) => (cut === null ? Infinity : Math.abs(q - cut) / sd[i]!)) };
}

/** One-sided 95%: an idea this many sds from the line is above (or below) it with 95% probability. */
const Z95 = 1.645;

/**
 * The ideas still too close to call (their chance of winning between 5% and 95%), as fitted
 * places, and about how many more scorecards would settle them: for each, the scores it needs
 * for its sd to shrink (as 1/√n) until it sits 1.645 sds from the line, if its estimate held
 * still. `maxPerIdea` caps an idea's scores (the judges who may score it); null when an idea
 * would need more than that.
 */
export function stillOpen(fit: CalibrationFit, line: PrizeLine, options: { maxPerIdea: number }): { places: number[]; more: number | null } {
  const order = sortedDescending(fit.quality);
  const places: number[] = [];
  let more: number | null = 0;
  order.forEach((i, position) => {
    const chance = line.chance[i]!;
    if (chance <= 0.05 || chance >= 0.95) return;
    places.push(position + 1);
    const count = fit.ideaCounts[i]!;
    const ratio = line.closeness[i]! > 0 ? Z95 / line.closeness[i]! : Infinity;
    const needed = Math.max(1, Math.ceil(count * (ratio * ratio - 1)));
    more = more === null || count + needed > options.maxPerIdea ? null : more + needed;
  });
  return { places, more: places.length ? more : 0 };
}

/** A grid over N(0, 1) (−4 to 4 by 0.1, normal weights): expectations of smooth functions of a normal. */
const GRID = (() => {
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let k = -40; k <= 40; k++) {
    const z = k / 10;
    nodes.push(z);
    weights.push(Math.exp((-z * z) / 2));
  }
  const total = weights.reduce((x, y) => x + y, 0);
  return { nodes, weights: weights.map((w) => w / total) };
})();

/** Φ(x), the standard normal cdf (Abramowitz–Stegun 7.1.26 through erf; error below 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * The value of one more score for each idea: how much it is expected to lower the chance that the
 * idea is on the wrong side of the prize line (a one-step look-ahead, the knowledge-gradient idea).
 * It measured better than the plain distance in sds (scripts/simulate-judging.ts): it also weighs
 * how much one score can still move an idea, little for one already well scored. Now that chance is
 * Φ(−|δ|/s) for an idea δ from the line with posterior sd s; one more score from a typical judge
 * (noise σ) leaves sd s' = (1/s² + 1/σ²)^(−1/2) and moves the estimate by N(0, s² − s'²).
 */
export function valueOfOneMoreScore(fit: CalibrationFit, places: number): Float64Array {
  const { sd, closeness } = closenessToLine(fit, places);
  return sd.map((s, i) => {
    if (!Number.isFinite(closeness[i]!)) return 0;
    const delta = closeness[i]! * s;
    const after = 1 / Math.sqrt(1 / (s * s) + 1 / (fit.sigma * fit.sigma));
    const move = Math.sqrt(Math.max(s * s - after * after, 0));
    let expected = 0;
    GRID.nodes.forEach((z, k) => (expected += GRID.weights[k]! * normalCdf(-Math.abs(delta + move * z) / after)));
    return normalCdf(-Math.abs(delta) / s) - expected;
  });
}
