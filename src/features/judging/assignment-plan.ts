import type { JudgingSetup } from './judging.service.ts';

/**
 * Who scores which shortlisted idea under the setup: every judge everything, or k per idea
 * balanced by load with overlapping pairs (assignJudges), never a judge with a declared conflict,
 * keeping the judges an idea already has where they still fit.
 */
export function planAssignments(options: { ideaIds: string[]; judgeIds: string[]; setup: Pick<JudgingSetup, 'mode' | 'perIdea' | 'conflicts' | 'assignments'>; seed: string }) {
  const conflicted = new Set(options.setup.conflicts.map((conflict) => `${conflict.ideaId}:${conflict.judgeId}`));
  if (options.setup.mode === 'all') {
    return options.ideaIds.map((ideaId) => ({ ideaId, judgeIds: options.judgeIds.filter((judgeId) => !conflicted.has(`${ideaId}:${judgeId}`)) }));
  }
  // Placeholder until assignment.ts lands: round-robin with conflicts skipped.
  const k = Math.min(options.setup.perIdea, options.judgeIds.length);
  const load = new Map(options.judgeIds.map((id) => [id, 0]));
  return options.ideaIds.map((ideaId) => {
    const eligible = options.judgeIds.filter((judgeId) => !conflicted.has(`${ideaId}:${judgeId}`)).sort((a, b) => load.get(a)! - load.get(b)!);
    const judgeIds = eligible.slice(0, k);
    for (const judgeId of judgeIds) load.set(judgeId, load.get(judgeId)! + 1);
    return { ideaId, judgeIds };
  });
}
