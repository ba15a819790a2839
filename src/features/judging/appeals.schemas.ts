import { z } from 'zod';

export const appealInput = z.object({
  text: z.string().trim().min(1, 'Say what you are appealing and why.').max(5_000, 'An appeal is at most 5,000 characters.'),
});

const optionalScore = z.preprocess((value) => (value === '' || value === undefined ? null : Number(value)), z.number().nullable());

/**
 * A judge's answer, and (for a judge who scored the idea) their scores as they stand after it:
 * the form shows the current scores, so unchanged fields mean an unchanged score.
 */
export function answerInput(criteriaCount: number) {
  return z
    .object({
      answer: z.string().trim().min(1, 'Write the answer the author will read.').max(5_000, 'An answer is at most 5,000 characters.'),
      ...Object.fromEntries(Array.from({ length: criteriaCount }, (_, index) => [`score_${index}`, optionalScore.refine((value) => value === null || Number.isFinite(value), 'Scores are numbers.')])),
    })
    .transform((input) => {
      const record = input as Record<string, unknown>;
      const scores = Array.from({ length: criteriaCount }, (_, index) => (record[`score_${index}`] as number | null | undefined) ?? null);
      return { answer: String(record.answer ?? ''), scores: scores.every((score) => score === null) ? null : scores };
    });
}
export type AnswerInput = z.infer<ReturnType<typeof answerInput>>;
