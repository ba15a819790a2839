import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { challengeInput } from '../../src/features/challenges/challenges.schemas.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { challengeForm, createChallenge } from '../helpers/challenges.ts';
import { createUser } from '../helpers/users.ts';

// The nav's Screening and Judging links come from an index kept beside the challenge catalog
// (issue #17: no scan of every challenge per request); it must follow every change of a team.
describe('the nav links of copilots and judges', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('follow the teams of challenges as they are made and edited', async () => {
    const copilot = await createUser({ name: 'Cora Copilot' });
    const judge = await createUser({ roles: ['staff'], name: 'Jon Judge' });
    const { catalog } = app.readModels;
    assert.deepEqual(await catalog.teamRolesOf(copilot.id), { curates: false, judges: false });

    const form = { copilots: copilot.email, judges: judge.email };
    const { id, staff } = await createChallenge(app, { form });
    assert.deepEqual(await catalog.teamRolesOf(copilot.id), { curates: true, judges: false });
    assert.deepEqual(await catalog.teamRolesOf(judge.id), { curates: false, judges: true });

    await app.services.challenges.updateChallenge(staff, id, challengeInput.parse(challengeForm({ copilots: '', judges: judge.email })));
    assert.deepEqual(await catalog.teamRolesOf(copilot.id), { curates: false, judges: false }, 'removed from the team: no link');
    assert.deepEqual(await catalog.teamRolesOf(judge.id), { curates: false, judges: true });
  });
});
