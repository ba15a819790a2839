import { common } from '../../i18n/catalogue/common.ts';
import type { IdeaIntent } from '../ideas/idea-transitions.ts';

export const DECISION_KINDS = ['approve', 'request-changes', 'reject'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** verb: the button; past: "“X” is …"; did: "Ana … (the idea)". */
export const DECISION_LABELS: Record<DecisionKind, { verb: string; past: string; did: string }> = {
  approve: { verb: 'Approve', past: 'approved', did: 'approved it' },
  'request-changes': { verb: 'Request changes', past: 'sent back for changes', did: 'sent it back for changes' },
  reject: { verb: 'Reject', past: 'rejected', did: 'rejected it' },
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

/** What a decision needs besides its kind, or the field messages saying what is missing. */
export function decisionProblems(kind: DecisionKind, reason: string, message: string): Record<string, string> {
  const problems: Record<string, string> = {};
  if (kind === 'reject' && !reason) problems.reason = 'Choose why the idea is not accepted: the author sees it.';
  if (kind === 'reject' && reason === 'other' && !message) problems.message = 'Say why in the message: “another reason” alone tells the author nothing.';
  if (kind === 'request-changes' && !message) problems.message = 'Tell the author what to change.';
  return problems;
}
