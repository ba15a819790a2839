import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignJudges, conflictKey, reassign, uncoveredPairs } from '../../src/features/judging/assignment.ts';

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, k) => `${prefix}${String(k).padStart(2, '0')}`);
const ideaIds = ids('idea', 40);
const judgeIds = ids('judge', 8);

function pairCounts(assignments: Map<string, string[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const members of assignments.values()) for (const x of members) for (const y of members) if (x < y) counts.set(`${x}:${y}`, (counts.get(`${x}:${y}`) ?? 0) + 1);
  return counts;
}

describe('assigning judges', () => {
  it('gives 40 ideas 3 different judges each out of 8: 15 ideas per judge, every pair sharing 4–5 ideas', () => {
    const { assignments, loads, uncoveredPairs: uncovered, understaffed } = assignJudges({ ideaIds, judgeIds, perIdea: 3, seed: 'challenge-1' });
    assert.equal(assignments.size, 40);
    for (const members of assignments.values()) assert.equal(new Set(members).size, 3);
    assert.deepEqual([...loads.values()], new Array(8).fill(15));
    const counts = pairCounts(assignments);
    assert.equal(counts.size, 28);
    assert.ok([...counts.values()].every((count) => count >= 4 && count <= 5));
    assert.deepEqual(uncovered, []);
    assert.deepEqual(understaffed, []);
    // Different subsets: most ideas have a trio of their own.
    assert.ok(new Set([...assignments.values()].map((members) => members.join())).size >= 30);
  });

  it('is deterministic for a seed, whatever the input order, and differs between seeds', () => {
    const first = assignJudges({ ideaIds, judgeIds, perIdea: 3, seed: 5 });
    const again = assignJudges({ ideaIds: [...ideaIds].reverse(), judgeIds: [...judgeIds].reverse(), perIdea: 3, seed: 5 });
    const other = assignJudges({ ideaIds, judgeIds, perIdea: 3, seed: 6 });
    assert.deepEqual([...again.assignments], [...first.assignments]);
    assert.notDeepEqual([...other.assignments], [...first.assignments]);
  });

  it('never assigns a conflicted judge and keeps loads within one', () => {
    const conflicts = new Set([conflictKey('idea00', 'judge00'), conflictKey('idea01', 'judge00'), conflictKey('idea00', 'judge03'), conflictKey('idea07', 'judge05')]);
    const { assignments, loads } = assignJudges({ ideaIds, judgeIds, perIdea: 3, conflicts, seed: 1 });
    for (const [ideaId, members] of assignments) for (const judgeId of members) assert.ok(!conflicts.has(conflictKey(ideaId, judgeId)));
    assert.ok(Math.max(...loads.values()) - Math.min(...loads.values()) <= 1);
  });

  it('reports ideas left short because too many judges are conflicted', () => {
    const conflicts = new Set(judgeIds.slice(1).map((judgeId) => conflictKey('idea03', judgeId)));
    const result = assignJudges({ ideaIds: ideaIds.slice(0, 6), judgeIds, perIdea: 3, conflicts, seed: 1 });
    assert.deepEqual(result.assignments.get('idea03'), ['judge00']);
    assert.deepEqual(result.understaffed, ['idea03']);
  });

  it("'all': every judge on every idea but their conflicts", () => {
    const conflicts = new Set([conflictKey('idea02', 'judge01')]);
    const { assignments } = assignJudges({ ideaIds: ideaIds.slice(0, 3), judgeIds: judgeIds.slice(0, 3), perIdea: 'all', conflicts, seed: 1 });
    assert.deepEqual(assignments.get('idea00'), ['judge00', 'judge01', 'judge02']);
    assert.deepEqual(assignments.get('idea02'), ['judge00', 'judge02']);
  });

  it('keeps existing assignments and tops them up', () => {
    const existing = new Map([
      ['idea00', ['judge06', 'judge07']],
      ['idea01', ['judge06']],
    ]);
    const { assignments } = assignJudges({ ideaIds: ideaIds.slice(0, 8), judgeIds, perIdea: 3, existing, seed: 1 });
    assert.ok(['judge06', 'judge07'].every((id) => assignments.get('idea00')!.includes(id)));
    assert.ok(assignments.get('idea01')!.includes('judge06'));
    for (const members of assignments.values()) assert.equal(members.length, 3);
  });

  it('says which pairs of judges share no idea when the numbers do not allow it', () => {
    // 12 judges, 5 ideas, 2 per idea: 10 places for 66 pairs.
    const twelve = ids('judge', 12);
    const result = assignJudges({ ideaIds: ideaIds.slice(0, 5), judgeIds: twelve, perIdea: 2, seed: 1 });
    assert.equal(result.uncoveredPairs.length, 66 - 5);
    assert.deepEqual(result.uncoveredPairs, uncoveredPairs(result.assignments, twelve));
    assert.ok(Math.max(...result.loads.values()) <= 1);
  });
});

describe('reassigning after a conflict', () => {
  it('replaces the judge by the least-loaded eligible judge not on the idea', () => {
    const assignments = new Map([
      ['x', ['A', 'B']],
      ['y', ['A', 'C']],
      ['z', ['B', 'C']],
      ['w', ['C', 'D']],
    ]);
    // Loads: A 2, B 2, C 3, D 1, E 0; E is conflicted on x too.
    const conflicts = new Set([conflictKey('x', 'A'), conflictKey('x', 'E')]);
    const { assignments: next, replacement } = reassign(assignments, { ideaId: 'x', judgeId: 'A', judgeIds: ['A', 'B', 'C', 'D', 'E'], conflicts, seed: 1 });
    assert.equal(replacement, 'D');
    assert.deepEqual(next.get('x'), ['B', 'D']);
    assert.deepEqual(assignments.get('x'), ['A', 'B'], 'the input is not changed');
  });

  it('returns no replacement when nobody is eligible', () => {
    const { assignments, replacement } = reassign(new Map([['x', ['A', 'B']]]), { ideaId: 'x', judgeId: 'A', judgeIds: ['A', 'B'], seed: 1 });
    assert.equal(replacement, null);
    assert.deepEqual(assignments.get('x'), ['B']);
  });
});
