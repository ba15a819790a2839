import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choosePair, fitBradleyTerry, pairKey, priorScore, seededRandom, type PairOutcome } from '../../src/features/community/pairwise.ts';

const beats = (winnerId: string, loserId: string): PairOutcome => ({ winnerId, loserId });
const skip = (a: string, b: string): PairOutcome => ({ skipped: [a, b] });

/** `x` against a fresh opponent per comparison, winning `wins` of `total`. */
function recordAgainstFreshOpponents(wins: number, total: number): PairOutcome[] {
  return Array.from({ length: total }, (_, k) => (k < wins ? beats('x', `opponent-${k}`) : beats(`opponent-${k}`, 'x')));
}

function shuffled<T>(items: T[], rng: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** A challenge of `ideas` ideas with hidden strengths and `answers` noisy answers between random pairs. */
function simulated(ideas: number, answers: number, seed: number) {
  const rng = seededRandom(seed);
  const ids = Array.from({ length: ideas }, (_, i) => `idea-${String(i).padStart(4, '0')}`);
  const truth = new Map(ids.map((id) => [id, Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())]));
  const outcomes: PairOutcome[] = [];
  for (let k = 0; k < answers; k++) {
    const a = ids[Math.floor(rng() * ideas)]!;
    const b = ids[Math.floor(rng() * ideas)]!;
    if (a === b) continue;
    const aWins = rng() < 1 / (1 + Math.exp(truth.get(b)! - truth.get(a)!));
    outcomes.push(aWins ? beats(a, b) : beats(b, a));
  }
  return { ids, truth, outcomes };
}

describe('the Bradley–Terry fit', () => {
  it('puts an idea no one compared at the prior: 50, with the prior interval', () => {
    const fitted = fitBradleyTerry(['new', 'a', 'b'], [beats('a', 'b'), beats('a', 'b'), beats('b', 'a')]);
    const fresh = fitted.get('new')!;
    assert.equal(fresh.score, 50);
    assert.equal(fresh.comparisons, 0);
    assert.ok(Math.abs(fresh.low + fresh.high - 100) < 1e-9, 'the interval is symmetric around 50');
    assert.ok(fresh.low < 25 && fresh.high > 75, `the prior is weak (${fresh.low}–${fresh.high})`);
    const alone = priorScore();
    assert.equal(alone.score, 50);
    assert.ok(Math.abs(alone.low - 16.2) < 0.1 && Math.abs(alone.high - 83.8) < 0.1, 'a 90% interval of the N(0, 1) prior');
  });

  it('scores an idea that won 30 of 100 against average opponents at about 30', () => {
    const x = fitBradleyTerry([], recordAgainstFreshOpponents(30, 100)).get('x')!;
    assert.ok(Math.abs(x.score - 30) < 2, `score ${x.score}`);
    assert.equal(x.comparisons, 100);
    assert.ok(x.low < 30 && x.high > 30 && x.low > 15 && x.high < 45, `interval ${x.low}–${x.high}`);
  });

  it('gives the winner of a single comparison the higher score, and the loser the lower', () => {
    const fitted = fitBradleyTerry(['a', 'b'], [beats('a', 'b')]);
    assert.ok(fitted.get('a')!.score > 50);
    assert.ok(fitted.get('b')!.score < 50);
    assert.ok(fitted.get('a')!.score < 75, 'one win is weak evidence: the prior holds it near the middle');
  });

  it('changes no score for a skip', () => {
    const decided = [beats('a', 'b'), beats('b', 'c'), beats('a', 'c')];
    const without = fitBradleyTerry(['a', 'b', 'c', 'd'], decided);
    const withSkips = fitBradleyTerry(['a', 'b', 'c', 'd'], [skip('a', 'b'), ...decided, skip('c', 'd'), skip('b', 'd')]);
    assert.deepEqual(withSkips, without);
    assert.equal(withSkips.get('d')!.comparisons, 0);
  });

  it('narrows an idea’s interval as its comparisons grow', () => {
    const widths = [10, 40, 160, 640].map((total) => {
      const x = fitBradleyTerry([], recordAgainstFreshOpponents(total / 2, total)).get('x')!;
      return x.high - x.low;
    });
    for (let i = 1; i < widths.length; i++) assert.ok(widths[i]! < widths[i - 1]!, `widths ${widths.join(', ')}`);
    const pair = [1, 10, 100].map((rounds) => {
      const a = fitBradleyTerry([], Array.from({ length: rounds }, () => [beats('a', 'b'), beats('b', 'a')]).flat()).get('a')!;
      return a.high - a.low;
    });
    assert.ok(pair[0]! > pair[1]! && pair[1]! > pair[2]!, `two ideas compared often: ${pair.join(', ')}`);
  });

  it('does not depend on the order the comparisons arrive in', () => {
    const { ids, outcomes } = simulated(40, 400, 7);
    const rng = seededRandom(11);
    const reference = fitBradleyTerry(ids, outcomes);
    for (let round = 0; round < 3; round++) {
      const again = fitBradleyTerry(shuffled(ids, rng), shuffled(outcomes, rng));
      assert.deepEqual(again, reference);
    }
  });

  it('recovers the hidden order of a large challenge, and converges to the same fit from a warm start', () => {
    const { ids, truth, outcomes } = simulated(300, 6000, 3);
    const fitted = fitBradleyTerry(ids, outcomes);
    const xs = ids.map((id) => truth.get(id)!);
    const ys = ids.map((id) => fitted.get(id)!.strength);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const [mx, my] = [mean(xs), mean(ys)];
    const cov = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i]! - my), 0);
    const correlation = cov / Math.sqrt(xs.reduce((s, x) => s + (x - mx) ** 2, 0) * ys.reduce((s, y) => s + (y - my) ** 2, 0));
    assert.ok(correlation > 0.85, `correlation ${correlation}`);
    assert.ok(Math.abs(my) < 1e-9, 'the average idea sits at 0 (score 50)');
    const covered = ids.filter((id) => {
      const relative = 100 / (1 + Math.exp(-(truth.get(id)! - mx)));
      return relative >= fitted.get(id)!.low && relative <= fitted.get(id)!.high;
    }).length;
    assert.ok(covered / ids.length > 0.8 && covered / ids.length < 0.97, `90% intervals cover ${covered} of ${ids.length}`);

    const start = new Map([...fitted].map(([id, score]) => [id, score.strength]));
    const warm = fitBradleyTerry(ids, [...outcomes, beats(ids[0]!, ids[1]!)], { start });
    const cold = fitBradleyTerry(ids, [...outcomes, beats(ids[0]!, ids[1]!)]);
    for (const id of ids) assert.ok(Math.abs(warm.get(id)!.score - cold.get(id)!.score) < 1e-3, `warm and cold fits differ for ${id}`);
  });
});

describe('choosing the next pair', () => {
  const stats = (entries: Record<string, [score: number, comparisons: number]>) => new Map(Object.entries(entries).map(([id, [score, comparisons]]) => [id, { score, comparisons }]));

  it('is reproducible with a seeded generator', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const run = (seed: number) => {
      const rng = seededRandom(seed);
      return Array.from({ length: 20 }, () => choosePair(ids, new Map(), { rng }));
    };
    assert.deepEqual(run(5), run(5));
    assert.notDeepEqual(run(5), run(6));
  });

  it('never offers an excluded idea, nor one idea twice, nor an answered pair', () => {
    const rng = seededRandom(1);
    const ids = ['a', 'b', 'c', 'd', 'mine'];
    const answered = new Set([pairKey('a', 'b'), pairKey('c', 'a')]);
    for (let i = 0; i < 500; i++) {
      const pair = choosePair([...ids, 'a'], new Map(), { excludeIds: ['mine'], excludePairs: answered, rng })!;
      assert.notEqual(pair.leftId, pair.rightId);
      assert.ok(![pair.leftId, pair.rightId].includes('mine'));
      assert.ok(!answered.has(pairKey(pair.leftId, pair.rightId)));
    }
  });

  it('returns null when fewer than two ideas are eligible, or every pair is answered', () => {
    assert.equal(choosePair([], new Map()), null);
    assert.equal(choosePair(['a'], new Map()), null);
    assert.equal(choosePair(['a', 'a'], new Map()), null);
    assert.equal(choosePair(['a', 'mine'], new Map(), { excludeIds: ['mine'] }), null);
    const all = new Set([pairKey('a', 'b'), pairKey('a', 'c'), pairKey('b', 'c')]);
    assert.equal(choosePair(['a', 'b', 'c'], new Map(), { excludePairs: all }), null);
    const left = choosePair(['a', 'b', 'c'], new Map(), { excludePairs: new Set([pairKey('a', 'b'), pairKey('a', 'c')]), rng: seededRandom(2) })!;
    assert.deepEqual([left.leftId, left.rightId].sort(), ['b', 'c']);
  });

  it('favours ideas with few comparisons', () => {
    const rng = seededRandom(3);
    const counts = new Map<string, number>();
    const seen = stats({ fresh: [50, 0], busy1: [50, 40], busy2: [50, 40], busy3: [50, 40] });
    for (let i = 0; i < 2000; i++) {
      const pair = choosePair(seen.keys(), seen, { rng })!;
      for (const id of [pair.leftId, pair.rightId]) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    assert.ok(counts.get('fresh')! > 1800, `the new idea was in ${counts.get('fresh')} of 2000 pairs`);
  });

  it('favours close scores for the partner', () => {
    const rng = seededRandom(4);
    const seen = stats({ middle: [50, 0], near: [55, 10], far: [95, 10] });
    let near = 0;
    let far = 0;
    for (let i = 0; i < 2000; i++) {
      const pair = choosePair(['middle', 'near', 'far'], seen, { rng, excludePairs: new Set([pairKey('near', 'far')]) })!;
      if ([pair.leftId, pair.rightId].includes('near')) near++;
      if ([pair.leftId, pair.rightId].includes('far')) far++;
    }
    assert.ok(near > 3 * far, `near ${near}, far ${far}`);
  });

  it('shows each idea on the left and on the right', () => {
    const rng = seededRandom(6);
    const lefts = new Set(Array.from({ length: 50 }, () => choosePair(['a', 'b'], new Map(), { rng })!.leftId));
    assert.deepEqual([...lefts].sort(), ['a', 'b']);
  });
});
