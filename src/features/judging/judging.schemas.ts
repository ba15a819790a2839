import { z } from 'zod';
import { ASSIGNMENT_MODES, BUDGET_UNITS } from './judging.model.ts';

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'judging.validation.chooseFromList');

export const setupInput = z.object({
  mode: z.enum(ASSIGNMENT_MODES, { message: 'judging.validation.mode' }),
  perIdea: z.coerce
    .number({ message: 'judging.validation.perIdeaWhole' })
    .int('judging.validation.perIdeaWhole')
    .min(1, 'judging.validation.perIdeaMin')
    .max(30, 'judging.validation.perIdeaMax')
    .default(3),
  blind: z
    .string()
    .optional()
    .transform((value) => value === 'on'),
  crowdWeight: z.coerce
    .number({ message: 'judging.validation.crowdNumber' })
    .min(0, 'judging.validation.crowdNegative')
    .max(30, 'judging.validation.crowdMax')
    .default(0)
    .transform((percent) => percent / 100),
  budget: z.preprocess(
    (value) => (value === '' || value === undefined ? null : value),
    z.coerce.number({ message: 'judging.validation.budgetWhole' }).int('judging.validation.budgetWhole').min(1, 'judging.validation.budgetMin').max(100_000, 'judging.validation.budgetMax').nullable(),
  ),
  budgetPer: z.enum(BUDGET_UNITS, { message: 'judging.validation.budgetPer' }).default('total'),
});

export const reassignInput = z.object({ ideaId: objectId, fromJudgeId: objectId, toJudgeId: objectId });
export const nudgeInput = z.object({ judgeId: objectId });
export const conflictInput = z.object({ note: z.string().trim().max(500, 'judging.validation.noteLong').default('') });

const optionalScore = z.preprocess((value) => (value === '' || value === undefined ? null : Number(value)), z.number().nullable());

/** The scorecard form: score_<i> and comment_<i> per criterion, an overall comment, a private note. */
export function scorecardInput(criteriaCount: number) {
  return z
    .object({
      comment: z.string().trim().max(5_000, 'judging.validation.commentLong').default(''),
      privateNote: z.string().trim().max(2_000, 'judging.validation.privateNoteLong').default(''),
      intent: z.enum(['save', 'submit']).default('save'),
      ...Object.fromEntries(
        Array.from({ length: criteriaCount }, (_, index) => [
          [`score_${index}`, optionalScore.refine((value) => value === null || Number.isFinite(value), 'judging.validation.scoreNumber')],
          [`comment_${index}`, z.string().trim().max(2_000, 'judging.validation.criterionCommentLong').default('')],
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
