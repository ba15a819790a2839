import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createRedisBus, type ClusterBus } from '../../src/cluster/bus.ts';
import { Challenge } from '../../src/features/challenges/challenge.model.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import { TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Two app processes (two apps with their own read models) on one database, joined by Redis. */
describe('read models stay current across app processes through Redis', () => {
  let first: TestApp;
  let second: TestApp;
  const buses: ClusterBus[] = [];
  before(async () => {
    const namespace = `test-${randomUUID()}`;
    const logger = createLogger('silent');
    buses.push(createRedisBus({ redisUrl: REDIS_URL, logger, namespace }), createRedisBus({ redisUrl: REDIS_URL, logger, namespace }));
    first = await startTestApp({ clusterBus: buses[0] });
    second = await startTestApp({ clusterBus: buses[1] });
  });
  after(async () => {
    for (const bus of buses) await bus.close();
    await second.close();
    await first.close();
  });

  it('shows a challenge edited and an idea submitted on one process on the other', async () => {
    const { id, staff } = await createChallenge(first, { phase: 'open', form: { title: 'Before the edit' } });
    const visitorOnSecond = new TestClient(second.url);
    // The opening travels to the second process over Redis like any change: wait for it before changing more.
    await eventually(async () => /Before the edit/.test((await visitorOnSecond.get(`/challenges/${id}`)).body_), 'loaded before the change');

    await first.services.challenges.movePhase(staff, id, 'curation', 'moving on');
    await eventually(async () => /Curation/.test((await visitorOnSecond.get(`/challenges/${id}`)).body_), 'the phase change reaching the second process');

    await first.services.challenges.movePhase(staff, id, 'open', 'reopened');
    await eventually(async () => (await visitorOnSecond.get(`/challenges/${id}`)).body_.includes('Open for ideas'), 'reopening reaching the second process');
    const author = await signedInClient(first.url, await createUser({ name: 'Remote Author' }));
    await author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: 'Submitted on the first' }));
    await eventually(async () => (await visitorOnSecond.get(`/challenges/${id}`)).body_.includes('Submitted on the first'), 'the new idea reaching the second process');
  });

  it('finds a challenge another process made even when no message about it arrives', async () => {
    const { id } = await createChallenge(first, { phase: 'open', form: { title: 'Made elsewhere' } });
    const stored = await Challenge.findById(id).lean();
    // The second process forgets it; then it comes back with no event and no bus message at all.
    await Challenge.deleteOne({ _id: id });
    await second.readModels.catalog.refresh(id);
    assert.equal((await new TestClient(second.url).get(`/challenges/${id}`)).status, 404);
    await Challenge.collection.insertOne(stored!);
    const page = await new TestClient(second.url).get(`/challenges/${id}`);
    assert.equal(page.status, 200, 'read by _id on a miss, not reported missing');
    assert.match(page.body_, /Made elsewhere/);
  });
});
