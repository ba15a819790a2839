import { ideas } from '../../i18n/catalogue/ideas.ts';
import { message, type Message, type Text } from '../../i18n/i18n.ts';
import { noteOf } from './history-notes.ts';
import type { IdeaStatus } from './idea.model.ts';
import { phaseIndex, type Phase } from '../challenges/phases.ts';

// English names from the catalogue (`ideas.status`), where their German stands beside them.
export const STATUS_LABELS: Record<IdeaStatus, string> = ideas.en.status;

/** Steps that wait on a phase of the challenge; once that phase has passed, the wait is over. */
const PAST_SCREENING: ReadonlySet<IdeaStatus> = new Set(['submitted', 'approved', 'changes-requested']);
const PAST_JUDGING: ReadonlySet<IdeaStatus> = new Set(['shortlisted', 'scored']);

/**
 * What happens next, true to where the challenge is: an idea still waiting on a phase that has
 * passed is told it ended there, never promised a step that will not come.
 */
export function nextStepOf(status: IdeaStatus, phase: Phase): Message {
  const after = (from: Phase) => phaseIndex(phase) >= phaseIndex(from);
  if (PAST_SCREENING.has(status) && after('judging')) return message('ideas.nextStep.missedShortlist');
  if (PAST_JUDGING.has(status) && after('decided')) return message('ideas.nextStep.missedWinners');
  // What happens next, in the author's words: the loop back to the contributor starts here.
  return message(`ideas.nextStep.${status}`);
}

/** The outcomes whose reason only their move gives: the copilots' decision and a backlog item's note show beside the others. */
const EXPLAINED_BY_ITS_MOVE: ReadonlySet<string> = new Set<IdeaStatus>(['not-shortlisted', 'not-awarded', 'winner', 'merged']);

/** Why an idea has its outcome, as the move that gave it says (staff's reason for taking it off the frozen shortlist, the prize it won), or null. */
export function outcomeNoteOf(idea: { status: string; statusHistory: Array<{ status?: string | null; note?: string | null; noteKey?: string | null; noteParams?: unknown }> }): Text | null {
  const last = idea.statusHistory.at(-1);
  if (!last || last.status !== idea.status || !EXPLAINED_BY_ITS_MOVE.has(idea.status)) return null;
  const note = noteOf(last);
  return note === '' ? null : note;
}

/** How the Outcomes page groups a challenge's ideas: every submitted idea falls in exactly one group. */
const OUTCOME_GROUPS: ReadonlyArray<{ group: string; statuses: readonly IdeaStatus[] }> = [
  { group: 'shipped', statuses: ['shipped'] },
  { group: 'promoted', statuses: ['promoted'] },
  { group: 'winners', statuses: ['winner'] },
  { group: 'declined', statuses: ['declined'] },
  { group: 'notAwarded', statuses: ['not-awarded'] },
  { group: 'notShortlisted', statuses: ['not-shortlisted'] },
  { group: 'rejected', statuses: ['rejected'] },
  { group: 'merged', statuses: ['merged'] },
  { group: 'onTheirWay', statuses: ['submitted', 'approved', 'changes-requested', 'shortlisted', 'scored'] },
];

/**
 * The submitted ideas counted by outcome, groups with none left out. Once a phase they waited on
 * has passed, ideas still waiting are counted by what that means, never as "on their way".
 */
export function outcomeCounts(statuses: readonly IdeaStatus[], phase: Phase): Array<{ label: Message; count: number }> {
  const after = (from: Phase) => phaseIndex(phase) >= phaseIndex(from);
  const settled = statuses.map((status): IdeaStatus => (PAST_SCREENING.has(status) && after('judging') ? 'not-shortlisted' : PAST_JUDGING.has(status) && after('decided') ? 'not-awarded' : status));
  return OUTCOME_GROUPS.map((group) => ({ label: message(`backlogs.outcomes.group.${group.group}`), count: settled.filter((status) => group.statuses.includes(status)).length })).filter(
    (group) => group.count > 0,
  );
}
