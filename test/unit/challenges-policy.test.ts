import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Actor, Role } from '../../src/shared/actor.ts';
import { canMovePhase, canSeeChallenge, canSeeOthersIdeas, submitRefusal, type ChallengeAccess } from '../../src/features/challenges/challenges.policy.ts';
import type { Audience } from '../../src/features/challenges/challenge.model.ts';
import { translate } from '../../src/i18n/i18n.ts';

const person = (id: string, roles: Role[] = [], emailVerified = true): Actor => ({ id, name: id, email: `${id}@x.test`, roles: ['member', ...roles], emailVerified, timezone: 'UTC' });
const challenge = (overrides: Partial<ChallengeAccess> = {}): ChallengeAccess => ({
  phase: 'open',
  audience: 'public',
  invitedEmails: ['guest@x.test'],
  copilotIds: ['copilot'],
  judgeIds: ['judge'],
  submissionVisibility: 'open',
  crowdSees: 'approved',
  ...overrides,
});

const visitor = null;
const member = person('member');
const specialist = person('specialist', ['specialist']);
const guest = person('guest');
const staff = person('staff', ['staff']);
const copilot = person('copilot');
const judge = person('judge');

describe('challenges policy', () => {
  it('decides who sees a challenge for every audience', () => {
    const expected: Record<Audience, Record<string, boolean>> = {
      public: { visitor: true, member: true, specialist: true, guest: true, staff: true, copilot: true, judge: true },
      members: { visitor: false, member: true, specialist: true, guest: true, staff: true, copilot: true, judge: true },
      specialists: { visitor: false, member: false, specialist: true, guest: false, staff: true, copilot: true, judge: true },
      'invite-only': { visitor: false, member: false, specialist: false, guest: true, staff: true, copilot: true, judge: true },
    };
    const people = { visitor, member, specialist, guest, staff, copilot, judge };
    for (const [audience, byPerson] of Object.entries(expected)) {
      for (const [name, sees] of Object.entries(byPerson)) {
        assert.equal(canSeeChallenge(people[name as keyof typeof people], challenge({ audience: audience as Audience })), sees, `${name} on ${audience}`);
      }
    }
  });

  it('shows a draft to its team only', () => {
    assert.equal(canSeeChallenge(member, challenge({ phase: 'draft' })), false);
    assert.equal(canSeeChallenge(copilot, challenge({ phase: 'draft' })), true);
    assert.equal(canSeeChallenge(staff, challenge({ phase: 'draft' })), true);
  });

  it('lets an invited person in only with a confirmed address', () => {
    assert.equal(canSeeChallenge(person('guest', [], false), challenge({ audience: 'invite-only' })), false);
  });

  it('takes submissions only while open, from people who may take part', () => {
    assert.equal(submitRefusal(member, challenge()), null);
    // The refusal is a catalogue message, shown in the person's language: read here in English.
    const refusal = (actor: Actor | null, access: ChallengeAccess) => translate('en', submitRefusal(actor, access) ?? '');
    assert.match(refusal(visitor, challenge()), /Sign in/);
    assert.match(refusal(member, challenge({ phase: 'curation' })), /not accepting ideas/);
    assert.match(refusal(person('new', [], false), challenge()), /Confirm your email/);
    assert.match(refusal(member, challenge({ audience: 'specialists' })), /cannot take part/);
    assert.equal(submitRefusal(specialist, challenge({ audience: 'specialists' })), null);
  });

  it('hides sealed submissions from the crowd but not from the team', () => {
    const sealed = challenge({ submissionVisibility: 'sealed' });
    assert.equal(canSeeOthersIdeas(member, sealed), false);
    assert.equal(canSeeOthersIdeas(judge, sealed), true);
    assert.equal(canSeeOthersIdeas(copilot, sealed), true);
    assert.equal(canSeeOthersIdeas(member, challenge()), true);
  });

  it("lets staff and the challenge's copilots move phases", () => {
    assert.equal(canMovePhase(staff, challenge()), true);
    assert.equal(canMovePhase(copilot, challenge()), true);
    assert.equal(canMovePhase(judge, challenge()), false);
    assert.equal(canMovePhase(member, challenge()), false);
  });
});
