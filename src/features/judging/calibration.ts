import { censoring, truncatedAbove } from './censoring.ts';
import { cholesky, choleskyInverse, choleskySolve } from './dense.ts';

/**
 * The joint fit of idea quality and judge bias, for judges who each saw a different subset.
 *
 * Model: score_ij = μ + a_j + b_j·q_i + e_ij, with judge leniency a_j ~ N(0, σa²), judge spread
 * b_j = exp(u_j), u_j ~ N(0, σb²), idea quality q_i ~ N(0, τ²) and noise e_ij ~ N(0, σ²).
 *
 * Why not per-judge z-scores: a z-score divides by the sd of the ideas a judge happened to see
 * (with 15 ideas, mostly luck), and it gives a flat judge's noise the same weight as a discerning
 * judge's signal. Here b_j is a slope: a judge who separates ideas sharply counts more.
 *
 * Why EM and not a joint MAP: a joint MAP of a bilinear model collapses (every q shrinks to 0
 * while every b grows). Given the spreads the model is linear in (μ, a, q), so those are
 * integrated out exactly (a Gaussian posterior); the spreads get a MAP under their prior, which
 * also fixes the scale (a typical judge has b = 1: q is in score points of a typical judge); σ, τ
 * and σa come out of the data. Scores at the ends of the scale are censored (censoring.ts).
 *
 * The ideas are eliminated in closed form (each q_i depends only on its own judges), so each
 * iteration factorises one (judges + 1)² matrix: a 40 × 8 shortlist fits in about a millisecond.
 */

export type JudgeScore = { ideaId: string; judgeId: string; score: number };

export type CalibrationOptions = {
  /** The scale's ends: a score at an end is read as "at least" (or "at most") that end. */
  scale?: { min: number; max: number };
  /** What scores are rounded to (1 for whole numbers): a top score means "rounded up to it". */
  step?: number;
  /** Prior sd of log spread: how far judges' spreads plausibly differ (0.5: a factor 1.6). */
  spreadPriorSd?: number;
  maxIterations?: number;
  /** Stop when no estimate moves by more than this fraction of the scores' sd. */
  tolerance?: number;
  /**
   * A fit of most of the same scores to start from (adaptive judging refits after every few new
   * scorecards): it converges to the same fit in a fraction of the iterations.
   */
  start?: CalibrationFit;
};

export type CalibrationFit = {
  ideaIds: string[];
  judgeIds: string[];
  /** Overall level, noise sd, ideas' sd and leniency sd, all in score units. */
  mu: number;
  sigma: number;
  tau: number;
  leniencySd: number;
  spreadPriorSd: number;
  /** Per judge: posterior mean leniency (score points), spread (1 = typical) and count of scores. */
  leniency: Float64Array;
  spread: Float64Array;
  judgeCounts: Int32Array;
  /** Per idea: posterior mean quality, in score points of a typical judge; and count of scores. */
  quality: Float64Array;
  ideaCounts: Int32Array;
  /** Per score: its idea and judge index, and the information it carries (1/σ², less if censored). */
  obsIdea: Int32Array;
  obsJudge: Int32Array;
  obsWeight: Float64Array;
  iterations: number;
  converged: boolean;
};

export function fitCalibration(scores: readonly JudgeScore[], options: CalibrationOptions = {}): CalibrationFit {
  const ideaIds = [...new Set(scores.map((s) => s.ideaId))].sort();
  const judgeIds = [...new Set(scores.map((s) => s.judgeId))].sort();
  const ideaIndex = new Map(ideaIds.map((id, index) => [id, index]));
  const judgeIndex = new Map(judgeIds.map((id, index) => [id, index]));
  const n = scores.length;
  const I = ideaIds.length;
  const J = judgeIds.length;
  const spreadPriorSd = options.spreadPriorSd ?? 0.5;
  const maxIterations = options.maxIterations ?? 1000;

  // Scores sorted by idea so that each idea's scores are one contiguous run.
  const order = scores
    .map((_, index) => index)
    .sort(
      (x, y) =>
        ideaIndex.get(scores[x]!.ideaId)! - ideaIndex.get(scores[y]!.ideaId)! || judgeIndex.get(scores[x]!.judgeId)! - judgeIndex.get(scores[y]!.judgeId)! || scores[x]!.score - scores[y]!.score,
    );
  const obsIdea = new Int32Array(n);
  const obsJudge = new Int32Array(n);
  const observed = new Float64Array(n);
  order.forEach((original, o) => {
    const score = scores[original]!;
    obsIdea[o] = ideaIndex.get(score.ideaId)!;
    obsJudge[o] = judgeIndex.get(score.judgeId)!;
    observed[o] = score.score;
  });
  const ideaStart = new Int32Array(I + 1);
  for (let o = 0; o < n; o++) ideaStart[obsIdea[o]! + 1]! += 1;
  const ideaCounts = new Int32Array(I);
  for (let i = 0; i < I; i++) {
    ideaCounts[i] = ideaStart[i + 1]!;
    ideaStart[i + 1]! += ideaStart[i]!;
  }
  const judgeCounts = new Int32Array(J);
  for (let o = 0; o < n; o++) judgeCounts[obsJudge[o]!]! += 1;

  const { side, upper, lower } = censoring(observed, options.scale, options.step ?? 0);
  // Neither ideas nor noise plausibly spread wider than the scale (sd at most half of it). Without
  // this cap a handful of scores nearly all at the top push the censored fit off to infinity.
  const widest = options.scale ? ((options.scale.max - options.scale.min) / 2) ** 2 : Infinity;

  let mean = 0;
  for (let o = 0; o < n; o++) mean += observed[o]! / n;
  let variance = 0;
  for (let o = 0; o < n; o++) variance += (observed[o]! - mean) ** 2 / n;
  const scaleOfScores = Math.sqrt(variance) || 1;
  const floor = 1e-4 * scaleOfScores * scaleOfScores;
  const tolerance = (options.tolerance ?? 1e-4) * scaleOfScores;

  // The overall level μ is part of the Gaussian block too (index J, flat prior): as a point
  // estimate it would trade off slowly against the mean leniency and the mean quality.
  const G = J + 1;
  let mu = mean;
  let sigma2 = Math.max(variance / 2, floor);
  let tau2 = Math.max(variance / 2, floor);
  let leniency2 = Math.max(variance / 4, floor);
  const levelPrecision = 1e-6 / (scaleOfScores * scaleOfScores);
  const logSpread = new Float64Array(J);
  const spread = new Float64Array(J).fill(1);
  const ma = new Float64Array(J);
  const mq = new Float64Array(I);
  const vaa = new Float64Array(J); // Var(a_j)
  const voff = new Float64Array(J); // Var(μ + a_j)
  const vqq = new Float64Array(I);
  const voq = new Float64Array(n); // Cov(μ + a_j, q_i) for each score
  const y = new Float64Array(observed);
  const extraVariance = new Float64Array(n);
  const obsWeight = new Float64Array(n);
  const precision = new Float64Array(G * G);
  const rhsG = new Float64Array(G);
  const dq = new Float64Array(I);
  const rhsQ = new Float64Array(I);
  const column = new Float64Array(G);
  const second = new Float64Array(J);
  const cross = new Float64Array(J);

  if (options.start) {
    const start = options.start;
    mu = start.mu;
    sigma2 = Math.min(Math.max(start.sigma ** 2, floor), widest);
    tau2 = Math.min(Math.max(start.tau ** 2, floor), widest);
    leniency2 = Math.max(start.leniencySd ** 2, floor);
    const startJudge = new Map(start.judgeIds.map((id, j) => [id, j]));
    judgeIds.forEach((id, j) => {
      const k = startJudge.get(id);
      if (k === undefined) return;
      spread[j] = start.spread[k]!;
      logSpread[j] = Math.log(spread[j]!);
      ma[j] = start.leniency[k]!;
    });
    const startIdea = new Map(start.ideaIds.map((id, i) => [id, i]));
    ideaIds.forEach((id, i) => (mq[i] = start.quality[startIdea.get(id) ?? -1] ?? 0));
  }

  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations && n > 0; iterations++) {
    const sigma = Math.sqrt(sigma2);
    // Censored scores: imputed by their mean given the current fit (the EM step of a Tobit model).
    for (let o = 0; o < n; o++) {
      obsWeight[o] = 1 / sigma2;
      if (side[o] === 0) continue;
      const predicted = mu + ma[obsJudge[o]!]! + spread[obsJudge[o]!]! * mq[obsIdea[o]!]!;
      const cut = side[o] === 1 ? truncatedAbove(predicted, sigma, upper) : truncatedAbove(-predicted, sigma, -lower);
      y[o] = side[o] === 1 ? cut.mean : -cut.mean;
      extraVariance[o] = cut.variance;
      obsWeight[o] = cut.delta / sigma2;
    }

    // E-step: the Gaussian posterior of (a, μ, q) given the spreads, the q's eliminated (Schur).
    precision.fill(0);
    rhsG.fill(0);
    for (let j = 0; j < J; j++) precision[j * G + j] = 1 / leniency2;
    precision[J * G + J] = levelPrecision;
    for (let i = 0; i < I; i++) {
      let d = 1 / tau2;
      let r = 0;
      for (let o = ideaStart[i]!; o < ideaStart[i + 1]!; o++) {
        const j = obsJudge[o]!;
        const b = spread[j]!;
        d += (b * b) / sigma2;
        r += (b * y[o]!) / sigma2;
        precision[j * G + j]! += 1 / sigma2;
        precision[j * G + J]! += 1 / sigma2;
        precision[J * G + j]! += 1 / sigma2;
        precision[J * G + J]! += 1 / sigma2;
        rhsG[j]! += y[o]! / sigma2;
        rhsG[J]! += y[o]! / sigma2;
      }
      dq[i] = d;
      rhsQ[i] = r;
      // B[:, i] has b_j/σ² at a_j and at μ for each score o of the idea.
      for (let o = ideaStart[i]!; o < ideaStart[i + 1]!; o++) {
        const j = obsJudge[o]!;
        const bj = spread[j]! / sigma2;
        rhsG[j]! -= (bj * r) / d;
        rhsG[J]! -= (bj * r) / d;
        for (let p = ideaStart[i]!; p < ideaStart[i + 1]!; p++) {
          const k = obsJudge[p]!;
          const value = (bj * spread[k]!) / sigma2 / d;
          precision[j * G + k]! -= value;
          precision[j * G + J]! -= value;
          precision[J * G + k]! -= value;
          precision[J * G + J]! -= value;
        }
      }
    }
    cholesky(precision, G);
    const covariance = choleskyInverse(precision, G);
    const next = new Float64Array(rhsG);
    choleskySolve(precision, G, next);
    let largest = Math.abs(next[J]! - mu);
    mu = next[J]!;
    for (let j = 0; j < J; j++) {
      largest = Math.max(largest, Math.abs(next[j]! - ma[j]!));
      ma[j] = next[j]!;
      vaa[j] = covariance[j * G + j]!;
      voff[j] = vaa[j]! + covariance[J * G + J]! + 2 * covariance[j * G + J]!;
    }
    for (let i = 0; i < I; i++) {
      const d = dq[i]!;
      let r = rhsQ[i]!;
      // w_i = B[:, i] / d_i; Cov(g, q_i) = −Cov(g)·w_i and Var(q_i) = 1/d_i + w_iᵀ·Cov(g)·w_i.
      column.fill(0);
      for (let o = ideaStart[i]!; o < ideaStart[i + 1]!; o++) {
        const j = obsJudge[o]!;
        const bj = spread[j]! / sigma2 / d;
        r -= (spread[j]! / sigma2) * (ma[j]! + mu);
        for (let k = 0; k < G; k++) column[k]! += (covariance[k * G + j]! + covariance[k * G + J]!) * bj;
      }
      let quadratic = 0;
      for (let o = ideaStart[i]!; o < ideaStart[i + 1]!; o++) {
        const j = obsJudge[o]!;
        voq[o] = -(column[j]! + column[J]!);
        quadratic += ((column[j]! + column[J]!) * spread[j]!) / sigma2 / d;
      }
      const value = r / d;
      largest = Math.max(largest, Math.abs(value - mq[i]!));
      mq[i] = value;
      vqq[i] = 1 / d + quadratic;
    }

    // M-step: each judge's spread (a few Newton steps on log b under its prior), then σ², τ², σa².
    second.fill(0);
    cross.fill(0);
    for (let o = 0; o < n; o++) {
      const i = obsIdea[o]!;
      const j = obsJudge[o]!;
      second[j]! += mq[i]! * mq[i]! + vqq[i]!;
      cross[j]! += (y[o]! - mu - ma[j]!) * mq[i]! - voq[o]!;
    }
    const priorPrecision = 1 / spreadPriorSd ** 2;
    for (let j = 0; j < J; j++) {
      let u = logSpread[j]!;
      for (let newton = 0; newton < 3; newton++) {
        const b = Math.exp(u);
        const gradient = (second[j]! * b * b - cross[j]! * b) / sigma2 + u * priorPrecision;
        // Gauss–Newton curvature when the exact one is not positive (far from the optimum).
        const exact = (2 * second[j]! * b * b - cross[j]! * b) / sigma2 + priorPrecision;
        const curvature = exact > 0 ? exact : (second[j]! * b * b) / sigma2 + priorPrecision;
        u -= Math.max(-1, Math.min(1, gradient / curvature));
      }
      logSpread[j] = u;
    }
    // The likelihood does not change if every spread is multiplied by c and τ divided by c; the
    // prior on log spreads is best at mean log spread 0. Moving there at once (parameter-expanded
    // EM) saves the hundreds of small steps plain EM would take along that ridge.
    let shift = 0;
    for (let j = 0; j < J; j++) shift += logSpread[j]! / J;
    for (let j = 0; j < J; j++) {
      logSpread[j]! -= shift;
      const b = Math.exp(logSpread[j]!);
      largest = Math.max(largest, Math.abs(b - spread[j]!) * scaleOfScores);
      spread[j] = b;
    }
    const rescale = Math.exp(shift);
    let residual = 0;
    for (let o = 0; o < n; o++) {
      const i = obsIdea[o]!;
      const j = obsJudge[o]!;
      // In the new scale q is multiplied by e^shift, and b divided by it: b·q is unchanged.
      const b = spread[j]! * rescale;
      residual += (y[o]! - mu - ma[j]! - b * mq[i]!) ** 2 + voff[j]! + b * b * vqq[i]! + 2 * b * voq[o]! + extraVariance[o]!;
    }
    const nextSigma2 = Math.min(Math.max(residual / n, floor), widest);
    let ideaSpread = 0;
    for (let i = 0; i < I; i++) ideaSpread += (mq[i]! * mq[i]! + vqq[i]!) * rescale * rescale;
    for (let i = 0; i < I; i++) mq[i]! *= rescale;
    let judgeSpread = 0;
    for (let j = 0; j < J; j++) judgeSpread += ma[j]! * ma[j]! + vaa[j]!;
    largest = Math.max(largest, Math.abs(Math.sqrt(nextSigma2) - Math.sqrt(sigma2)));
    sigma2 = nextSigma2;
    tau2 = Math.min(Math.max(ideaSpread / Math.max(I, 1), floor), widest);
    leniency2 = Math.max(judgeSpread / Math.max(J, 1), floor);
    if (largest < tolerance) {
      converged = true;
      iterations++;
      break;
    }
  }

  return {
    ideaIds,
    judgeIds,
    mu,
    sigma: Math.sqrt(sigma2),
    tau: Math.sqrt(tau2),
    leniencySd: Math.sqrt(leniency2),
    spreadPriorSd,
    leniency: ma,
    spread,
    judgeCounts,
    quality: mq,
    ideaCounts,
    obsIdea,
    obsJudge,
    obsWeight,
    iterations,
    converged,
  };
}
