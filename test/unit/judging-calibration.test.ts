import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rawMeans, zScoreMeans } from '../../src/features/judging/baselines.ts';
import { fitCalibration, type JudgeScore } from '../../src/features/judging/calibration.ts';
import { normalFrom, randomFrom, shuffled } from '../../src/features/judging/rng.ts';

const s = (ideaId: string, judgeId: string, score: number): JudgeScore => ({ ideaId, judgeId, score });
const qualityOf = (fit: ReturnType<typeof fitCalibration>, ideaId: string) => fit.quality[fit.ideaIds.indexOf(ideaId)]!;

/** Spearman-free check of a ranking: the share of pairs of ideas put in the true order. */
function pairsInOrder(estimate: ArrayLike<number>, truth: readonly number[]): number {
  let agree = 0;
  let pairs = 0;
  for (let i = 0; i < truth.length; i++) {
    for (let k = i + 1; k < truth.length; k++) {
      pairs++;
      if ((estimate[i]! - estimate[k]!) * (truth[i]! - truth[k]!) > 0) agree++;
    }
  }
  return agree / pairs;
}

describe('the joint calibration fit', () => {
  // Judge B gives every idea exactly 2 points more than judge A: the shared ideas a, b, c show it.
  const lenient = [s('a', 'A', 4), s('a', 'B', 6), s('b', 'A', 7), s('b', 'B', 9), s('c', 'A', 5), s('c', 'B', 7), s('onlyA', 'A', 6), s('onlyB', 'B', 8)];

  it('removes a judge who adds 2 to every score: the idea only A saw (6) equals the one only B saw (8)', () => {
    const fit = fitCalibration(lenient);
    assert.ok(fit.converged);
    assert.ok(Math.abs(qualityOf(fit, 'onlyA') - qualityOf(fit, 'onlyB')) < 0.01);
    const [a, b] = [fit.leniency[fit.judgeIds.indexOf('A')]!, fit.leniency[fit.judgeIds.indexOf('B')]!];
    assert.ok(Math.abs(b - a - 2) < 0.01, `leniency gap ${b - a}`);
    assert.ok(Math.abs(fit.spread[0]! - 1) < 0.01 && Math.abs(fit.spread[1]! - 1) < 0.01);
    // The raw mean, by contrast, puts onlyB two points above onlyA.
    const raw = rawMeans(lenient);
    assert.equal(raw.means[raw.ideaIds.indexOf('onlyB')]! - raw.means[raw.ideaIds.indexOf('onlyA')]!, 2);
  });

  it('removes a judge who doubles the spread: A gives 5 + q, B gives 5 + 2q', () => {
    // True qualities: a −1, b +1.5, c 0, onlyA +2 (A: 7), onlyB +2 (B: 9).
    const doubled = [s('a', 'A', 4), s('a', 'B', 3), s('b', 'A', 6.5), s('b', 'B', 8), s('c', 'A', 5), s('c', 'B', 5), s('onlyA', 'A', 7), s('onlyB', 'B', 9)];
    const fit = fitCalibration(doubled);
    const ratio = fit.spread[fit.judgeIds.indexOf('B')]! / fit.spread[fit.judgeIds.indexOf('A')]!;
    assert.ok(Math.abs(ratio - 2) < 0.02, `spread ratio ${ratio}`);
    assert.ok(Math.abs(qualityOf(fit, 'onlyA') - qualityOf(fit, 'onlyB')) < 0.02);
    // Qualities keep their true proportions: (b − c) / (c − a) = 1.5.
    assert.ok(Math.abs((qualityOf(fit, 'b') - qualityOf(fit, 'c')) / (qualityOf(fit, 'c') - qualityOf(fit, 'a')) - 1.5) < 0.02);
  });

  it('reads a score at the top of the scale as "at least", lifting the idea a lenient judge maxed out', () => {
    const scores = [s('a', 'A', 3), s('a', 'B', 6), s('b', 'A', 5), s('b', 'B', 8), s('c', 'A', 7), s('c', 'B', 10), s('d', 'A', 8), s('d', 'B', 10)];
    const exact = fitCalibration(scores);
    const censored = fitCalibration(scores, { scale: { min: 1, max: 10 }, step: 1 });
    // Without censoring, B's two 10s say c and d are equal; A says d is better: d wins narrowly.
    // Censored, B's 10 for d is only a floor, and A's gap counts in full.
    const gap = (fit: typeof exact) => qualityOf(fit, 'd') - qualityOf(fit, 'c');
    assert.ok(gap(censored) > gap(exact) + 0.1, `gap censored ${gap(censored)}, exact ${gap(exact)}`);
  });

  it('gives the same fit whatever the order of the scores', () => {
    const first = fitCalibration(lenient);
    const second = fitCalibration(shuffled(lenient, randomFrom(7)));
    assert.deepEqual([...second.quality], [...first.quality]);
    assert.deepEqual(second.ideaIds, first.ideaIds);
  });

  it('ranks a simulated shortlist (40 ideas, 8 judges, 3 per idea) better than the raw mean', () => {
    const normal = normalFrom(randomFrom(11));
    const truth = Array.from({ length: 40 }, () => normal());
    const judges = Array.from({ length: 8 }, () => ({ a: normal(), b: Math.exp(0.6 * normal()) }));
    const scores: JudgeScore[] = [];
    truth.forEach((q, i) => {
      for (const j of [i % 8, (i + 1 + (i % 3)) % 8, (i + 5) % 8]) {
        const { a, b } = judges[j]!;
        scores.push(s(`i${String(i).padStart(2, '0')}`, `j${j}`, Math.min(10, Math.max(1, Math.round(5.5 + 1.5 * (a + b * q) + 0.5 * normal())))));
      }
    });
    const fit = fitCalibration(scores, { scale: { min: 1, max: 10 }, step: 1 });
    // Its cost is measured by `npm run simulate-judging`, not timed here: a test only checks it settles well before its cap.
    assert.ok(fit.converged && fit.iterations < 200, `converged after ${fit.iterations} iterations`);
    const calibrated = pairsInOrder(fit.quality, truth);
    const raw = pairsInOrder(rawMeans(scores).means, truth);
    assert.ok(calibrated > raw + 0.03 && calibrated > 0.85, `calibrated ${calibrated}, raw ${raw}`);
  });
});

describe('the per-judge z-score baseline', () => {
  it('centres and scales each judge: 2, 4, 6 become −1.22, 0, 1.22', () => {
    const z = zScoreMeans([s('x', 'A', 2), s('y', 'A', 4), s('z', 'A', 6), s('x', 'B', 5), s('y', 'B', 5), s('z', 'B', 5)]);
    // B gave everything 5: no spread, no opinion (z = 0), so the means are A's z halved.
    const expected = [-Math.sqrt(1.5) / 2, 0, Math.sqrt(1.5) / 2];
    z.means.forEach((value, k) => assert.ok(Math.abs(value - expected[k]!) < 1e-12));
  });
});
