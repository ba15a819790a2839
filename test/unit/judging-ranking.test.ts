import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blendWithCrowd } from '../../src/features/judging/blend.ts';
import type { JudgeScore } from '../../src/features/judging/calibration.ts';
import { rankIdeas } from '../../src/features/judging/ranking.ts';
import { RankTally, ranksOf } from '../../src/features/judging/ranks.ts';
import { normalFrom, randomFrom } from '../../src/features/judging/rng.ts';

const s = (ideaId: string, judgeId: string, score: number): JudgeScore => ({ ideaId, judgeId, score });

/** 20 ideas, 6 judges (one lenient, one harsh, one flat), 3 per idea, on a 1–10 scale. */
function shortlist(seed: number): JudgeScore[] {
  const normal = normalFrom(randomFrom(seed));
  const judges = [
    { a: 1.5, b: 1 },
    { a: -1.5, b: 1 },
    { a: 0, b: 0.5 },
    { a: 0.3, b: 1.5 },
    { a: -0.3, b: 1 },
    { a: 0, b: 1.2 },
  ];
  const scores: JudgeScore[] = [];
  for (let i = 0; i < 20; i++) {
    const q = normal();
    for (const j of [i % 6, (i + 1) % 6, (i + 3) % 6])
      scores.push(s(`idea${String(i).padStart(2, '0')}`, `judge${j}`, Math.min(10, Math.max(1, Math.round(5.5 + 1.5 * (judges[j]!.a + judges[j]!.b * q) + 0.5 * normal())))));
  }
  return scores;
}

describe('ranks and rank intervals', () => {
  it('gives tied values the better rank', () => {
    assert.deepEqual([...ranksOf([5, 7, 7, 1])], [3, 1, 1, 4]);
  });

  it('takes the 5th and 95th percentiles of each rank over the draws', () => {
    const tally = new RankTally(2);
    // 100 draws: the first idea is ahead in 96 of them.
    for (let draw = 0; draw < 100; draw++) tally.add(draw < 96 ? [2, 1] : [1, 2]);
    assert.deepEqual(tally.intervals(0.9), [
      { low: 1, high: 1 },
      { low: 2, high: 2 },
    ]);
    const close = new RankTally(2);
    for (let draw = 0; draw < 100; draw++) close.add(draw < 90 ? [2, 1] : [1, 2]);
    assert.deepEqual(close.intervals(0.9), [
      { low: 1, high: 2 },
      { low: 1, high: 2 },
    ]);
  });

  it('puts every idea’s calibrated rank inside its 90% interval, and narrows it for a clear winner', () => {
    const ranking = rankIdeas({ scores: shortlist(4), scale: { min: 1, max: 10 }, step: 1, seed: 'c1' });
    for (const idea of ranking.ideas) assert.ok(idea.interval!.low <= idea.calibratedRank! && idea.calibratedRank! <= idea.interval!.high, JSON.stringify(idea));
    assert.ok(
      ranking.ideas.some((idea) => idea.interval!.high - idea.interval!.low >= 2),
      'close ideas get wide intervals',
    );
    const clear = rankIdeas({ scores: [s('a', 'A', 9), s('a', 'B', 9), s('b', 'A', 2), s('b', 'B', 3), s('c', 'A', 3), s('c', 'B', 2)], seed: 1 });
    assert.deepEqual(clear.ideas[0], { ...clear.ideas[0], ideaId: 'a', calibratedRank: 1, interval: { low: 1, high: 1 } });
  });

  it('is the same for the same seed', () => {
    const scores = shortlist(9);
    assert.deepEqual(rankIdeas({ scores, seed: 'x' }), rankIdeas({ scores: [...scores].reverse(), seed: 'x' }));
  });
});

describe('the ranking for staff', () => {
  it('shows raw and calibrated ranks side by side, judges’ leniency, and unscored ideas unranked', () => {
    // B adds 2 points to everything; onlyB (8 from B) is no better than onlyA (6 from A).
    const scores = [s('a', 'A', 4), s('a', 'B', 6), s('b', 'A', 7), s('b', 'B', 9), s('c', 'A', 5), s('c', 'B', 7), s('onlyA', 'A', 6), s('onlyB', 'B', 8)];
    const ranking = rankIdeas({ ideaIds: ['unscored'], scores, seed: 1 });
    const byId = new Map(ranking.ideas.map((idea) => [idea.ideaId, idea]));
    assert.equal(byId.get('onlyB')!.rawRank, 1);
    assert.equal(byId.get('b')!.rawRank, 1);
    assert.equal(byId.get('onlyA')!.rawRank, 3);
    assert.equal(byId.get('b')!.calibratedRank, 1);
    assert.ok(Math.abs(byId.get('onlyA')!.calibratedScore! - byId.get('onlyB')!.calibratedScore!) < 0.01);
    assert.deepEqual(byId.get('unscored'), {
      ideaId: 'unscored',
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
    });
    assert.equal(ranking.ideas.at(-1)!.ideaId, 'unscored');
    const judges = new Map(ranking.judges.map((judge) => [judge.judgeId, judge]));
    assert.ok(Math.abs(judges.get('B')!.leniency - judges.get('A')!.leniency - 2) < 0.01);
    assert.equal(judges.get('A')!.scoreCount, 4);
  });
});

describe('a degenerate shortlist', () => {
  it('keeps the fit finite and the calibrated score on the scale when nearly every score is the top one', () => {
    const scores = [s('a', 'A', 100), s('b', 'A', 100), s('a', 'B', 100), s('b', 'B', 90)];
    const ranking = rankIdeas({ scores, scale: { min: 0, max: 100 }, step: 0.1, seed: 1 });
    assert.deepEqual(
      ranking.ideas.map((idea) => idea.ideaId),
      ['a', 'b'],
    );
    for (const idea of ranking.ideas) assert.ok(idea.calibratedScore! <= 100 && idea.calibratedScore! >= 0);
    assert.ok(ranking.noiseSd! <= 50);
  });
});

describe('the crowd blend', () => {
  const calibrated = new Map([
    ['a', 1.0],
    ['b', 0.9],
    ['c', -1.9],
  ]);
  const crowd = new Map([
    ['a', 30],
    ['b', 90],
    ['c', 50],
  ]);

  it('at weight 0 equals the calibrated ranking', () => {
    const blended = blendWithCrowd(calibrated, crowd, 0);
    for (const idea of blended) {
      assert.equal(idea.blended, idea.calibratedZ);
      assert.equal(idea.blendedRank, idea.calibratedRank);
    }
  });

  it('at 30% lets the crowd tip a close call, and shows both ranks', () => {
    const blended = blendWithCrowd(calibrated, crowd, 0.3);
    const b = blended.find((idea) => idea.ideaId === 'b')!;
    assert.equal(b.calibratedRank, 2);
    assert.equal(b.blendedRank, 1);
    assert.ok(Math.abs(b.blended - (0.7 * b.calibratedZ + 0.3 * b.crowdZ!)) < 1e-12);
  });

  it('counts an idea the crowd never compared as average, and refuses weights above 30%', () => {
    const blended = blendWithCrowd(
      calibrated,
      new Map([
        ['a', 30],
        ['b', 90],
      ]),
      0.2,
    );
    assert.equal(blended.find((idea) => idea.ideaId === 'c')!.crowdZ, null);
    assert.throws(() => blendWithCrowd(calibrated, crowd, 0.31), RangeError);
    assert.throws(() => blendWithCrowd(calibrated, crowd, -0.1), RangeError);
  });
});

describe('how sure the winners are', () => {
  it('gives each idea its chance of a prize from the interval’s draws, and names the places still open', () => {
    const ranking = rankIdeas({ scores: shortlist(4), scale: { min: 1, max: 10 }, step: 1, seed: 'c1', top: 5, judgeCount: 6 });
    const chances = ranking.ideas.map((idea) => idea.winChance!);
    assert.ok(Math.abs(chances.reduce((x, y) => x + y, 0) - 5) < 1e-9, 'five prizes in every draw');
    for (const idea of ranking.ideas) {
      // An idea whose whole interval is above the line wins in nearly every draw, one below it in almost none.
      if (idea.interval!.high <= 5) assert.ok(idea.winChance! >= 0.9, JSON.stringify(idea));
      if (idea.interval!.low > 5) assert.ok(idea.winChance! <= 0.1, JSON.stringify(idea));
    }
    const line = ranking.line!;
    assert.equal(line.top, 5);
    assert.ok(line.settled < 0.95, 'three scores per idea do not settle a top 5 of 20');
    assert.ok(line.places.length > 0 && line.places.every((place) => ranking.ideas[place - 1]!.winChance! > 0.05 && ranking.ideas[place - 1]!.winChance! < 0.95));
  });

  it('claims nothing while an idea has no score: it could still win', () => {
    const ranking = rankIdeas({ ideaIds: ['unscored'], scores: shortlist(4), seed: 'c1', top: 2 });
    assert.deepEqual(ranking.line, { top: 2, settled: 0, places: [], more: null, unscored: 1 });
  });

  it('has no line without prizes', () => {
    const ranking = rankIdeas({ scores: shortlist(4), seed: 'c1' });
    assert.equal(ranking.line, null);
    assert.equal(ranking.ideas[0]!.winChance, null);
  });

  it('does not diverge when the scores carry no information: equal scores give equal calibrated scores and tied ranks; unconnected judges give wide intervals', () => {
    const equal = ['a', 'b', 'c', 'd'].flatMap((idea) => ['j1', 'j2'].map((judge) => s(idea, judge, 60)));
    const flat = rankIdeas({ scores: equal, scale: { min: 0, max: 100 }, step: 1, seed: 'flat', top: 2 });
    for (const idea of flat.ideas) {
      assert.ok(Math.abs(idea.calibratedScore! - 60) < 1e-3, `${idea.ideaId} calibrated to the common score`);
      assert.equal(idea.calibratedRank, 1, 'all tied');
      assert.deepEqual(idea.interval, { low: 1, high: 4 });
    }
    // Two judges who share no idea: their leniency cannot be told from the ideas' quality.
    const disjoint = rankIdeas({ scores: [s('a', 'j1', 80), s('b', 'j1', 40), s('c', 'j2', 70), s('d', 'j2', 30)], scale: { min: 0, max: 100 }, step: 1, seed: 'apart', top: 2 });
    for (const idea of disjoint.ideas)
      assert.ok(idea.interval!.high - idea.interval!.low >= 2, `${idea.ideaId}: [${idea.interval!.low}–${idea.interval!.high}] is honest about it, never a single place`);
  });
});
