import { assignJudges, conflictKey, uncoveredPairs } from './assignment.ts';
import type { JudgingSetup } from './judging.service.ts';

type Setup = Pick<JudgingSetup, 'mode' | 'perIdea' | 'conflicts' | 'assignments'>;

/**
 * Who scores which shortlisted idea under the setup (assignJudges: every judge everything, or k
 * per idea balanced by load with overlapping pairs), never a judge with a declared conflict,
 * keeping the judges an idea already has where they still fit.
 */
export function planAssignments(options: { ideaIds: string[]; judgeIds: string[]; setup: Setup; seed: string }) {
  const result = assignJudges({
    ideaIds: options.ideaIds,
    judgeIds: options.judgeIds,
    perIdea: options.setup.mode === 'all' ? 'all' : options.setup.perIdea,
    conflicts: new Set(options.setup.conflicts.map((conflict) => conflictKey(conflict.ideaId, conflict.judgeId))),
    existing: new Map(options.setup.assignments.map((entry) => [entry.ideaId, entry.judgeIds])),
    seed: options.seed,
  });
  return options.ideaIds.map((ideaId) => ({ ideaId, judgeIds: result.assignments.get(ideaId) ?? [] }));
}

/** Pairs of judges who share no idea: calibration cannot put them on one scale, so staff are warned. */
export function pairsWithoutOverlap(setup: Pick<JudgingSetup, 'assignments'>, judgeIds: string[]): Array<[string, string]> {
  return uncoveredPairs(new Map(setup.assignments.map((entry) => [entry.ideaId, entry.judgeIds])), judgeIds);
}
