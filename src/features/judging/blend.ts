/**
 * The optional crowd blend: final = (1 − w)·calibrated z + w·crowd z, with w set by staff between
 * 0 and 30% (the judges decide; the crowd can only tip close calls). Both signals are put on
 * z-scores over the ranked ideas first, so neither counts more because of its units. The
 * calibrated and the blended figures are both returned, to be shown separately.
 */
import { ranksOf } from './ranks.ts';

export const MAX_CROWD_WEIGHT = 0.3;

export type BlendedIdea = {
  ideaId: string;
  calibratedZ: number;
  /** Null when the crowd has no score for the idea: it then counts as an average idea. */
  crowdZ: number | null;
  blended: number;
  calibratedRank: number;
  blendedRank: number;
};

function zScores(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
  return values.map((v) => (sd > 0 ? (v - mean) / sd : 0));
}

/** `calibrated`: each ranked idea's calibrated quality; `crowd`: pairwise scores (any subset). */
export function blendWithCrowd(calibrated: ReadonlyMap<string, number>, crowd: ReadonlyMap<string, number>, weight: number): BlendedIdea[] {
  if (!(weight >= 0 && weight <= MAX_CROWD_WEIGHT)) throw new RangeError(`The crowd's weight must be between 0 and ${MAX_CROWD_WEIGHT}.`);
  const ideaIds = [...calibrated.keys()].sort();
  const judged = zScores(ideaIds.map((id) => calibrated.get(id)!));
  const withCrowd = ideaIds.filter((id) => crowd.has(id));
  const crowdZ = new Map(zScores(withCrowd.map((id) => crowd.get(id)!)).map((z, k) => [withCrowd[k]!, z]));
  const blended = ideaIds.map((id, k) => (1 - weight) * judged[k]! + weight * (crowdZ.get(id) ?? 0));
  const calibratedRanks = ranksOf(judged);
  const blendedRanks = ranksOf(blended);
  return ideaIds
    .map((ideaId, k) => ({ ideaId, calibratedZ: judged[k]!, crowdZ: crowdZ.get(ideaId) ?? null, blended: blended[k]!, calibratedRank: calibratedRanks[k]!, blendedRank: blendedRanks[k]! }))
    .sort((x, y) => x.blendedRank - y.blendedRank || (x.ideaId < y.ideaId ? -1 : 1));
}
