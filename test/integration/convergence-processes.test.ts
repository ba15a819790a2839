import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { CONVERGENCE_BOUND_MS } from '../../src/cluster/change-log.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { startRedisServer } from '../helpers/redis-server.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

// The documented bound, plus slack for a loaded 2-core machine running other suites.
const WAIT_MS = CONVERGENCE_BOUND_MS + 1_500;

/** Polls until `done` holds; fails after WAIT_MS. Returns how long it took. */
async function withinBound(done: () => Promise<boolean>, what: string): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < WAIT_MS) {
    if (await done()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return assert.fail(`${what} did not happen within ${WAIT_MS} ms`);
}

/**
 * The in-process pairs of convergence.test.ts share one Node process; here the two nodes are
 * real server processes, as a deployment runs them, on one database and one Redis of the test's.
 */
describe('two server processes on one database converge when Redis was away', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let setup: TestApp;
  const nodes: ServerProcess[] = [];

  before(async () => {
    redis = await startRedisServer();
    // Only for making the people and the challenge; it serves nothing the test reads.
    setup = await startTestApp();
    const { host, port, name } = mongoose.connection;
    for (let index = 0; index < 2; index += 1) {
      nodes.push(
        await startServerProcess({
          how: 'node',
          env: { MONGODB_URI: `mongodb://${host}:${port}/${name}?directConnection=true`, REDIS_URL: redis.url, SITE_KEY: 'two-nodes', SEED_ON_FIRST_START: 'false' },
        }),
      );
    }
  });
  after(async () => {
    for (const node of nodes) await node.cleanUp();
    await setup.close();
    await redis.kill();
  });

  it('shows on node 2 the idea, the phase move and the role change made on node 1 while Redis was down, and refuses what node 1 refuses', async (t) => {
    const [first, second] = nodes as [ServerProcess, ServerProcess];
    const staffUser = await createUser({ roles: ['staff'], name: 'Stella Staff' });
    const { id } = await createChallenge(setup, { phase: 'open', form: { title: 'Two processes, one truth' }, staff: actorFor(staffUser, ['staff']) });
    const admin = await createUser({ roles: ['admin', 'staff'], name: 'Ada Admin' });
    const member = await createUser({ name: 'Mia Member' });
    const promoted = await createUser({ name: 'Pat Promoted' });
    const visitor = new TestClient(second.url);
    const memberOnSecond = await signedInClient(second.url, member);
    const promotedOnSecond = await signedInClient(second.url, promoted);
    // Both nodes, before Redis goes: node 1 takes the submission below, and a node that has not heard of the challenge answers 404.
    await withinBound(async () => (await visitor.get(`/challenges/${id}`)).body_.includes('badge--phase-open'), 'the challenge reaching node 2');
    await withinBound(async () => (await new TestClient(first.url).get(`/challenges/${id}`)).body_.includes('badge--phase-open'), 'the challenge reaching node 1');
    assert.equal((await promotedOnSecond.get('/challenges/new')).status, 403);

    await redis.kill();
    const author = await signedInClient(first.url, member);
    const created = await author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: 'Written while Redis was down' }));
    assert.equal(created.status, 303);
    const staff = await signedInClient(first.url, staffUser);
    assert.equal((await staff.submit(`/challenges/${id}`, `/challenges/${id}/phase`, { to: 'curation', reason: 'Submissions are closed' })).status, 303);
    const adminClient = await signedInClient(first.url, admin);
    assert.equal((await adminClient.submit(`/admin/users/${promoted.id}`, `/admin/users/${promoted.id}/roles`, { roles: 'staff' })).status, 303);
    await redis.restart();

    const ms = await withinBound(async () => {
      const page = (await visitor.get(`/challenges/${id}`)).body_;
      const mine = (await memberOnSecond.get('/my/ideas')).body_;
      return page.includes('badge--phase-curation') && mine.includes('Written while Redis was down') && (await promotedOnSecond.get('/challenges/new')).status === 200;
    }, 'node 2 converging');
    t.diagnostic(`node 2 converged ${ms} ms after Redis came back`);

    const token = csrfFrom((await memberOnSecond.get(`/challenges/${id}`)).body_);
    const refused = await memberOnSecond.post(`/challenges/${id}/ideas`, { _csrf: token, ...ideaForm({ title: 'Too late' }) });
    assert.equal(refused.status, 403, 'node 2 refuses a submission to the closed challenge, as node 1 does');
  });
});
