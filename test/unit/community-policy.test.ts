import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChallengeAccess } from '../../src/features/challenges/challenges.policy.ts';
import { commentRefusal, voteRefusal } from '../../src/features/community/community.policy.ts';
import type { IdeaAccess } from '../../src/features/ideas/ideas.policy.ts';
import type { Actor } from '../../src/shared/actor.ts';

const member: Actor = { id: 'member', name: 'Member', email: 'member@x.test', roles: ['member'], emailVerified: true, timezone: 'UTC' };
const challenge: ChallengeAccess = {
  phase: 'open',
  audience: 'public',
  invitedEmails: [],
  copilotIds: ['copilot'],
  judgeIds: [],
  submissionVisibility: 'open',
  crowdSees: 'submitted',
};
const idea = (hidden: IdeaAccess['hidden']): IdeaAccess => ({ status: 'approved', authorId: 'author', coAuthors: [], hidden });

describe('community policy', () => {
  it('says why a hidden idea takes no vote or comment, as it was hidden: for review, by the copilots, or removed', () => {
    assert.equal(voteRefusal(member, idea(null), challenge), null);
    const said = (hidden: IdeaAccess['hidden']) => [voteRefusal(member, idea(hidden), challenge)?.key, commentRefusal(member, idea(hidden), challenge)?.key];
    assert.deepEqual(said('reports'), ['idea.refusal.hidden', 'idea.refusal.hidden']);
    assert.deepEqual(said('copilot'), ['idea.refusal.hiddenByCopilots', 'idea.refusal.hiddenByCopilots']);
    assert.deepEqual(said('removed'), ['idea.refusal.removed', 'idea.refusal.removed']);
  });
});
