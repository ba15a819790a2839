import type { z } from 'zod';
import { Invalid, type FieldErrors } from '../shared/errors.ts';

/** Parses input at the boundary; the first message per field becomes a field error. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    fields[field] ??= issue.code === 'invalid_type' && issue.input === undefined ? 'This field is required.' : issue.message;
  }
  throw new Invalid(fields);
}
