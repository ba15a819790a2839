import type { MaybeActor } from '../../shared/actor.ts';
import { canSeeChallenge, canSeeOthersIdeas, type ChallengeAccess } from '../challenges/challenges.policy.ts';
import { canSeeResults } from '../judging/judging.policy.ts';

export const DATASETS = ['ideas', 'scores', 'outcomes'] as const;
export type Dataset = (typeof DATASETS)[number];
export const FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof FORMATS)[number];

export const DATASET_LABELS: Record<Dataset, string> = { ideas: 'Ideas', scores: 'Judges’ scores', outcomes: 'Outcomes' };

/**
 * Who may export what of a challenge: its ideas whoever sees others' ideas in it (the team, and
 * the crowd unless submissions are sealed); the judges' scores whoever reads the ranking (staff
 * and the challenge's copilots); its outcomes everyone who sees the challenge.
 */
export function canExport(actor: MaybeActor, challenge: ChallengeAccess, dataset: Dataset): boolean {
  switch (dataset) {
    case 'ideas':
      return canSeeOthersIdeas(actor, challenge);
    case 'scores':
      return canSeeResults(actor, challenge);
    case 'outcomes':
      return canSeeChallenge(actor, challenge);
  }
}

/** The export links the challenge page offers this actor. */
export function exportLinks(actor: MaybeActor, challenge: ChallengeAccess & { id: string }) {
  return DATASETS.filter((dataset) => canExport(actor, challenge, dataset)).map((dataset) => ({
    dataset,
    label: DATASET_LABELS[dataset],
    // Not `json`/`csv`: a property named like a view helper is shadowed by the helper in templates.
    csvUrl: `/challenges/${challenge.id}/exports/${dataset}.csv`,
    jsonUrl: `/challenges/${challenge.id}/exports/${dataset}.json`,
  }));
}
