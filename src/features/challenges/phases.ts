import { message, type Message } from '../../i18n/i18n.ts';
import { common } from '../../i18n/catalogue/common.ts';
/**
 * The challenge lifecycle: draft → open → curation → judging → appeals (optional) → decided → closed.
 * Pure functions, so the scheduler, the staff's manual moves and the policy agree on one model.
 */
export const PHASES = ['draft', 'open', 'curation', 'judging', 'appeals', 'decided', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

/** Phases that have a scheduled start (a draft starts when it is created). */
export const SCHEDULED_PHASES = ['open', 'curation', 'judging', 'appeals', 'decided', 'closed'] as const;
export type ScheduledPhase = (typeof SCHEDULED_PHASES)[number];

export type Schedule = Partial<Record<ScheduledPhase, Date | null>>;

// English names from the catalogue (`common.phase`), where their German stands beside them.
export const PHASE_LABELS: Record<Phase, string> = common.en.phase;

/** The phases this challenge goes through, in order. */
export function phasesOf(options: { appealsEnabled: boolean }): Phase[] {
  return PHASES.filter((phase) => phase !== 'appeals' || options.appealsEnabled);
}

export function nextPhase(current: Phase, options: { appealsEnabled: boolean }): Phase | null {
  const order = phasesOf(options);
  return order[order.indexOf(current) + 1] ?? null;
}

export function previousPhase(current: Phase, options: { appealsEnabled: boolean }): Phase | null {
  const order = phasesOf(options);
  const index = order.indexOf(current);
  return index > 0 ? (order[index - 1] ?? null) : null;
}

/**
 * A manual move goes one step forward, or one step back (e.g. reopening submissions) — never
 * back to draft once the challenge has been open, and never out of closed.
 */
export function isAllowedMove(from: Phase, to: Phase, options: { appealsEnabled: boolean }): boolean {
  if (to === nextPhase(from, options)) return true;
  return to === previousPhase(from, options) && to !== 'draft' && from !== 'closed';
}

/**
 * Where the schedule says the challenge should be now: the latest phase whose start has passed.
 * The scheduler only ever moves forward, so a phase moved back by hand stays until staff move it.
 */
export function scheduledPhaseAt(now: Date, schedule: Schedule, options: { appealsEnabled: boolean }): Phase {
  let due: Phase = 'draft';
  for (const phase of phasesOf(options)) {
    if (phase === 'draft') continue;
    const start = schedule[phase];
    if (start && start.getTime() <= now.getTime()) due = phase;
  }
  return due;
}

export function phaseIndex(phase: Phase): number {
  return PHASES.indexOf(phase);
}

/** Each scheduled start must come after the previous one; returns a message per bad field. */
export function scheduleProblems(schedule: Schedule, options: { appealsEnabled: boolean }): Partial<Record<ScheduledPhase, Message>> {
  const problems: Partial<Record<ScheduledPhase, Message>> = {};
  let previous: { phase: Phase; at: Date } | null = null;
  for (const phase of phasesOf(options)) {
    if (phase === 'draft') continue;
    const at = schedule[phase];
    if (!at) {
      problems[phase] = message('challengeForm.validation.setStart', { phase: message(`common.phase.${phase}`) });
      continue;
    }
    if (previous && at.getTime() <= previous.at.getTime()) {
      problems[phase] = message('challengeForm.validation.startAfter', { phase: message(`common.phase.${phase}`), previous: message(`common.phase.${previous.phase}`) });
    }
    previous = { phase, at };
  }
  return problems;
}
