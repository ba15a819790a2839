import { common } from '../../i18n/catalogue/common.ts';
import type { IdeaIntent } from '../ideas/idea-transitions.ts';

export const DECISION_KINDS = ['approve', 'request-changes', 'reject'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/**
 * verb: the choice; past: "“X” is …"; did: "Ana … (the idea)"; on the screening page, key: its
 * shortcut, hint: what it does, submit: the button once it is chosen.
 */
export const DECISION_LABELS: Record<DecisionKind, { verb: string; past: string; did: string; key: string; hint: string; submit: string }> = {
  approve: { verb: 'Approve', past: 'approved', did: 'approved it', key: 'a', hint: 'The crowd sees the idea; a message is optional.', submit: 'Approve' },
  'request-changes': {
    verb: 'Request changes',
    past: 'sent back for changes',
    did: 'sent it back for changes',
    key: 'c',
    hint: 'The author edits it and submits it again; say what to change.',
    submit: 'Send back to the author',
  },
  reject: { verb: 'Reject', past: 'rejected', did: 'rejected it', key: 'r', hint: 'The idea is not accepted; the author sees the reason.', submit: 'Reject' },
};

/** The move on the idea's path that each decision makes (idea-transitions.ts). */
export const DECISION_INTENT = { approve: 'approve', 'request-changes': 'requestChanges', reject: 'reject' } as const satisfies Record<DecisionKind, IdeaIntent>;

/** Why an idea is not accepted: the author reads the label, with the copilot's message. */
export const REJECT_REASONS = ['off-topic', 'duplicate', 'not-feasible', 'too-vague', 'exists-already', 'against-terms', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
// English names from the catalogue (`common.rejectReason`), where their German stands beside them.
export const REJECT_REASON_LABELS: Record<RejectReason, string> = common.en.rejectReason;

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
export function decisionProblems(kind: DecisionKind, reason: string, message: string, response?: { kind: DecisionKind }): Record<string, string> {
  const problems: Record<string, string> = {};
  if (response && response.kind !== kind) problems.responseId = `That canned response is for “${DECISION_LABELS[response.kind].verb}”: choose one for “${DECISION_LABELS[kind].verb}”, or none.`;
  if (kind === 'reject' && !reason) problems.reason = 'Choose why the idea is not accepted: the author sees it.';
  if (kind === 'reject' && reason === 'other' && !message) problems.message = 'Say why in the message: “another reason” alone tells the author nothing.';
  if (kind === 'request-changes' && !message) problems.message = 'Tell the author what to change.';
  return problems;
}
