import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DATABASE_WAIT_MS } from '../../src/db/connection.ts';
import { CommentThread } from '../../src/features/community/comment.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { testEngine } from '../helpers/database.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Each database operation waits at most DATABASE_WAIT_MS; a request that began just before the
// crash may wait once for its first operation and once for a later one, on a busy shared machine.
const ANSWER_WITHIN_MS = 2 * DATABASE_WAIT_MS + 1_000;

type Outcome = { body: string; status: number | 'dropped'; retryAfter: string | null; ms: number };

/** This file owns a private engine: it kills and stops it under the app. */
describe('when the database fails', () => {
  let app: TestApp;
  let ideaPath: string;
  before(async () => {
    app = await startTestApp({ privateEngine: true });
    const { id: challengeId } = await createChallenge(app, { phase: 'open' });
    const author = await signedInClient(app.url, await createUser());
    const created = await author.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, ideaForm({ title: 'Kept through a crash' }));
    ideaPath = created.headers.get('location') ?? '';
  });
  after(() => app.close());

  // The engine's restarts back off (0.25 s, then twice as long each time it fails again), and the
  // suite's lanes share two cores: 30 s, the time the engine itself is given to listen.
  async function becomesReady() {
    const deadline = Date.now() + 30_000;
    let last = '';
    while (Date.now() < deadline) {
      const response = await fetch(`${app.url}/readyz`);
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
      await sleep(200);
    }
    assert.fail(`the app did not recover within 30 s: /readyz answered ${last}; engine pid ${testEngine().engine.pid()}`);
  }

  it('killed under 20 writers, the engine is restarted by the app, which recovers; every acknowledged comment is stored and no connection is dropped', async (t) => {
    const writers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const client = await signedInClient(app.url, await createUser());
        return { client, csrf: csrfFrom((await client.get(ideaPath)).body_) };
      }),
    );
    const { engine } = testEngine();
    const killedPid = engine.pid()!;
    const outcomes: Outcome[] = [];
    const until = Date.now() + 7_000;
    const killer = sleep(1_500).then(() => process.kill(killedPid, 'SIGKILL'));
    await Promise.all(
      writers.map(async ({ client, csrf }, writer) => {
        for (let n = 0; Date.now() < until; n += 1) {
          const body = `writer ${writer} comment ${n}`;
          const startedAt = Date.now();
          const outcome = await client.post(`${ideaPath}/comments`, { _csrf: csrf, body }).then(
            (response) => ({ status: response.status, retryAfter: response.headers.get('retry-after') }),
            () => ({ status: 'dropped' as const, retryAfter: null }),
          );
          outcomes.push({ body, ...outcome, ms: Date.now() - startedAt });
          if (outcome.status === 503) await sleep(200);
        }
      }),
    );
    await killer;
    await becomesReady();

    assert.notEqual(testEngine().engine.pid(), killedPid, 'a new engine process runs');
    const unexpected = outcomes.filter((outcome) => outcome.status !== 303 && !(outcome.status === 503 && outcome.retryAfter));
    assert.deepEqual(unexpected, [], 'every write was acknowledged or refused with 503 and Retry-After');
    const slow = outcomes.filter((outcome) => outcome.ms > ANSWER_WITHIN_MS);
    assert.deepEqual(slow, [], `every answer came within ${ANSWER_WITHIN_MS} ms`);
    const acknowledged = outcomes.filter((outcome) => outcome.status === 303).map((outcome) => outcome.body);
    const stored = new Set(((await CommentThread.findById(ideaPath.split('/')[2]).lean())?.comments ?? []).map((comment) => comment.body));
    assert.ok(acknowledged.length > 20, 'writes went on around the crash');
    assert.deepEqual(
      acknowledged.filter((body) => !stored.has(body) && !stored.has(`<p>${body}</p>\n`)),
      [],
      'every acknowledged comment is stored',
    );
    const refused = outcomes.filter((outcome) => outcome.status === 503).length;
    t.diagnostic(`${acknowledged.length} acknowledged, ${refused} refused with 503; slowest answer ${Math.max(...outcomes.map((outcome) => outcome.ms))} ms`);
    const { client, csrf } = writers[0]!;
    assert.equal((await client.post(`${ideaPath}/comments`, { _csrf: csrf, body: 'after the crash' })).status, 303);
  });

  it('while it stays down, a page and the JSON API answer 503 with Retry-After within a few seconds, and serve again once it is back', async () => {
    const member = await signedInClient(app.url, await createUser());
    const visitor = new TestClient(app.url);
    const csrf = csrfFrom((await visitor.get('/sign-in')).body_);
    await testEngine().engine.stop();

    for (const [what, request] of [
      ['a visitor signing in', () => visitor.post('/sign-in', { _csrf: csrf, email: 'someone@example.test', password: 'Whatever-Long-Password-1' })],
      ['a page for a signed-in member', () => member.get(ideaPath)],
      ['JSON', () => new TestClient(app.url).get(ideaPath, { accept: 'application/json' })],
    ] as const) {
      const startedAt = Date.now();
      const response = await request();
      const ms = Date.now() - startedAt;
      assert.equal(response.status, 503, what);
      assert.ok(Number(response.headers.get('retry-after')) > 0, `${what}: Retry-After`);
      assert.ok(ms < ANSWER_WITHIN_MS, `${what}: answered in ${ms} ms`);
      if (what === 'JSON') assert.equal((JSON.parse(response.body_) as { error: { code: string } }).error.code, 'unavailable');
      else assert.match(response.body_, /Briefly unavailable/);
    }

    await testEngine().restart();
    await becomesReady();
    assert.equal((await member.get(ideaPath)).status, 200);
  });
});
