import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { twoTestApps } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/**
 * A decision is made from the idea's card on the board of the process that serves it (no read of
 * the idea): a card that has not yet heard of a decision made on another process is refused by the
 * update's condition, and the copilot is told who decided, as when two decide at once.
 */
describe('screening decisions on two processes', () => {
  const apps = twoTestApps({ before, after });

  it('refuses a decision on a process that has not yet heard of the first one, naming who made it', async () => {
    const [anaUser, benUser] = [await createUser({ name: 'Ana Copilot' }), await createUser({ name: 'Ben Copilot' })];
    const { id } = await createChallenge(apps.first, { phase: 'open', form: { copilots: `${anaUser.email}\n${benUser.email}`, crowdSees: 'approved' } });
    const author = await signedInClient(apps.first.url, await createUser());
    const created = await author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: 'Shared bikes' }));
    const ideaId = (created.headers.get('location') ?? '').split('/')[2]!;
    const item = `/challenges/${id}/curation/ideas/${ideaId}`;
    const [ana, ben] = [await signedInClient(apps.first.url, anaUser), await signedInClient(apps.second.url, benUser)];
    // Both boards hold the idea as waiting; the second hears of the approval only from the change log, later.
    await apps.second.readModelSync.catchUp();
    assert.equal((await apps.second.readModels.board.card(ideaId))?.status, 'submitted');

    assert.equal((await ana.submit(item, `${item}/decision`, { kind: 'approve', message: '' })).status, 303);
    const refused = await ben.submit(item, `${item}/decision`, { kind: 'reject', reason: 'too-vague', message: '' });
    assert.equal(refused.status, 409);
    assert.match(refused.body_, /Ana Copilot already decided on this idea/);
    const stored = await Idea.findById(ideaId).lean();
    assert.equal(stored?.status, 'approved');
    assert.equal(stored?.statusHistory.filter((change) => ['approved', 'rejected'].includes(String(change.status))).length, 1);
  });
});
