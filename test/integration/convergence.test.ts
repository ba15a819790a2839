import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it, type TestContext } from 'node:test';
import { createRedisBus, type ClusterBus } from '../../src/cluster/bus.ts';
import { appendChange, Change, CONVERGENCE_BOUND_MS, pruneChanges } from '../../src/cluster/change-log.ts';
import { sequenceKey } from '../../src/db/counters.ts';
import { LARGE_CHALLENGE_ID, seedLargeChallenge } from '../../src/db/seed-challenges.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { startRedisServer } from '../helpers/redis-server.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

// The documented bound, plus slack for a loaded 2-core machine running other suites.
const WAIT_MS = CONVERGENCE_BOUND_MS + 1_500;

/** Polls `check` until it finds nothing missing; fails after WAIT_MS with what was. Returns how long it took. */
async function withinBound(check: () => Promise<string[]>, what: string): Promise<number> {
  const started = Date.now();
  let missing: string[] = [];
  while (Date.now() - started < WAIT_MS) {
    missing = await check();
    if (missing.length === 0) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return assert.fail(`${what} did not happen within ${WAIT_MS} ms: ${missing.join(', ')}`);
}

const unmet = (conditions: Record<string, boolean>) => Object.keys(conditions).filter((name) => !conditions[name]);

/**
 * Node 2 has the challenge, the idea list and a member's roles in memory; node 1 then changes all
 * of them while no message reaches node 2 (`silence`), and node 2 must converge anyway.
 */
async function writesWhileUnheard(t: TestContext, first: TestApp, second: TestApp, silence: { begin: () => Promise<void>; end: () => Promise<void> }) {
  const { id, staff } = await createChallenge(first, { phase: 'open', form: { title: 'Converging challenge', crowdSees: 'approved' } });
  const admin = actorFor(await createUser({ roles: ['admin', 'staff'], name: 'Ada Admin' }), ['admin', 'staff']);
  const member = await createUser({ name: 'Mia Member' });
  const promoted = await createUser({ name: 'Pat Promoted' });
  const visitor = new TestClient(second.url);
  const memberOnSecond = await signedInClient(second.url, member);
  const promotedOnSecond = await signedInClient(second.url, promoted);
  await withinBound(async () => unmet({ open: (await visitor.get(`/challenges/${id}`)).body_.includes('badge--phase-open') }), 'the new challenge reaching node 2');
  assert.equal((await promotedOnSecond.get('/challenges/new')).status, 403);

  await silence.begin();
  const author = await signedInClient(first.url, member);
  const created = await author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: 'Written while unheard' }));
  const ideaId = (created.headers.get('location') ?? '').split('/')[2]!;
  await approveIdea(first, staff, id, ideaId);
  await first.services.votes.castVote(actorFor(await createUser({ name: 'Vic Voter' })), ideaId);
  await first.services.challenges.movePhase(staff, id, 'curation', 'closing submissions');
  await first.services.adminUsers.changeRoles(admin, promoted.id, ['staff']);
  await silence.end();

  const ms = await withinBound(async () => {
    const page = (await visitor.get(`/challenges/${id}`)).body_;
    return unmet({
      'phase moved': page.includes('badge--phase-curation'),
      'idea approved': page.includes('Written while unheard'),
      'vote counted': page.includes('1 vote'),
      'role granted': (await promotedOnSecond.get('/challenges/new')).status === 200,
    });
  }, 'node 2 converging');
  t.diagnostic(`node 2 converged ${ms} ms after the writes`);
  const token = csrfFrom((await memberOnSecond.get(`/challenges/${id}`)).body_);
  const refused = await memberOnSecond.post(`/challenges/${id}/ideas`, { _csrf: token, ...ideaForm({ title: 'Too late' }) });
  assert.equal(refused.status, 403, 'node 2 refuses a submission to the closed challenge, as node 1 does');
}

describe('read models converge to the database whatever path a write took', () => {
  const logger = createLogger('silent');
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  const buses: ClusterBus[] = [];
  // Two pairs of app processes on one database: one pair joined by a Redis of its own, one with none.
  const joined: TestApp[] = [];
  const alone: TestApp[] = [];
  before(async () => {
    redis = await startRedisServer();
    const namespace = `test-${randomUUID()}`;
    buses.push(createRedisBus({ redisUrl: redis.url, logger, namespace }), createRedisBus({ redisUrl: redis.url, logger, namespace }));
    for (const bus of buses) joined.push(await startTestApp({ clusterBus: bus }));
    alone.push(await startTestApp(), await startTestApp());
  });
  after(async () => {
    for (const bus of buses) await bus.close();
    for (const app of [...alone, ...joined]) await app.close();
    await redis.kill();
  });

  it('brings node 2 to what node 1 wrote while Redis was down once it is back, and node 2 refuses what node 1 refuses', async (t) => {
    await writesWhileUnheard(t, joined[0]!, joined[1]!, { begin: redis.kill, end: redis.restart });
  });

  it('brings node 2 to what node 1 wrote with no Redis at all, through the change log alone', async (t) => {
    await writesWhileUnheard(t, alone[0]!, alone[1]!, { begin: async () => {}, end: async () => {} });
  });

  it('shows the ideas that the seed script adds while the app runs', async (t) => {
    const visitor = new TestClient(alone[1]!.url);
    // The boards are built (no ideas in the large challenge yet) before the seed runs.
    await alone[1]!.readModels.board.warm();
    // The one account the seed needs (the demo's staff member, the challenge's owner).
    await createUser({ email: 'staff@demo.cocreate.local', roles: ['staff'] });
    await seedLargeChallenge(30, 'not-a-real-hash');
    const ms = await withinBound(async () => {
      const page = await visitor.get(`/challenges/${LARGE_CHALLENGE_ID}`);
      return unmet({ listed: page.status === 200 && page.body_.includes('Ideas (30)') });
    }, 'the seeded ideas showing');
    t.diagnostic(`the seeded ideas showed ${ms} ms after the seed`);
  });

  it('prunes the change log of entries older than the retention, keeping the newer ones', async () => {
    const seq = await appendChange({ kind: 'challenge', id: String(LARGE_CHALLENGE_ID) });
    const key = sequenceKey(seq);
    await Change.updateOne({ _id: key }, { $set: { at: new Date(Date.now() - 60 * 60_000) } });
    const recent = await appendChange({ kind: 'challenge', id: String(LARGE_CHALLENGE_ID) });
    // Every app of this file has read both first: pruning what a tail has not read yet is a gap it waits out.
    for (const app of [...joined, ...alone]) await app.readModelSync.catchUp();
    assert.ok((await pruneChanges(new Date(Date.now() - 15 * 60_000))) >= 1);
    assert.equal(await Change.exists({ _id: key }), null, 'the hour-old entry is gone');
    assert.ok(await Change.exists({ _id: sequenceKey(recent) }), 'the new one stays');
  });
});
