import { z } from 'zod';

export const appealInput = z.object({
  text: z.string().trim().min(1, 'judging.validation.appealText').max(5_000, 'judging.validation.appealLong'),
});

const optionalScore = z.preprocess((value) => (value === '' || value === undefined ? null : Number(value)), z.number().nullable());

/**
 * A judge's answer, and (for a judge who scored the idea) their scores as they stand after it:
 * the form shows the current scores, so unchanged fields mean an unchanged score.
 */
export function answerInput(criteriaCount: number) {
  return z
    .object({
      answer: z.string().trim().min(1, 'judging.validation.answerText').max(5_000, 'judging.validation.answerLong'),
      ...Object.fromEntries(
        Array.from({ length: criteriaCount }, (_, index) => [`score_${index}`, optionalScore.refine((value) => value === null || Number.isFinite(value), 'judging.validation.scoreNumber')]),
      ),
    })
    .transform((input) => {
      const record = input as Record<string, unknown>;
      const scores = Array.from({ length: criteriaCount }, (_, index) => (record[`score_${index}`] as number | null | undefined) ?? null);
      return { answer: String(record.answer ?? ''), scores: scores.every((score) => score === null) ? null : scores };
    });
}
export type AnswerInput = z.infer<ReturnType<typeof answerInput>>;
