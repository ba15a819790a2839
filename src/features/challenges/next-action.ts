import { message, type Message } from '../../i18n/i18n.ts';
import { scheduleProblems, type Phase, type Schedule } from './phases.ts';

type Step = { label: Message; href: string };

/**
 * What staff do next on a challenge in each phase, and where: shown first on the challenge page
 * and on each row of staff's home, so "what now?" never needs the timeline.
 */
const NEXT_ACTIONS: Record<Phase, (id: string) => Step> = {
  draft: (id) => ({ label: message('challenge.nextAction.draft'), href: `/challenges/${id}/edit` }),
  open: (id) => ({ label: message('challenge.nextAction.open'), href: `/challenges/${id}/curation` }),
  curation: (id) => ({ label: message('challenge.nextAction.curation'), href: `/challenges/${id}/shortlist` }),
  judging: (id) => ({ label: message('challenge.nextAction.judging'), href: `/challenges/${id}/judging/setup` }),
  appeals: (id) => ({ label: message('challenge.nextAction.appeals'), href: `/challenges/${id}/judging/appeals` }),
  decided: (id) => ({ label: message('challenge.nextAction.decided'), href: `/challenges/${id}/judging/winners` }),
  closed: (id) => ({ label: message('challenge.nextAction.closed'), href: `/challenges/${id}/outcomes` }),
};

/**
 * `winnersAnnounced`: once the winners are out (announcing them moves the challenge to decided),
 * they go to the backlog next. A draft opens only with its whole schedule set, which its form
 * lets it leave empty: while it is not, setting it is the step.
 */
export function nextActionOf(challenge: { id: string; phase: Phase; schedule: Schedule; appealsEnabled: boolean }, options: { winnersAnnounced: boolean }): Step {
  if (challenge.phase === 'decided' && options.winnersAnnounced) return { label: message('challenge.nextAction.promoteWinners'), href: `/challenges/${challenge.id}/review` };
  if (challenge.phase === 'draft' && Object.keys(scheduleProblems(challenge.schedule, challenge)).length > 0) {
    return { label: message('challenge.nextAction.schedule'), href: `/challenges/${challenge.id}/edit#schedule` };
  }
  return NEXT_ACTIONS[challenge.phase](challenge.id);
}
