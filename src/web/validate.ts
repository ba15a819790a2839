import type { z } from 'zod';
import { isCatalogueKey, message, type Message, type Text } from '../i18n/i18n.ts';
import { Invalid } from '../shared/errors.ts';

/** A custom issue's values for its message ("Line {{n}}: {{problem}}"), as a schema gave them. */
const paramsOf = (issue: z.core.$ZodIssue): Message['params'] => (issue.code === 'custom' ? (issue.params as Message['params']) : undefined);

/**
 * Parses input at the boundary; the first message per field becomes a field error. A schema's
 * message is a catalogue key (shown in the reader's language) or, until moved there, a sentence.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields: Record<string, Text> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    fields[field] ??=
      issue.code === 'invalid_type' && issue.input === undefined ? message('errors.form.required') : isCatalogueKey(issue.message) ? message(issue.message, paramsOf(issue)) : issue.message;
  }
  throw new Invalid(fields);
}
