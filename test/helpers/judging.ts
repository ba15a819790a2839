import assert from 'node:assert/strict';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import type { Actor } from '../../src/shared/actor.ts';
import type { TestApp } from './app.ts';
import { actorFor, createChallenge } from './challenges.ts';
import { approveIdea } from './curation.ts';
import { eventually } from './eventually.ts';
import { ideaForm } from './ideas.ts';
import { createUser } from './users.ts';

export type JudgedChallenge = {
  id: string;
  staff: Actor;
  judges: Array<Awaited<ReturnType<typeof createUser>>>;
  authors: Array<Awaited<ReturnType<typeof createUser>>>;
  ideaIds: string[];
};

/**
 * A challenge in judging, built through the services: `ideas` approved ideas (one author each),
 * all shortlisted during curation, `judges` staff judges, assigned by the setup (k per idea by default).
 * `idea` overrides the ideas' form fields and `note` the copilots' note beside each on the shortlist.
 */
export async function challengeInJudging(
  app: TestApp,
  options: {
    ideas?: number;
    judges?: number;
    form?: Record<string, string>;
    idea?: Record<string, string>;
    note?: string;
    perIdea?: number;
    blind?: boolean;
    mode?: 'k' | 'adaptive';
    budget?: number;
    budgetPer?: 'total' | 'judge';
    /** Stop with the shortlist ready in curation, before the move to judging. */
    untilCuration?: boolean;
  } = {},
): Promise<JudgedChallenge> {
  const judges = await Promise.all(Array.from({ length: options.judges ?? 3 }, (_, n) => createUser({ roles: ['staff'], name: `Judge ${String.fromCharCode(65 + n)}` })));
  const { id, staff } = await createChallenge(app, { phase: 'open', form: { judges: judges.map((judge) => judge.email).join('\n'), ...options.form } });
  const { ideas, challenges, shortlist, judging } = app.services;
  const authors = await Promise.all(Array.from({ length: options.ideas ?? 3 }, (_, n) => createUser({ name: `Author ${n + 1}` })));
  const ideaIds: string[] = [];
  for (const [n, author] of authors.entries()) {
    const body = ideaForm({ title: `Shortlisted idea ${n + 1}`, ...options.idea });
    const { ideaId } = await ideas.createIdea(actorFor(author), id, ideaInput.parse(body), body);
    await approveIdea(app, staff, id, ideaId);
    ideaIds.push(ideaId);
  }
  await challenges.movePhase(staff, id, 'curation', 'test setup');
  for (const ideaId of ideaIds) await shortlist.add(staff, id, ideaId, options.note ?? `Note on ${ideaId}`);
  if (options.perIdea !== undefined || options.blind !== undefined || options.mode !== undefined) {
    await judging.configure(staff, id, {
      mode: options.mode ?? 'k',
      perIdea: options.perIdea ?? 3,
      blind: options.blind ?? false,
      crowdWeight: 0,
      budget: options.budget ?? null,
      budgetPer: options.budgetPer ?? 'total',
    });
  }
  if (options.untilCuration) return { id, staff, judges, authors, ideaIds };
  await challenges.movePhase(staff, id, 'judging', 'test setup');
  // Judging starts by assigning the frozen shortlist (a subscriber of the phase change).
  await eventually(async () => (await judging.read(id)).assignments.length === ideaIds.length, 'the shortlist assigned to the judges');
  assert.equal((await judging.read(id)).assignments.length, ideaIds.length);
  return { id, staff, judges, authors, ideaIds };
}

/** The judges assigned to an idea. */
export async function judgesOf(app: TestApp, challengeId: string, ideaId: string): Promise<string[]> {
  return (await app.services.judging.read(challengeId)).assignments.find((entry) => entry.ideaId === ideaId)?.judgeIds ?? [];
}
