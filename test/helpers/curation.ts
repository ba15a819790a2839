import type { Actor } from '../../src/shared/actor.ts';
import type { DecisionKind } from '../../src/features/curation/decisions.ts';
import type { TestApp } from './app.ts';

/** A copilot's (or staff member's) screening decision, through the service, for tests that need screened ideas. */
export async function decideIdea(app: TestApp, actor: Actor, challengeId: string, ideaId: string, kind: DecisionKind = 'approve', message = '') {
  const reason = kind === 'reject' ? 'off-topic' : '';
  await app.services.screening.decide(actor, challengeId, ideaId, { kind, reason, message: message || (kind === 'request-changes' ? 'Please add detail.' : ''), responseId: '' });
}

export const approveIdea = (app: TestApp, actor: Actor, challengeId: string, ideaId: string) => decideIdea(app, actor, challengeId, ideaId, 'approve');
