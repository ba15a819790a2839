import { randomUUID } from 'node:crypto';

/** The idea form as a member would fill it. */
export function ideaForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    idempotencyKey: randomUUID(),
    title: 'A guided first week',
    summary: 'Daily nudges that show one feature at a time.',
    body: 'New customers get **one tip a day**.',
    tags: 'onboarding, email',
    field_platform: 'Web',
    field_budget: '12,000',
    acceptTerms: 'on',
    intent: 'submit',
    ...overrides,
  };
}
