import type { JudgeScore } from './calibration.ts';

/**
 * The two simple rankings the calibrated one is compared with: the raw mean of an idea's scores,
 * and the mean of its per-judge z-scores (each judge's scores minus that judge's mean, divided by
 * that judge's sd). Both are shown so staff can see what calibration changed and why.
 */

export type PerIdeaValues = { ideaIds: string[]; values: number[][]; means: Float64Array };

function collect(ideaIds: string[], entries: Array<{ ideaId: string; value: number }>): PerIdeaValues {
  const index = new Map(ideaIds.map((id, i) => [id, i]));
  const values: number[][] = ideaIds.map(() => []);
  for (const entry of entries) values[index.get(entry.ideaId)!]!.push(entry.value);
  const means = Float64Array.from(values, (list) => (list.length ? list.reduce((sum, v) => sum + v, 0) / list.length : 0));
  return { ideaIds, values, means };
}

const ideasOf = (scores: readonly JudgeScore[]) => [...new Set(scores.map((s) => s.ideaId))].sort();
/** Sums in a fixed order, so that the input's order cannot change a mean's last bit (and a tie). */
const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const inOrder = (scores: readonly JudgeScore[]) => [...scores].sort((x, y) => compare(x.ideaId, y.ideaId) || compare(x.judgeId, y.judgeId) || x.score - y.score);

export function rawMeans(unordered: readonly JudgeScore[]): PerIdeaValues {
  const scores = inOrder(unordered);
  return collect(
    ideasOf(scores),
    scores.map((s) => ({ ideaId: s.ideaId, value: s.score })),
  );
}

/** A judge who gave every idea the same score has no spread: their z-scores are 0 (no opinion). */
export function zScoreMeans(unordered: readonly JudgeScore[]): PerIdeaValues {
  const scores = inOrder(unordered);
  const byJudge = new Map<string, number[]>();
  for (const s of scores) {
    const list = byJudge.get(s.judgeId) ?? [];
    list.push(s.score);
    byJudge.set(s.judgeId, list);
  }
  const moments = new Map<string, { mean: number; sd: number }>();
  for (const [judgeId, list] of byJudge) {
    const mean = list.reduce((sum, v) => sum + v, 0) / list.length;
    const sd = Math.sqrt(list.reduce((sum, v) => sum + (v - mean) ** 2, 0) / list.length);
    moments.set(judgeId, { mean, sd });
  }
  return collect(
    ideasOf(scores),
    scores.map((s) => {
      const { mean, sd } = moments.get(s.judgeId)!;
      return { ideaId: s.ideaId, value: sd > 0 ? (s.score - mean) / sd : 0 };
    }),
  );
}
