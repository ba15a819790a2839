import type { Actor, Role } from '../../src/shared/actor.ts';
import { challengeInput } from '../../src/features/challenges/challenges.schemas.ts';
import type { Phase } from '../../src/features/challenges/phases.ts';
import type { TestApp } from './app.ts';
import { createUser } from './users.ts';

export function actorFor(user: { id: string; email: string; name: string }, roles: Role[] = []): Actor {
  return { id: user.id, email: user.email, name: user.name, roles: ['member', ...roles], emailVerified: true, timezone: 'UTC' };
}

const day = 24 * 60 * 60 * 1000;
const local = (date: Date) => date.toISOString().slice(0, 16);

/** The challenge form as staff would fill it, with a schedule starting tomorrow. */
export function challengeForm(overrides: Record<string, string> = {}): Record<string, string> {
  const start = Date.now() + day;
  return {
    title: 'Make onboarding delightful',
    summary: 'How should new customers get started?',
    brief: '## The problem\n\nNew customers **struggle** in their first week.',
    audience: 'public',
    invitedEmails: '',
    submissionVisibility: 'open',
    // The crowd sees ideas as soon as they are submitted, so tests of the crowd's features need no
    // screening step; the product's default is 'approved' (tests of screening ask for it).
    crowdSees: 'submitted',
    prizes: 'First prize: €5,000\nRunner-up: €1,000',
    terms: 'You grant us a licence to use your idea.',
    fields: 'Budget | number | optional\nPlatform | choice | required | Web, iOS, Android',
    criteria: 'Impact | 2 | 1-5 | How many customers benefit\nFeasibility | 1 | 1-5',
    targetBacklog: 'product',
    copilots: '',
    judges: '',
    timezone: 'UTC',
    start_open: local(new Date(start)),
    start_curation: local(new Date(start + 10 * day)),
    start_judging: local(new Date(start + 20 * day)),
    start_decided: local(new Date(start + 30 * day)),
    start_closed: local(new Date(start + 40 * day)),
    ...overrides,
  };
}

/** A challenge made through the service by a staff member, moved by hand up to `phase`. */
export async function createChallenge(app: TestApp, options: { phase?: Phase; form?: Record<string, string>; staff?: Actor } = {}) {
  const staff = options.staff ?? actorFor(await createUser({ roles: ['staff'], name: 'Stella Staff' }), ['staff']);
  const { challenges } = app.services;
  const order: Phase[] = ['open', 'curation', 'judging', 'decided', 'closed'];
  const form = { ...options.form };
  // Judging cannot start without judges: a challenge made to go past it gets one.
  if (order.indexOf(options.phase ?? 'draft') >= order.indexOf('judging') && !form.judges) form.judges = (await createUser({ roles: ['staff'], name: 'Jude Judge' })).email;
  const id = await challenges.createChallenge(staff, challengeInput.parse(challengeForm(form)));
  for (const phase of order.slice(0, order.indexOf(options.phase ?? 'draft') + 1)) {
    await challenges.movePhase(staff, id, phase, 'test setup');
  }
  return { id, staff };
}
