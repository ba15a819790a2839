import { z } from 'zod';
import { ASSIGNMENT_MODES, BUDGET_UNITS } from './judging.model.ts';

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'Choose from the list.');

export const setupInput = z.object({
  mode: z.enum(ASSIGNMENT_MODES, { message: 'Choose how ideas are assigned.' }),
  perIdea: z.coerce
    .number({ message: 'Judges per idea must be a whole number.' })
    .int('Judges per idea must be a whole number.')
    .min(1, 'At least one judge per idea.')
    .max(30, 'At most 30 judges per idea.')
    .default(3),
  blind: z
    .string()
    .optional()
    .transform((value) => value === 'on'),
  crowdWeight: z.coerce
    .number({ message: 'The crowd’s share must be a number from 0 to 30.' })
    .min(0, 'The crowd’s share cannot be negative.')
    .max(30, 'The crowd counts for at most 30 %.')
    .default(0)
    .transform((percent) => percent / 100),
  budget: z.preprocess(
    (value) => (value === '' || value === undefined ? null : value),
    z.coerce
      .number({ message: 'The budget must be a whole number of scorecards.' })
      .int('The budget must be a whole number of scorecards.')
      .min(1, 'Allow at least one scorecard.')
      .max(100_000, 'At most 100,000 scorecards.')
      .nullable(),
  ),
  budgetPer: z.enum(BUDGET_UNITS, { message: 'Choose whether the budget is in all or per judge.' }).default('total'),
});

export const reassignInput = z.object({ ideaId: objectId, fromJudgeId: objectId, toJudgeId: objectId });
export const nudgeInput = z.object({ judgeId: objectId });
export const conflictInput = z.object({ note: z.string().trim().max(500, 'Notes are at most 500 characters.').default('') });

const optionalScore = z.preprocess((value) => (value === '' || value === undefined ? null : Number(value)), z.number().nullable());

/** The scorecard form: score_<i> and comment_<i> per criterion, an overall comment, a private note. */
export function scorecardInput(criteriaCount: number) {
  return z
    .object({
      comment: z.string().trim().max(5_000, 'The comment for the author is at most 5,000 characters.').default(''),
      privateNote: z.string().trim().max(2_000, 'The note for the other judges is at most 2,000 characters.').default(''),
      intent: z.enum(['save', 'submit']).default('save'),
      ...Object.fromEntries(
        Array.from({ length: criteriaCount }, (_, index) => [
          [`score_${index}`, optionalScore.refine((value) => value === null || Number.isFinite(value), 'Scores are numbers.')],
          [`comment_${index}`, z.string().trim().max(2_000, 'Criterion comments are at most 2,000 characters.').default('')],
        ]).flat(),
      ),
    })
    .transform((input) => {
      const record = input as Record<string, unknown>;
      return {
        comment: String(record.comment ?? ''),
        privateNote: String(record.privateNote ?? ''),
        submit: input.intent === 'submit',
        criteria: Array.from({ length: criteriaCount }, (_, index) => ({ score: (record[`score_${index}`] as number | null) ?? null, comment: String(record[`comment_${index}`] ?? '') })),
      };
    });
}
