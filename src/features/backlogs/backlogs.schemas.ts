import { z } from 'zod';
import { splitEmails } from '../../shared/email-list.ts';
import { ITEM_STATUSES } from './workflow.ts';

const emailList = z
  .string()
  .default('')
  .transform((text) => splitEmails(text));

export const addBacklogInput = z.object({
  id: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]{2,40}$/, 'Use 2–40 lowercase letters, digits or hyphens, like “customer-success”.'),
  name: z.string().trim().min(1, 'Name the backlog.').max(60, 'Names are at most 60 characters.'),
});

export const ownersInput = z.object({ owners: emailList });

export const promoteInput = z.object({
  backlogId: z.string().regex(/^[a-z0-9-]{1,40}$/, 'Choose a backlog.'),
  intoItemId: z.union([z.string().regex(/^[0-9a-f]{24}$/), z.literal('')]).default(''),
});

export const moveInput = z.object({
  to: z.enum(ITEM_STATUSES, { message: 'Choose a status.' }),
  note: z.string().trim().max(2_000, 'Notes are at most 2,000 characters.').default(''),
});

/** Board filters from the query string; an unknown value falls back to "all". */
export const boardQuery = z.object({
  challengeId: z
    .union([z.string().regex(/^[0-9a-f]{24}$/), z.literal('')])
    .catch('')
    .default(''),
  tag: z.string().trim().max(40).catch('').default(''),
  segment: z.string().trim().max(60).catch('').default(''),
});

/** A backlog owner's review of one entry: the text is the note, the question, or the reason. */
export const reviewInput = z.object({
  action: z.enum(['accept', 'ask', 'decline'], { message: 'Choose what to do with the entry.' }),
  text: z.string().trim().max(2_000, 'At most 2,000 characters.').default(''),
});
