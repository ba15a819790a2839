import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickNextScorecard, type PullInput } from '../../src/features/judging/adaptive.ts';
import { assignJudges, conflictKey } from '../../src/features/judging/assignment.ts';
import { fitCalibration, type JudgeScore } from '../../src/features/judging/calibration.ts';
import { forEachPosteriorDraw, posteriorQualitySd } from '../../src/features/judging/intervals.ts';
import { normalCdf, prizeLine, stillOpen, valueOfOneMoreScore } from '../../src/features/judging/prize-line.ts';
import { normalFrom, randomFrom } from '../../src/features/judging/rng.ts';

const s = (ideaId: string, judgeId: string, score: number): JudgeScore => ({ ideaId, judgeId, score });
const SCALE = { scale: { min: 1, max: 10 }, step: 1 };

function pull(overrides: Partial<PullInput>) {
  return pickNextScorecard({
    ideaIds: ['a', 'b', 'c'],
    judgeIds: ['J1', 'J2', 'J3', 'J4'],
    holders: new Map([
      ['a', ['J1', 'J2']],
      ['b', ['J2', 'J3']],
      ['c', ['J3', 'J1']],
    ]),
    minimum: 2,
    value: new Map([
      ['a', 0.001],
      ['b', 0.2],
      ['c', 0.05],
    ]),
    ...overrides,
  });
}

describe('choosing the next scorecard', () => {
  it('gives it to the idea nearest the prize line, to the least-loaded judge who has not scored it', () => {
    assert.deepEqual(pull({}), { ideaId: 'b', judgeId: 'J4' });
  });

  it('fills the minimum before anything else', () => {
    const holders = new Map([
      ['a', ['J1']],
      ['b', ['J2', 'J3']],
      ['c', ['J3', 'J1']],
    ]);
    assert.deepEqual(pull({ holders }), { ideaId: 'a', judgeId: 'J4' });
  });

  it('never picks a judge with a conflict or one who has the idea, and moves on when nobody may take it', () => {
    const conflicts = new Set([conflictKey('b', 'J4'), conflictKey('b', 'J1')]);
    // b is nearest but only J1 and J4 could take it, both conflicted: the next idea, c, goes to J4 (load 0).
    assert.deepEqual(pull({ conflicts }), { ideaId: 'c', judgeId: 'J4' });
  });

  it('gives a judge who asks the most urgent idea they may take, up to their cap', () => {
    assert.deepEqual(pull({ asker: 'J1' }), { ideaId: 'b', judgeId: 'J1' });
    assert.deepEqual(pull({ asker: 'J2' }), { ideaId: 'c', judgeId: 'J2' });
    assert.equal(pull({ asker: 'J1', perJudgeCap: 2 }), null);
    assert.deepEqual(pull({ asker: 'J4', perJudgeCap: 1 }), { ideaId: 'b', judgeId: 'J4' });
  });

  it('skips ideas already picked this round, and returns null when every judge has every idea', () => {
    assert.deepEqual(pull({ pickedThisRound: new Set(['b']) }), { ideaId: 'c', judgeId: 'J4' });
    const all = ['J1', 'J2', 'J3', 'J4'];
    assert.equal(
      pull({
        holders: new Map([
          ['a', all],
          ['b', all],
          ['c', all],
        ]),
      }),
      null,
    );
  });

  it('among equally loaded judges prefers one who shares no idea yet with the idea’s judges', () => {
    // J3 and J4 both hold one idea; J4 has never met J1 (a's judge) while J3 has.
    const holders = new Map([
      ['a', ['J1']],
      ['b', ['J1', 'J3', 'J2']],
      ['c', ['J4', 'J2']],
    ]);
    const next = pickNextScorecard({ ideaIds: ['a', 'b', 'c'], judgeIds: ['J2', 'J3', 'J4'], holders, minimum: 2, value: new Map() });
    assert.deepEqual(next, { ideaId: 'a', judgeId: 'J4' });
  });
});

describe('the prize line', () => {
  it('is sure of clear winners and unsure of ideas on the line', () => {
    // Two judges, five ideas: a and b far ahead, c and d tied on the line for the 3rd place.
    const scores = [s('a', 'A', 10), s('a', 'B', 9), s('b', 'A', 9), s('b', 'B', 10), s('c', 'A', 6), s('c', 'B', 6), s('d', 'A', 6), s('d', 'B', 6), s('e', 'A', 1), s('e', 'B', 2)];
    const fit = fitCalibration(scores, SCALE);
    const line = prizeLine(fit, { top: 3, draws: 400, random: randomFrom(1) });
    const chance = Object.fromEntries(fit.ideaIds.map((id, i) => [id, line.chance[i]!]));
    assert.ok(chance.a! > 0.95 && chance.b! > 0.95, JSON.stringify(chance));
    assert.ok(chance.e! < 0.05, JSON.stringify(chance));
    assert.ok(chance.c! > 0.2 && chance.c! < 0.8 && chance.d! > 0.2 && chance.d! < 0.8, JSON.stringify(chance));
    // The chances add up to the number of prizes in every draw.
    assert.ok(Math.abs(line.chance.reduce((x, y) => x + y, 0) - 3) < 1e-9);
    const closeness = Object.fromEntries(fit.ideaIds.map((id, i) => [id, line.closeness[i]!]));
    assert.ok(closeness.c! < closeness.a! && closeness.d! < closeness.e!);
    assert.ok(line.settled < 0.8);
    const open = stillOpen(fit, line, { maxPerIdea: 8 });
    assert.deepEqual(open.places, [3, 4]);
    assert.ok(open.more === null || open.more >= 2);
  });

  it('calls the winners settled when every draw agrees, with nothing left to score', () => {
    const scores = [s('a', 'A', 10), s('a', 'B', 10), s('b', 'A', 2), s('b', 'B', 1), s('c', 'A', 1), s('c', 'B', 2)];
    const fit = fitCalibration(scores, SCALE);
    const line = prizeLine(fit, { top: 1, draws: 200, random: randomFrom(2) });
    assert.ok(line.settled >= 0.95, String(line.settled));
    assert.deepEqual(stillOpen(fit, line, { maxPerIdea: 2 }), { places: [], more: 0 });
  });
});

describe('refitting from the last fit', () => {
  it('reaches the same fit as a fit from scratch, in fewer iterations', () => {
    const normal = normalFrom(randomFrom(5));
    const ideaIds = Array.from({ length: 20 }, (_, i) => `i${String(i).padStart(2, '0')}`);
    const judgeIds = ['A', 'B', 'C', 'D', 'E'];
    const leniency = judgeIds.map(() => normal());
    const { assignments } = assignJudges({ ideaIds, judgeIds, perIdea: 2, seed: 1 });
    const scores = ideaIds.flatMap((ideaId, i) =>
      assignments.get(ideaId)!.map((judgeId) => s(ideaId, judgeId, Math.min(10, Math.max(1, Math.round(5.5 + leniency[judgeIds.indexOf(judgeId)]! + 1.5 * (i / 10 - 1) + 0.5 * normal()))))),
    );
    const before = fitCalibration(scores, SCALE);
    const more = [...scores, s('i03', assignments.get('i03')!.includes('A') ? 'B' : 'A', 5)];
    const cold = fitCalibration(more, SCALE);
    const warm = fitCalibration(more, { ...SCALE, start: before });
    assert.ok(warm.iterations < cold.iterations, `${warm.iterations} < ${cold.iterations}`);
    cold.quality.forEach((q, i) => assert.ok(Math.abs(q - warm.quality[i]!) < 0.01 * cold.tau, `${q} vs ${warm.quality[i]}`));
  });
});

describe('posterior sd in closed form', () => {
  it('agrees with the spread of the posterior draws', () => {
    const normal = normalFrom(randomFrom(8));
    const ideaIds = Array.from({ length: 12 }, (_, i) => `i${String(i).padStart(2, '0')}`);
    const judgeIds = ['A', 'B', 'C', 'D'];
    const { assignments } = assignJudges({ ideaIds, judgeIds, perIdea: 2, seed: 3 });
    const scores = ideaIds.flatMap((ideaId, i) => assignments.get(ideaId)!.map((judgeId) => s(ideaId, judgeId, Math.min(10, Math.max(1, Math.round(5 + (i - 6) / 3 + normal()))))));
    const fit = fitCalibration(scores, SCALE);
    const sum = new Float64Array(12);
    const squares = new Float64Array(12);
    forEachPosteriorDraw(fit, { draws: 4000, random: randomFrom(4) }, (quality) => quality.forEach((q, i) => ((sum[i]! += q), (squares[i]! += q * q))));
    const sd = posteriorQualitySd(fit);
    sd.forEach((value, i) => {
      const drawn = Math.sqrt(squares[i]! / 4000 - (sum[i]! / 4000) ** 2);
      assert.ok(Math.abs(value - drawn) < 0.06 * value, `${value} vs ${drawn}`);
    });
  });
});

describe('the value of one more score', () => {
  it('is highest for ideas on the line, and nearly nothing for ideas far from it', () => {
    const scores = [s('a', 'A', 10), s('a', 'B', 9), s('b', 'A', 9), s('b', 'B', 10), s('c', 'A', 6), s('c', 'B', 6), s('d', 'A', 6), s('d', 'B', 5), s('e', 'A', 1), s('e', 'B', 2)];
    const fit = fitCalibration(scores, SCALE);
    const value = Object.fromEntries(fit.ideaIds.map((id, i) => [id, valueOfOneMoreScore(fit, 3)[i]!]));
    assert.ok(value.c! > value.a! && value.d! > value.a! && value.c! > value.e!, JSON.stringify(value));
    assert.ok(value.e! < 0.01, JSON.stringify(value));
    for (const v of Object.values(value)) assert.ok(v >= 0);
  });

  it('uses a normal cdf accurate to the fourth decimal', () => {
    assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7);
    assert.ok(Math.abs(normalCdf(1.644854) - 0.95) < 1e-4);
    assert.ok(Math.abs(normalCdf(-1.959964) - 0.025) < 1e-4);
  });
});

describe('a small seeded adaptive run', () => {
  it('spends the scorecards beyond the minimum on the ideas near the prize line', () => {
    const normal = normalFrom(randomFrom(11));
    const ideaIds = Array.from({ length: 16 }, (_, i) => `i${String(i).padStart(2, '0')}`);
    const judgeIds = ['A', 'B', 'C', 'D', 'E'];
    const quality = ideaIds.map((_, i) => 2 - i / 4); // i00 best … i15 worst, evenly spaced
    const { assignments } = assignJudges({ ideaIds, judgeIds, perIdea: 2, seed: 2 });
    const holders = new Map(ideaIds.map((id) => [id, [...assignments.get(id)!]]));
    const scoreOf = (ideaId: string) => Math.min(10, Math.max(1, Math.round(5.5 + 1.5 * quality[ideaIds.indexOf(ideaId)]! + 0.5 * normal())));
    const scores = ideaIds.flatMap((id) => holders.get(id)!.map((judgeId) => s(id, judgeId, scoreOf(id))));
    for (let k = 0; k < 12; k++) {
      const fit = fitCalibration(scores, SCALE);
      const values = valueOfOneMoreScore(fit, 4);
      const next = pickNextScorecard({ ideaIds, judgeIds, holders, minimum: 2, value: new Map(fit.ideaIds.map((id, i) => [id, values[i]!])) })!;
      holders.get(next.ideaId)!.push(next.judgeId);
      scores.push(s(next.ideaId, next.judgeId, scoreOf(next.ideaId)));
    }
    const extra = (range: string[]) => range.reduce((sum, id) => sum + holders.get(id)!.length - 2, 0);
    // The line runs between the 4th and 5th idea: i02–i06 are near it, i11–i15 far below.
    assert.ok(extra(ideaIds.slice(2, 7)) >= 6, `near the line: ${extra(ideaIds.slice(2, 7))}`);
    assert.equal(extra(ideaIds.slice(11)), 0, 'nothing on ideas far below the line');
  });
});

describe('the line staff read beside the ranking', () => {
  it('says the winners are settled, or which places are open and about how many scorecards would settle them', async () => {
    const results = await import('../../src/features/judging/results.service.ts');
    const { translate } = await import('../../src/i18n/i18n.ts');
    // The line is a message, put into words where it is shown: read here in English.
    const describeLine = (line: Parameters<typeof results.describeLine>[0]) => {
      const text = results.describeLine(line);
      return text && translate('en', text);
    };
    assert.equal(describeLine(null), null);
    assert.equal(describeLine({ top: 5, settled: 0.97, places: [], more: 0, unscored: 0 }), 'The top 5 is settled with 95% confidence.');
    assert.equal(describeLine({ top: 5, settled: 0.4, places: [4, 5, 6, 7], more: 9, unscored: 0 }), 'Ideas ranked 4–7 are still too close to call; about 9 more scorecards would settle them.');
    assert.equal(describeLine({ top: 1, settled: 0.9, places: [2], more: 1, unscored: 0 }), 'The idea ranked 2 is still too close to call; about 1 more scorecard would settle it.');
    assert.equal(
      describeLine({ top: 3, settled: 0.5, places: [3, 4], more: null, unscored: 0 }),
      'Ideas ranked 3–4 are still too close to call; more scorecards than the judges can give would be needed to settle them.',
    );
    assert.equal(describeLine({ top: 2, settled: 0, places: [], more: null, unscored: 3 }), '3 ideas have no scorecard yet: too early to tell who wins.');
  });
});
