import type { z } from 'zod';
import { isCatalogueKey, message, type Text } from '../i18n/i18n.ts';
import { Invalid } from '../shared/errors.ts';

/**
 * Parses input at the boundary; the first message per field becomes a field error. A schema's
 * message is a catalogue key (shown in the reader's language) or, until moved there, a sentence.
 */
/** A custom issue's `params` are the values of its catalogue message ("its contrast is {{contrast}}:1"). */
const issueValues = (issue: z.core.$ZodIssue) => ('params' in issue && issue.params ? (issue.params as Record<string, string | number>) : undefined);

export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields: Record<string, Text> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    fields[field] ??=
      issue.code === 'invalid_type' && issue.input === undefined ? message('errors.form.required') : isCatalogueKey(issue.message) ? message(issue.message, issueValues(issue)) : issue.message;
  }
  throw new Invalid(fields);
}
