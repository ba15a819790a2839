import { z } from 'zod';
import { DECISION_KINDS, REJECT_REASONS } from './decisions.ts';
import { QUEUE_STATUSES } from './queue.ts';

const objectId = z.string().regex(/^[0-9a-f]{24}$/);

export const decisionInput = z.object({
  kind: z.enum(DECISION_KINDS, { message: 'Choose a decision.' }),
  reason: z.union([z.enum(REJECT_REASONS), z.literal('')], { message: 'Choose a reason from the list.' }).default(''),
  message: z.string().trim().max(2_000, 'Messages are at most 2,000 characters.').default(''),
  responseId: z.string().max(64).default(''),
});

export const bulkInput = decisionInput.extend({
  ideaIds: z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z.array(objectId, { message: 'Select ideas from the list.' }).max(200, 'Decide on at most 200 ideas at once.'),
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
  kind: z.enum(DECISION_KINDS, { message: 'Choose which decision this response is for.' }),
  title: z.string().trim().min(1, 'Give the response a short name.').max(80, 'Names are at most 80 characters.'),
  text: z.string().trim().min(1, 'Write the response.').max(2_000, 'Responses are at most 2,000 characters.'),
});
