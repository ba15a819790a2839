import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { criterionAgreement, kendallW, krippendorffAlpha, totalAgreement, type Rating } from '../../src/features/judging/agreement.ts';
import { randomFrom } from '../../src/features/judging/rng.ts';

/** Rows are raters, columns units; null: that rater did not rate that unit. */
function table(rows: Record<string, Array<number | null>>): Rating[] {
  return Object.entries(rows).flatMap(([raterId, values]) => values.flatMap((value, unit) => (value === null ? [] : [{ unitId: `u${unit}`, raterId, value }])));
}

describe("Krippendorff's alpha (interval)", () => {
  it('reproduces the published example: 4 observers, 12 units, missing values → 0.849', () => {
    // Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the reliability data
    // matrix with missing values; the paper gives alpha = 0.849 for the interval metric.
    const ratings = table({
      A: [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
      B: [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
      C: [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
      D: [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
    });
    assert.equal(krippendorffAlpha(ratings)!.toFixed(3), '0.849');
  });

  it('checks out by hand on two judges and three ideas: alpha = 1 − (2/3)/4 = 0.8333', () => {
    // Values 1,2 | 3,3 | 5,4 (n = 6): D_o = (2·1 + 0 + 2·1)/6 = 2/3; the sum over ordered pairs
    // of all values is 2·(6·64 − 18²) = 120, so D_e = 120/30 = 4 and alpha = 1 − (2/3)/4 = 0.8333.
    const alpha = krippendorffAlpha(table({ A: [1, 3, 5], B: [2, 3, 4] }))!;
    assert.ok(Math.abs(alpha - (1 - 2 / 3 / 4)) < 1e-12, String(alpha));
  });

  it('is 1 for perfect agreement, even with judges on different subsets', () => {
    assert.equal(krippendorffAlpha(table({ A: [1, 4, 7, null], B: [1, null, 7, 9], C: [null, 4, null, 9] })), 1);
  });

  it('is near 0 when judges score at random', () => {
    const random = randomFrom(3);
    const ratings = table({ A: Array.from({ length: 300 }, () => Math.ceil(random() * 10)), B: Array.from({ length: 300 }, () => Math.ceil(random() * 10)) });
    assert.ok(Math.abs(krippendorffAlpha(ratings)!) < 0.1);
  });

  it('is null with fewer than two ideas scored twice, or no variation at all', () => {
    assert.equal(krippendorffAlpha(table({ A: [1, 2, 3], B: [2, null, null] })), null);
    assert.equal(krippendorffAlpha(table({ A: [5, 5], B: [5, 5] })), null);
    assert.equal(krippendorffAlpha([]), null);
  });
});

describe("Kendall's W", () => {
  it('is 1 when every judge orders the ideas the same way, whatever their scale', () => {
    assert.equal(kendallW(table({ A: [1, 2, 3, 4], B: [3, 5, 8, 9], C: [10, 20, 30, 40] })), 1);
  });

  it('checks out by hand: rank sums 4, 6, 8 of 3 judges → W = 12·8 / (9·24) = 0.444', () => {
    assert.ok(Math.abs(kendallW(table({ A: [1, 2, 3], B: [1, 3, 2], C: [2, 1, 3] }))! - 96 / 216) < 1e-12);
  });

  it('is null unless every judge scored every idea', () => {
    assert.equal(kendallW(table({ A: [1, 2, 3], B: [1, null, 2] })), null);
  });
});

describe('agreement per challenge and per criterion', () => {
  it('lists the criterion judges disagree on most first, highlighted below 0.667', () => {
    const cards = [
      { ideaId: 'x', judgeId: 'A', scores: [1, 5, 3] },
      { ideaId: 'x', judgeId: 'B', scores: [1, 1, 3] },
      { ideaId: 'y', judgeId: 'A', scores: [3, 2, null] },
      { ideaId: 'y', judgeId: 'B', scores: [3, 4, null] },
      { ideaId: 'z', judgeId: 'A', scores: [5, 1, 4] },
      { ideaId: 'z', judgeId: 'B', scores: [4, 5, null] },
    ];
    const result = criterionAgreement(['Impact', 'Feasibility', 'Novelty'], cards);
    assert.deepEqual(
      result.map((c) => c.name),
      ['Feasibility', 'Impact', 'Novelty'],
    );
    assert.ok(result[0]!.alpha! < 0 && result[0]!.highlighted);
    assert.ok(result[1]!.alpha! > 0.9 && !result[1]!.highlighted);
    // Novelty: one idea scored twice is too little to say anything.
    assert.equal(result[2]!.alpha, null);
    assert.equal(result[2]!.highlighted, false);
  });

  it('computes the challenge figure on weighted totals', () => {
    const scores = [
      { ideaId: 'x', judgeId: 'A', score: 40 },
      { ideaId: 'x', judgeId: 'B', score: 42 },
      { ideaId: 'y', judgeId: 'A', score: 80 },
      { ideaId: 'y', judgeId: 'B', score: 78 },
    ];
    const { alpha, kendallW: w } = totalAgreement(scores);
    assert.ok(alpha! > 0.95);
    assert.equal(w, 1);
  });
});
