import { randomFrom, shuffled, type Random } from './rng.ts';

/**
 * Who scores which idea. Three goals, in this order:
 * 1. balanced load: judges' counts differ by at most one (conflicts permitting), because a judge
 *    with twice the work rushes it;
 * 2. every pair of judges shares at least one idea, because calibration compares judges through
 *    the ideas they both scored: two groups of judges who share nothing cannot be put on one scale;
 * 3. different subsets across ideas, so that no judge's bias is always met by the same partners.
 * Conflicts (`${ideaId}:${judgeId}`) are never assigned. Deterministic for a seed.
 */

export type AssignmentInput = {
  ideaIds: readonly string[];
  judgeIds: readonly string[];
  /** Judges per idea, or 'all': every judge scores every idea. */
  perIdea: number | 'all';
  conflicts?: ReadonlySet<string>;
  /** Current assignments to keep (a conflicted or unknown judge is dropped from them). */
  existing?: ReadonlyMap<string, readonly string[]>;
  seed: number | string;
};

export type AssignmentResult = {
  assignments: Map<string, string[]>;
  loads: Map<string, number>;
  /** Pairs of judges who share no idea: the UI warns that they cannot be calibrated together. */
  uncoveredPairs: Array<[string, string]>;
  /** Ideas with fewer judges than asked, because too many judges declared a conflict. */
  understaffed: string[];
};

export const conflictKey = (ideaId: string, judgeId: string) => `${ideaId}:${judgeId}`;

/** Enumerating every subset is exact and cheap for shortlist sizes; beyond this, pick greedily. */
const MAX_SUBSETS = 2000;
/** Greedy choices can paint themselves into a corner on pair coverage: retry with other seeds. */
const ATTEMPTS = 20;

export function assignJudges(input: AssignmentInput): AssignmentResult {
  let best: AssignmentResult | null = null;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const result = attemptAssignment(input, randomFrom(`${input.seed}#${attempt}`));
    if (!best || result.uncoveredPairs.length < best.uncoveredPairs.length) best = result;
    if (best.uncoveredPairs.length === 0 || input.perIdea === 'all') break;
  }
  return best!;
}

function attemptAssignment(input: AssignmentInput, random: Random): AssignmentResult {
  const judges = [...new Set(input.judgeIds)].sort();
  const judgeIndex = new Map(judges.map((id, index) => [id, index]));
  const conflicts = input.conflicts ?? new Set<string>();
  const k = input.perIdea === 'all' ? judges.length : Math.max(0, Math.min(Math.floor(input.perIdea), judges.length));
  const loads = new Array<number>(judges.length).fill(0);
  const shared = new Array<number>(judges.length * judges.length).fill(0);
  const subsetsUsed = new Map<string, number>();
  const chosen = new Map<string, number[]>();

  const record = (ideaId: string, members: number[]) => {
    members.sort((x, y) => x - y);
    chosen.set(ideaId, members);
    for (const x of members) loads[x]! += 1;
    for (const x of members) for (const y of members) if (x < y) shared[x * judges.length + y]! += 1;
    const key = members.join(',');
    subsetsUsed.set(key, (subsetsUsed.get(key) ?? 0) + 1);
  };

  const ideas = [...new Set(input.ideaIds)].sort();
  const eligibleOf = (ideaId: string) => judges.map((_, x) => x).filter((x) => !conflicts.has(conflictKey(ideaId, judges[x]!)));
  for (const ideaId of ideas) {
    const kept = (input.existing?.get(ideaId) ?? []).map((id) => judgeIndex.get(id)).filter((x): x is number => x !== undefined && !conflicts.has(conflictKey(ideaId, judges[x]!)));
    if (kept.length) record(ideaId, [...new Set(kept)]);
  }
  // Most constrained ideas first (fewest eligible judges), the rest in a seeded order.
  const pending = shuffled(ideas, random)
    .map((ideaId) => ({ ideaId, eligible: eligibleOf(ideaId) }))
    .sort((x, y) => x.eligible.length - y.eligible.length);

  for (const { ideaId, eligible } of pending) {
    const current = chosen.get(ideaId) ?? [];
    if (current.length >= k) continue;
    const free = eligible.filter((x) => !current.includes(x));
    const need = k - current.length;
    const pick = free.length <= need ? free : choose(free, need, current);
    // Undo the partial record of kept judges before recording the whole set.
    if (current.length) unrecord(current);
    record(ideaId, [...current, ...pick]);
  }

  function unrecord(members: number[]) {
    for (const x of members) loads[x]! -= 1;
    for (const x of members) for (const y of members) if (x < y) shared[x * judges.length + y]! -= 1;
    const key = members.join(',');
    subsetsUsed.set(key, subsetsUsed.get(key)! - 1);
  }

  /**
   * Lexicographic: least total load, then most judge pairs newly covered, then pairs that share
   * fewest ideas so far (even overlap: every pair calibrated about as well), then least-used
   * subset, then chance. Later criteria are computed only on a tie (this runs for every candidate subset).
   */
  function better(members: number[], current: number[], best: number[] | null): number[] | null {
    let load = 0;
    for (const x of members) load += loads[x]!;
    if (best && load > best[0]!) return null;
    const all = [...current, ...members].sort((x, y) => x - y);
    let newPairs = 0;
    let overlap = 0;
    for (let p = 0; p < all.length; p++) {
      for (let r = p + 1; r < all.length; r++) {
        const count = shared[all[p]! * judges.length + all[r]!]!;
        if (count === 0) newPairs++;
        overlap += count;
      }
    }
    const candidate = [load, -newPairs, overlap, subsetsUsed.get(all.join(',')) ?? 0, random()];
    return !best || lexLess(candidate, best) ? candidate : null;
  }

  function choose(free: number[], need: number, current: number[]): number[] {
    let bestCost: number[] | null = null;
    let bestSet: number[] = [];
    if (binomial(free.length, need) <= MAX_SUBSETS) {
      // Every subset of `need` positions in `free`, in lexicographic order.
      const positions = Array.from({ length: need }, (_, p) => p);
      for (;;) {
        const members = positions.map((p) => free[p]!);
        const c = better(members, current, bestCost);
        if (c) [bestCost, bestSet] = [c, members];
        let p = need - 1;
        while (p >= 0 && positions[p] === free.length - need + p) p--;
        if (p < 0) return bestSet;
        positions[p]! += 1;
        for (let r = p + 1; r < need; r++) positions[r] = positions[r - 1]! + 1;
      }
    }
    while (bestSet.length < need) {
      let pick = -1;
      bestCost = null;
      for (const x of free) {
        if (bestSet.includes(x)) continue;
        const c = better([...bestSet, x], current, bestCost);
        if (c) [bestCost, pick] = [c, x];
      }
      bestSet.push(pick);
    }
    return bestSet;
  }

  const assignments = new Map<string, string[]>();
  for (const ideaId of ideas)
    assignments.set(
      ideaId,
      (chosen.get(ideaId) ?? []).map((x) => judges[x]!),
    );
  return {
    assignments,
    loads: new Map(judges.map((id, x) => [id, loads[x]!])),
    uncoveredPairs: uncoveredPairs(assignments, judges),
    understaffed: ideas.filter((ideaId) => (chosen.get(ideaId)?.length ?? 0) < k),
  };
}

/** Pairs of judges (sorted ids) who share no idea in `assignments`. */
export function uncoveredPairs(assignments: ReadonlyMap<string, readonly string[]>, judgeIds: readonly string[]): Array<[string, string]> {
  const covered = new Set<string>();
  for (const members of assignments.values()) for (const x of members) for (const y of members) if (x < y) covered.add(`${x}\n${y}`);
  const judges = [...new Set(judgeIds)].sort();
  const result: Array<[string, string]> = [];
  for (const [position, x] of judges.entries()) for (const y of judges.slice(position + 1)) if (!covered.has(`${x}\n${y}`)) result.push([x, y]);
  return result;
}

/**
 * A judge declared a conflict on an idea: take them off it and put on the least-loaded eligible
 * judge who is not on it yet (ties: the one who shares ideas with the fewest of the idea's other
 * judges, for pair coverage; then a seeded choice). Replacement null when nobody is eligible.
 */
export function reassign(
  assignments: ReadonlyMap<string, readonly string[]>,
  change: { ideaId: string; judgeId: string; judgeIds: readonly string[]; conflicts?: ReadonlySet<string>; seed: number | string },
): { assignments: Map<string, string[]>; replacement: string | null } {
  const next = new Map([...assignments].map(([ideaId, members]) => [ideaId, [...members]]));
  const remaining = (next.get(change.ideaId) ?? []).filter((id) => id !== change.judgeId);
  const loads = new Map<string, number>();
  for (const members of next.values()) for (const id of members) loads.set(id, (loads.get(id) ?? 0) + 1);
  const sharesWith = (x: string, y: string) => [...next.values()].some((members) => members.includes(x) && members.includes(y));
  const random = randomFrom(`${change.seed}:${change.ideaId}:${change.judgeId}`);
  const candidates = [...new Set(change.judgeIds)]
    .sort()
    .filter((id) => id !== change.judgeId && !remaining.includes(id) && !change.conflicts?.has(conflictKey(change.ideaId, id)))
    .map((id) => ({ id, cost: [loads.get(id) ?? 0, -remaining.filter((other) => !sharesWith(id, other)).length, random()] }))
    .sort((x, y) => (lexLess(x.cost, y.cost) ? -1 : 1));
  const replacement = candidates[0]?.id ?? null;
  next.set(change.ideaId, replacement ? [...remaining, replacement].sort() : remaining);
  return { assignments: next, replacement };
}

function lexLess(x: number[], y: number[]): boolean {
  for (let index = 0; index < x.length; index++) if (x[index] !== y[index]) return x[index]! < y[index]!;
  return false;
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let index = 0; index < k; index++) result = (result * (n - index)) / (index + 1);
  return result;
}
