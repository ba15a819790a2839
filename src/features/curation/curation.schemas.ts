import { z } from 'zod';
import { DECISION_KINDS, REJECT_REASONS } from './decisions.ts';
import { QUEUE_STATUSES } from './queue.ts';

const objectId = z.string().regex(/^[0-9a-f]{24}$/);

export const decisionInput = z.object({
  kind: z.enum(DECISION_KINDS, { message: 'curation.invalid.chooseDecision' }),
  reason: z.union([z.enum(REJECT_REASONS), z.literal('')], { message: 'curation.invalid.chooseReasonFromList' }).default(''),
  message: z.string().trim().max(2_000, 'curation.invalid.messageTooLong').default(''),
  responseId: z.string().max(64).default(''),
});

export const bulkInput = decisionInput.extend({
  ideaIds: z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z.array(objectId, { message: 'curation.invalid.selectFromList' }).max(200, 'curation.invalid.tooMany'),
  ),
});

/** The queue's filters from the query string; anything unknown falls back to the default view. */
export const queueQuery = z.object({
  status: z.enum(QUEUE_STATUSES).catch('submitted'),
  tag: z.string().trim().max(40).catch('').default(''),
  reported: z.enum(['', 'on']).catch('').default(''),
  attachments: z.enum(['', 'on']).catch('').default(''),
  similarTo: z
    .union([objectId, z.literal('')])
    .catch('')
    .default(''),
  sort: z.enum(['oldest', 'newest']).catch('oldest'),
  after: z
    .union([objectId, z.literal('')])
    .catch('')
    .default(''),
});

export const cannedInput = z.object({
  kind: z.enum(DECISION_KINDS, { message: 'curation.invalid.responseKind' }),
  title: z.string().trim().min(1, 'curation.invalid.responseName').max(80, 'curation.invalid.responseNameTooLong'),
  text: z.string().trim().min(1, 'curation.invalid.responseText').max(2_000, 'curation.invalid.responseTextTooLong'),
});
