import type { CalibrationFit } from './calibration.ts';
import { backSubstitute, cholesky } from './dense.ts';
import { RankTally, type RankInterval } from './ranks.ts';
import { normalFrom, type Random } from './rng.ts';

/**
 * Rank intervals for the calibrated ranking: draws from the approximate posterior of every idea's
 * quality, ranked draw by draw; an idea's interval is the 5th–95th percentile of its rank.
 *
 * Why posterior draws and not a classic bootstrap: with three scores per idea, resampling an
 * idea's scores either repeats one judge three times (a lenient judge's score counted thrice) or
 * re-fits the whole model per resample (a thousand fits per page). A draw here answers the same
 * question a bootstrap does, "which rankings are compatible with these scores?", and it knows
 * what a resample cannot: that a lenient judge's uncertain leniency moves all of that judge's
 * ideas together. It is a parametric (Bayesian) bootstrap: each draw is a plausible state of the
 * world given the scores, from the Laplace approximation of the joint posterior of judges'
 * leniency a, log spread u and ideas' quality q (Gauss–Newton Hessian at the fit).
 *
 * The Hessian has the same structure as the fit's: judges × judges after eliminating the ideas,
 * so a draw costs a 2J-triangular solve plus a few operations per score.
 */
export function posteriorRankIntervals(fit: CalibrationFit, options: { draws?: number; level?: number; random: Random }): RankInterval[] {
  if (fit.ideaIds.length === 0) return [];
  const tally = new RankTally(fit.ideaIds.length);
  forEachPosteriorDraw(fit, options, (quality) => tally.add(quality));
  return tally.intervals(options.level ?? 0.9);
}

/**
 * Calls `visit` with `draws` draws of every idea's quality from the approximate posterior (the
 * same draws the rank intervals are made of, so that other summaries, such as the chance of being
 * among the winners, agree with them). The array is reused between calls: copy what you keep.
 */
export function forEachPosteriorDraw(fit: CalibrationFit, options: { draws?: number; random: Random }, visit: (quality: Float64Array) => void): void {
  const I = fit.ideaIds.length;
  const J = fit.judgeIds.length;
  const draws = options.draws ?? 400;
  const n = fit.obsIdea.length;
  if (I === 0) return;
  const { schur, d, colA, colU, M } = posteriorFactor(fit);

  const normal = normalFrom(options.random);
  const judgeDraw = new Float64Array(M);
  const quality = new Float64Array(I);
  const sd = d.map((value) => 1 / Math.sqrt(value));
  for (let draw = 0; draw < draws; draw++) {
    for (let m = 0; m < M; m++) judgeDraw[m] = normal();
    backSubstitute(schur, M, judgeDraw);
    for (let i = 0; i < I; i++) quality[i] = fit.quality[i]! + sd[i]! * normal();
    // q_i given the judges' draw: shifted by −B[:, i]ᵀ·x / d_i.
    for (let o = 0; o < n; o++) {
      const i = fit.obsIdea[o]!;
      const j = fit.obsJudge[o]!;
      quality[i]! -= (colA[o]! * judgeDraw[j]! + colU[o]! * judgeDraw[J + j]!) / d[i]!;
    }
    visit(quality);
  }
}

/**
 * The Laplace approximation's precision of the judges' parameters (a_j at j, u_j at J + j) with
 * the ideas eliminated, as its Cholesky factor; per idea its precision d_i given the judges; per
 * score its column of the judge–idea block (colA at a_j, colU at u_j).
 */
function posteriorFactor(fit: CalibrationFit) {
  const I = fit.ideaIds.length;
  const J = fit.judgeIds.length;
  const M = 2 * J;
  const n = fit.obsIdea.length;
  const schur = new Float64Array(M * M);
  for (let j = 0; j < J; j++) {
    schur[j * M + j] = 1 / fit.leniencySd ** 2;
    schur[(J + j) * M + J + j] = 1 / fit.spreadPriorSd ** 2;
  }
  const d = new Float64Array(I).fill(1 / fit.tau ** 2);
  // Per score: its column of the judge–idea block, at a_j and u_j: w·b and w·b·(b·q).
  const colA = new Float64Array(n);
  const colU = new Float64Array(n);
  for (let o = 0; o < n; o++) {
    const i = fit.obsIdea[o]!;
    const j = fit.obsJudge[o]!;
    const w = fit.obsWeight[o]!;
    const b = fit.spread[j]!;
    const slope = b * fit.quality[i]!; // ∂ prediction / ∂u_j
    schur[j * M + j]! += w;
    schur[j * M + J + j]! += w * slope;
    schur[(J + j) * M + j]! += w * slope;
    schur[(J + j) * M + J + j]! += w * slope * slope;
    d[i]! += w * b * b;
    colA[o] = w * b;
    colU[o] = w * b * slope;
  }
  // Eliminate each idea: S −= B[:, i]·B[:, i]ᵀ / d_i over the idea's scores.
  let start = 0;
  for (let i = 0; i < I; i++) {
    let end = start;
    while (end < n && fit.obsIdea[end] === i) end++;
    for (let o = start; o < end; o++) {
      const rowsO = [fit.obsJudge[o]!, J + fit.obsJudge[o]!];
      const valuesO = [colA[o]!, colU[o]!];
      for (let p = start; p < end; p++) {
        const rowsP = [fit.obsJudge[p]!, J + fit.obsJudge[p]!];
        const valuesP = [colA[p]!, colU[p]!];
        for (let x = 0; x < 2; x++) for (let z = 0; z < 2; z++) schur[rowsO[x]! * M + rowsP[z]!]! -= (valuesO[x]! * valuesP[z]!) / d[i]!;
      }
    }
    start = end;
  }
  cholesky(schur, M);

  return { schur, d, colA, colU, M };
}

/**
 * Each idea's posterior sd of quality, in closed form (no draws): Var(q_i) = 1/d_i + vᵢᵀ·S⁻¹·vᵢ
 * with vᵢ = B[:, i]/d_i, the same covariance the draws have. Cheap enough to recompute after
 * every scorecard when choosing the next one.
 */
export function posteriorQualitySd(fit: CalibrationFit): Float64Array {
  const I = fit.ideaIds.length;
  const J = fit.judgeIds.length;
  const n = fit.obsIdea.length;
  const { schur, d, colA, colU, M } = posteriorFactor(fit);
  const sd = new Float64Array(I);
  const v = new Float64Array(M);
  let start = 0;
  for (let i = 0; i < I; i++) {
    v.fill(0);
    let end = start;
    for (; end < n && fit.obsIdea[end] === i; end++) {
      v[fit.obsJudge[end]!]! += colA[end]! / d[i]!;
      v[J + fit.obsJudge[end]!]! += colU[end]! / d[i]!;
    }
    start = end;
    // vᵀ·(L·Lᵀ)⁻¹·v = |L⁻¹·v|²: one forward substitution.
    let quadratic = 0;
    for (let r = 0; r < M; r++) {
      let value = v[r]!;
      for (let k = 0; k < r; k++) value -= schur[r * M + k]! * v[k]!;
      v[r] = value / schur[r * M + r]!;
      quadratic += v[r]! ** 2;
    }
    sd[i] = Math.sqrt(1 / d[i]! + quadratic);
  }
  return sd;
}

/**
 * The classic bootstrap for a per-idea average (the raw mean and z-score baselines): resample each
 * idea's values with replacement, rank, repeat. Kept for the comparison the simulation prints.
 */
export function bootstrapRankIntervals(valuesPerIdea: readonly (readonly number[])[], options: { draws?: number; level?: number; random: Random }): RankInterval[] {
  const draws = options.draws ?? 400;
  const tally = new RankTally(valuesPerIdea.length);
  const means = new Float64Array(valuesPerIdea.length);
  for (let draw = 0; draw < draws; draw++) {
    valuesPerIdea.forEach((values, i) => {
      let sum = 0;
      for (let k = 0; k < values.length; k++) sum += values[Math.floor(options.random() * values.length)]!;
      means[i] = values.length ? sum / values.length : 0;
    });
    tally.add(means);
  }
  return tally.intervals(options.level ?? 0.9);
}
