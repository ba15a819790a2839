import { z } from 'zod';

const objectIdOrNone = z.union([z.literal(''), z.string().regex(/^[0-9a-f]{24}$/, 'judging.validation.chooseIdea')]);

/** The winners form: idea_<i> and reason_<i> per prize tier, a reason for changing announced winners. */
export function winnersInput(tierCount: number) {
  return z
    .object({
      // preview shows what would be announced; edit goes back to the form with the choices kept.
      intent: z.enum(['save', 'preview', 'edit', 'announce']).default('save'),
      reason: z.string().trim().max(1_000, 'judging.validation.reasonLong').default(''),
      ...Object.fromEntries(
        Array.from({ length: tierCount }, (_, index) => [
          [`idea_${index}`, objectIdOrNone.default('')],
          [`reason_${index}`, z.string().trim().max(1_000, 'judging.validation.reasonLong').default('')],
        ]).flat(),
      ),
    })
    .transform((input) => {
      const record = input as Record<string, unknown>;
      return {
        intent: record.intent as 'save' | 'preview' | 'edit' | 'announce',
        announce: record.intent === 'announce',
        reason: String(record.reason ?? ''),
        choices: Array.from({ length: tierCount }, (_, index) => ({ ideaId: String(record[`idea_${index}`] ?? '') || null, reason: String(record[`reason_${index}`] ?? '') })),
      };
    });
}
export type WinnersInput = z.infer<ReturnType<typeof winnersInput>>;
