import type { Phase } from './phases.ts';

/**
 * What staff do next on a challenge in each phase, and where: shown first on the challenge page
 * and on each row of staff's home, so "what now?" never needs the timeline.
 */
const NEXT_ACTIONS: Record<Phase, (id: string) => { label: string; href: string }> = {
  draft: (id) => ({ label: 'Finish the brief, then open it', href: `/challenges/${id}/edit` }),
  open: (id) => ({ label: 'Screen the new ideas', href: `/challenges/${id}/curation` }),
  curation: (id) => ({ label: 'Build the shortlist', href: `/challenges/${id}/shortlist` }),
  judging: (id) => ({ label: 'Follow the judges', href: `/challenges/${id}/judging/setup` }),
  appeals: (id) => ({ label: 'Answer the appeals', href: `/challenges/${id}/judging/appeals` }),
  decided: (id) => ({ label: 'Announce the winners', href: `/challenges/${id}/judging/winners` }),
  closed: (id) => ({ label: 'See what became of the ideas', href: `/challenges/${id}/outcomes` }),
};

export const nextActionOf = (challenge: { id: string; phase: Phase }) => NEXT_ACTIONS[challenge.phase](challenge.id);
