import { message, type Message } from '../../i18n/i18n.ts';
import type { IdeaIntent } from '../ideas/idea-transitions.ts';

export const DECISION_KINDS = ['approve', 'request-changes', 'reject'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** Each decision's shortcut on the screening page; its words are `curation.decision.<kind>` in the catalogue. */
export const DECISION_KEYS: Record<DecisionKind, string> = { approve: 'a', 'request-changes': 'c', reject: 'r' };

/** The move on the idea's path that each decision makes (idea-transitions.ts). */
export const DECISION_INTENT = { approve: 'approve', 'request-changes': 'requestChanges', reject: 'reject' } as const satisfies Record<DecisionKind, IdeaIntent>;

/** Why an idea is not accepted: the author reads the label, with the copilot's message. */
export const REJECT_REASONS = ['off-topic', 'duplicate', 'not-feasible', 'too-vague', 'exists-already', 'against-terms', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Placeholders a canned response or a message may use, filled per idea. */
export type PlaceholderValues = { author: string; challenge: string; title: string };

export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(/\{(author|challenge|title)\}/g, (_, key: keyof PlaceholderValues) => values[key]);
}

/**
 * What a decision needs besides its kind, or the field messages saying what is missing. A canned
 * response written for another outcome is refused: the author would read an approval's text with
 * a rejection.
 */
export function decisionProblems(kind: DecisionKind, reason: string, text: string, response?: { kind: DecisionKind }): Record<string, Message> {
  const problems: Record<string, Message> = {};
  const verb = (of: DecisionKind) => message(`curation.decision.${of}.verb`);
  if (response && response.kind !== kind) problems.responseId = message('curation.invalid.otherKind', { responseKind: verb(response.kind), kind: verb(kind) });
  if (kind === 'reject' && !reason) problems.reason = message('curation.invalid.rejectReason');
  if (kind === 'reject' && reason === 'other' && !text) problems.message = message('curation.invalid.otherReason');
  if (kind === 'request-changes' && !text) problems.message = message('curation.invalid.whatToChange');
  return problems;
}
