import { message, type Message } from '../../i18n/i18n.ts';
import type { Phase } from './phases.ts';

/**
 * What staff do next on a challenge in each phase, and where: shown first on the challenge page
 * and on each row of staff's home, so "what now?" never needs the timeline.
 */
const NEXT_ACTIONS: Record<Phase, (id: string) => { label: Message; href: string }> = {
  draft: (id) => ({ label: message('challenge.nextAction.draft'), href: `/challenges/${id}/edit` }),
  open: (id) => ({ label: message('challenge.nextAction.open'), href: `/challenges/${id}/curation` }),
  curation: (id) => ({ label: message('challenge.nextAction.curation'), href: `/challenges/${id}/shortlist` }),
  judging: (id) => ({ label: message('challenge.nextAction.judging'), href: `/challenges/${id}/judging/setup` }),
  appeals: (id) => ({ label: message('challenge.nextAction.appeals'), href: `/challenges/${id}/judging/appeals` }),
  decided: (id) => ({ label: message('challenge.nextAction.decided'), href: `/challenges/${id}/judging/winners` }),
  closed: (id) => ({ label: message('challenge.nextAction.closed'), href: `/challenges/${id}/outcomes` }),
};

/** `winnersAnnounced`: once the winners are out (announcing them moves the challenge to decided), they go to the backlog next. */
export const nextActionOf = (challenge: { id: string; phase: Phase }, options: { winnersAnnounced: boolean }) =>
  challenge.phase === 'decided' && options.winnersAnnounced
    ? { label: message('challenge.nextAction.promoteWinners'), href: `/challenges/${challenge.id}/review` }
    : NEXT_ACTIONS[challenge.phase](challenge.id);
