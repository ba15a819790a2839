import { z } from 'zod';
import { emailListField } from '../../shared/email-list.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import { message, type Text } from '../../i18n/i18n.ts';

const tagList = z
  .string()
  .default('')
  .transform((text, context) => {
    const tags = [
      ...new Set(
        text
          .split(',')
          .map((tag) => tag.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    if (tags.length > 10) {
      context.addIssue({ code: 'custom', message: 'ideaChecks.tooManyTags' });
      return z.NEVER;
    }
    const long = tags.find((tag) => tag.length > 30);
    if (long) {
      context.addIssue({ code: 'custom', message: 'ideaChecks.tagTooLong', params: { tag: long.slice(0, 30) } });
      return z.NEVER;
    }
    return tags;
  });

const emailList = emailListField(5, 'ideaChecks.tooManyCoAuthors');

/** The idea form. Title is needed even for a draft (it is how the author finds it again). */
export const ideaInput = z.object({
  intent: z.enum(['save', 'submit', 'autosave']).default('save'),
  idempotencyKey: z
    .string()
    .regex(/^[\w-]{16,64}$/, 'ideaChecks.formOutOfDate')
    .optional(),
  title: z.string({ message: 'ideaChecks.titleRequired' }).trim().min(1, 'ideaChecks.titleRequired').max(150, 'ideaChecks.titleTooLong'),
  summary: z.string().trim().max(500, 'ideaChecks.summaryTooLong').default(''),
  body: z.string().max(20_000, 'ideaChecks.bodyTooLong').default(''),
  tags: tagList,
  coAuthors: emailList,
  acceptTerms: z
    .string()
    .optional()
    .transform((value) => value === 'on'),
  removeAttachments: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? [] : [value].flat())),
});

export type IdeaInput = z.output<typeof ideaInput>;
export type FieldValues = Record<string, string | number>;

/**
 * Reads the challenge's own fields from the form (`field_<key>`). On submit, required fields
 * must be filled; on save, whatever is there is kept if it is well formed.
 */
export function parseFieldValues(challenge: ChallengeView, body: Record<string, unknown>, submitting: boolean) {
  const values: FieldValues = {};
  const errors: Record<string, Text> = {};
  for (const field of challenge.fields) {
    if (field.type === 'file') continue; // answered by attachments
    const name = `field_${field.key}`;
    const raw = typeof body[name] === 'string' ? (body[name] as string).trim() : '';
    if (!raw) {
      if (submitting && field.required) errors[name] = message('ideaChecks.answer', { label: field.label });
      continue;
    }
    switch (field.type) {
      case 'text':
        if (raw.length > 500) errors[name] = message('ideaChecks.fieldTooLong', { label: field.label, max: 500 });
        else values[field.key] = raw;
        break;
      case 'longtext':
        if (raw.length > 5_000) errors[name] = message('ideaChecks.fieldTooLong', { label: field.label, max: 5_000 });
        else values[field.key] = raw;
        break;
      case 'choice':
        if (!field.choices.includes(raw)) errors[name] = message('ideaChecks.chooseOption', { label: field.label });
        else values[field.key] = raw;
        break;
      case 'number': {
        const number = Number(raw.replace(/,/g, ''));
        if (!Number.isFinite(number)) errors[name] = message('ideaChecks.notANumber', { label: field.label });
        else values[field.key] = number;
        break;
      }
      case 'url':
        if (!/^https?:\/\/[^\s]+$/i.test(raw) || !URL.canParse(raw)) errors[name] = message('ideaChecks.notAWebAddress', { label: field.label });
        else values[field.key] = raw;
        break;
    }
  }
  return { values, errors };
}
