import { z } from 'zod';

/** The addresses in a typed list (one a line, or separated by commas or semicolons), lower-cased, each once. */
export function splitEmails(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

const address = z.email();

/**
 * A form field holding a list of addresses: each must be one, and there may be at most `max`
 * (`tooMany`, a catalogue key with `{{max}}`, says so).
 */
export function emailListField(max: number, tooMany = 'common.emails.tooMany') {
  return z
    .string()
    .default('')
    .transform((text, context) => {
      const emails = splitEmails(text);
      const bad = emails.find((email) => !address.safeParse(email).success);
      if (bad) {
        context.addIssue({ code: 'custom', message: 'common.emails.notAnAddress', params: { address: bad } });
        return z.NEVER;
      }
      if (emails.length > max) {
        context.addIssue({ code: 'custom', message: tooMany, params: { max } });
        return z.NEVER;
      }
      return emails;
    });
}
