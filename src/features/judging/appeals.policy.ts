import { message, type Message } from '../../i18n/i18n.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import { phaseIndex, type Phase } from '../challenges/phases.ts';

/** Authors read their scores and comments from the appeals phase on (or from the results, without one). */
export const feedbackOpen = (phase: Phase) => phaseIndex(phase) >= phaseIndex('appeals');

/** Ideas the judges scored: what can be appealed. */
const APPEALABLE = ['shortlisted', 'scored'];

type AppealWindow = Pick<ChallengeView, 'phase' | 'appealsEnabled' | 'phaseHistory' | 'schedule'>;

/** When the appeal window closed: the move out of appeals, or else the scheduled results. */
export function windowClosedAt(challenge: AppealWindow): Date | null {
  const left = [...challenge.phaseHistory].reverse().find((move) => move.from === 'appeals');
  return left?.at ?? challenge.schedule.decided ?? null;
}

export type ExistingAppeal = { at: Date; answer?: { at: Date } | null } | null;

/** Why an author may not appeal this idea now, or null when they may. Authorship is checked before. */
export function appealRefusal(challenge: AppealWindow, idea: { status: string }, existing: ExistingAppeal): Message | null {
  if (existing) {
    return existing.answer ? message('judging.refusal.appealedAnswered', { date: existing.at, answered: existing.answer.at }) : message('judging.refusal.appealedWaiting', { date: existing.at });
  }
  if (!challenge.appealsEnabled) return message('judging.refusal.noAppealsPhase');
  if (phaseIndex(challenge.phase) < phaseIndex('appeals')) return message('judging.refusal.appealsNotYet');
  if (challenge.phase !== 'appeals') {
    const closed = windowClosedAt(challenge);
    return closed ? message('judging.refusal.windowClosedOn', { date: closed }) : message('judging.refusal.windowClosed');
  }
  if (!APPEALABLE.includes(idea.status)) return message('judging.refusal.notAppealable');
  return null;
}
