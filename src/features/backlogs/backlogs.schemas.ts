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
    .regex(/^[a-z0-9-]{2,40}$/, 'backlogs.invalid.id'),
  name: z.string().trim().min(1, 'backlogs.invalid.name').max(60, 'backlogs.invalid.nameLength'),
});

export const ownersInput = z.object({ owners: emailList });

export const promoteInput = z.object({
  backlogId: z.string().regex(/^[a-z0-9-]{1,40}$/, 'backlogs.invalid.backlog'),
  intoItemId: z.union([z.string().regex(/^[0-9a-f]{24}$/), z.literal('')]).default(''),
});

export const moveInput = z.object({
  to: z.enum(ITEM_STATUSES, { message: 'backlogs.invalid.status' }),
  note: z.string().trim().max(2_000, 'backlogs.invalid.noteLength').default(''),
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
  action: z.enum(['accept', 'ask', 'decline'], { message: 'backlogs.invalid.action' }),
  text: z.string().trim().max(2_000, 'backlogs.invalid.textLength').default(''),
});
