import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser } from '../helpers/users.ts';

// The idea board keeps each list's count until the list changes (issue #17: no count of 10,000
// cards per request): a hidden idea must leave the crowd's count at once, and stay in the team's.
describe('the idea counts of a challenge page', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('follow hiding and showing an idea again, for the crowd and for the team', async () => {
    const { id, staff } = await createChallenge(app, { phase: 'open' });
    const member = actorFor(await createUser({ name: 'Mia Member' }));
    const { ideas, moderation } = app.services;
    const made: string[] = [];
    for (const title of ['One', 'Two', 'Three']) {
      const form = ideaForm({ title });
      made.push((await ideas.createIdea(member, id, ideaInput.parse(form), form)).ideaId);
    }
    const challenge = (await app.services.challenges.visibleChallenge(staff, id))!;
    const counts = async () => ({ crowd: await ideas.ideaCount(null, challenge), team: await ideas.ideaCount(staff, challenge) });
    assert.deepEqual(await counts(), { crowd: 3, team: 3 });

    await moderation.hide(staff, { targetType: 'idea', ideaId: made[0]! }, 'Off topic');
    assert.deepEqual(await counts(), { crowd: 2, team: 3 }, 'hidden: gone from the crowd count, still the team’s');
    const page = await ideas.challengeIdeas(null, challenge, {});
    assert.ok(!page.cards.some((card) => card.id === made[0]), 'and from the crowd’s list');

    await moderation.unhide(staff, { targetType: 'idea', ideaId: made[0]! });
    assert.deepEqual(await counts(), { crowd: 3, team: 3 });
  });
});
