import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Comparison } from '../../src/features/community/comparison.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/** The pair the compare page offers, from its hidden fields; null on the empty state. */
function offeredPair(html: string): { leftId: string; rightId: string } | null {
  const leftId = html.match(/name="leftId" value="([0-9a-f]{24})"/)?.[1];
  const rightId = html.match(/name="rightId" value="([0-9a-f]{24})"/)?.[1];
  return leftId && rightId ? { leftId, rightId } : null;
}

const unordered = (pair: { leftId: string; rightId: string }) => [pair.leftId, pair.rightId].sort().join(':');

describe('pairwise comparisons', () => {
  let app: TestApp;
  let authorA: TestClient;
  let authorB: TestClient;
  before(async () => {
    app = await startTestApp();
    authorA = await signedInClient(app.url, await createUser({ name: 'Ann Author' }));
    authorB = await signedInClient(app.url, await createUser({ name: 'Ben Author' }));
  });
  after(() => app.close());

  async function submittedIdea(author: TestClient, challengeId: string, title: string) {
    const created = await author.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, ideaForm({ title }));
    assert.equal(created.status, 303);
    return (created.headers.get('location') ?? '').split('/')[2]!;
  }

  async function member() {
    return signedInClient(app.url, await createUser());
  }

  it('offers each pair of other people’s ideas once, never the member’s own, then says nothing is left', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const comparer = await member();
    const own = await submittedIdea(comparer, id, 'My own idea');
    const others = [await submittedIdea(authorA, id, 'Idea one'), await submittedIdea(authorA, id, 'Idea two'), await submittedIdea(authorB, id, 'Idea three')];
    assert.match((await comparer.get(`/challenges/${id}`)).body_, new RegExp(`href="/challenges/${id}/compare"`), 'the challenge page links to comparing');

    const seen = new Set<string>();
    for (let answered = 0; answered < 3; answered++) {
      const page = await comparer.get(`/challenges/${id}/compare`);
      assert.equal(page.status, 200);
      assert.equal(page.body_.match(/>This one</g)?.length, 2);
      const pair = offeredPair(page.body_)!;
      assert.ok(pair, 'a pair is offered');
      assert.ok(![pair.leftId, pair.rightId].includes(own), 'never the member’s own idea');
      assert.ok(others.includes(pair.leftId) && others.includes(pair.rightId));
      assert.ok(!seen.has(unordered(pair)), 'an answered pair is not offered again');
      seen.add(unordered(pair));
      const posted = await comparer.post(`/challenges/${id}/compare`, { _csrf: csrfFrom(page.body_), ...pair, choice: answered === 1 ? 'right' : 'left' });
      assert.equal(posted.status, 303);
      assert.equal(posted.headers.get('location'), `/challenges/${id}/compare`);
    }
    const done = await comparer.get(`/challenges/${id}/compare`);
    assert.equal(done.status, 200);
    assert.equal(offeredPair(done.body_), null);
    assert.match(done.body_, /Nothing left to compare/);
    assert.equal(await Comparison.countDocuments({ challengeId: id }), 3);

    // Meanwhile another member may compare the first member's idea.
    const other = await member();
    const offered = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const pair = offeredPair((await other.get(`/challenges/${id}/compare`)).body_)!;
      offered.add(pair.leftId).add(pair.rightId);
      await other.submit(`/challenges/${id}/compare`, `/challenges/${id}/compare`, { ...pair, choice: 'left' });
    }
    assert.ok(offered.has(own));
    assert.equal(offeredPair((await other.get(`/challenges/${id}/compare`)).body_), null, 'four ideas make six pairs');
  });

  it('records a skip without changing any score, and offers the pair again once nothing else is left, when it may be decided', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const first = await submittedIdea(authorA, id, 'Skip one');
    const second = await submittedIdea(authorB, id, 'Skip two');
    const decider = await member();
    await decider.submit(`/challenges/${id}/compare`, `/challenges/${id}/compare`, { leftId: first, rightId: second, choice: 'left' });
    const before = JSON.stringify([...(await app.services.comparisons.scores(id))]);
    assert.ok((await app.services.comparisons.scores(id)).get(first)!.score > 50, 'the winner scores above the average');
    assert.match((await new TestClient(app.url).get(`/ideas/${first}`)).body_, /Crowd score <strong>\d+<\/strong>.*from 1 comparison/);

    const skipper = await member();
    const page = await skipper.get(`/challenges/${id}/compare`);
    const pair = offeredPair(page.body_)!;
    assert.deepEqual([pair.leftId, pair.rightId].sort(), [first, second].sort());
    const skipped = await skipper.post(`/challenges/${id}/compare`, { _csrf: csrfFrom(page.body_), ...pair, choice: 'skip' });
    assert.equal(skipped.status, 303);
    const stored = await Comparison.find({ challengeId: id, skipped: true }).lean();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.winnerId, null);
    assert.equal(JSON.stringify([...(await app.services.comparisons.scores(id))]), before, 'a skip changes no score');
    assert.equal((await app.services.comparisons.scores(id)).get(first)!.comparisons, 1);
    const third = await submittedIdea(authorA, id, 'Skip three');
    const later = await skipper.get(`/challenges/${id}/compare`);
    const next = offeredPair(later.body_)!;
    assert.ok([next.leftId, next.rightId].includes(third), 'another pair comes first');
    assert.equal((await skipper.post(`/challenges/${id}/compare`, { _csrf: csrfFrom(later.body_), ...next, choice: 'left' })).status, 303);
    const rest = await skipper.get(`/challenges/${id}/compare`);
    const remaining = offeredPair(rest.body_)!;
    const again =
      [remaining.leftId, remaining.rightId].sort().join() === [first, second].sort().join()
        ? remaining
        : await (async () => {
            assert.equal((await skipper.post(`/challenges/${id}/compare`, { _csrf: csrfFrom(rest.body_), ...remaining, choice: 'left' })).status, 303);
            return offeredPair((await skipper.get(`/challenges/${id}/compare`)).body_)!;
          })();
    assert.deepEqual([again.leftId, again.rightId].sort(), [first, second].sort(), 'the skipped pair comes back once nothing else is left');
    const decide = await skipper.get(`/challenges/${id}/compare`);
    assert.equal((await skipper.post(`/challenges/${id}/compare`, { _csrf: csrfFrom(decide.body_), leftId: first, rightId: second, choice: 'left' })).status, 303);
    const pairRecords = (await Comparison.find({ challengeId: id, memberId: stored[0]!.memberId }).lean()).filter(
      (record) => record.ideaIds.map(String).sort().join() === [first, second].sort().join(),
    );
    assert.equal(pairRecords.length, 1, 'the skip became the decision');
    assert.equal(String(pairRecords[0]!.winnerId), first);
    const decidedWithFirst = (await Comparison.find({ challengeId: id, skipped: false }).lean()).filter((record) => record.ideaIds.map(String).includes(first)).length;
    assert.equal((await app.services.comparisons.scores(id)).get(first)!.comparisons, decidedWithFirst, 'and it counts now');
    assert.equal(offeredPair((await skipper.get(`/challenges/${id}/compare`)).body_), null, 'a decided pair is never offered again');
  });

  it('records one answer from 10 parallel identical posts', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const ideaIds = [await submittedIdea(authorA, id, 'Parallel one'), await submittedIdea(authorB, id, 'Parallel two')];
    const comparer = await member();
    const page = await comparer.get(`/challenges/${id}/compare`);
    const pair = offeredPair(page.body_)!;
    const token = csrfFrom(page.body_);
    const responses = await Promise.all(Array.from({ length: 10 }, () => comparer.post(`/challenges/${id}/compare`, { _csrf: token, ...pair, choice: 'left' })));
    assert.deepEqual([...new Set(responses.map((response) => response.status))], [303]);
    assert.equal(await Comparison.countDocuments({ challengeId: id }), 1);
    const scores = await app.services.comparisons.scores(id);
    assert.deepEqual(
      ideaIds.map((ideaId) => scores.get(ideaId)?.comparisons),
      [1, 1],
    );
    assert.ok(scores.get(pair.leftId)!.score > scores.get(pair.rightId)!.score);
  });

  it('refuses a pair with an idea from another challenge, one idea twice, and the member’s own idea', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const { id: elsewhere } = await createChallenge(app, { phase: 'open' });
    const here = await submittedIdea(authorA, id, 'Here');
    const alsoHere = await submittedIdea(authorB, id, 'Also here');
    const there = await submittedIdea(authorB, elsewhere, 'There');
    const comparer = await member();

    const mixed = await comparer.submit(`/challenges/${id}/compare`, `/challenges/${id}/compare`, { leftId: here, rightId: there, choice: 'left' });
    assert.equal(mixed.status, 400);
    assert.match(mixed.body_, /cannot be compared in this challenge/);
    const twice = await comparer.submit(`/challenges/${id}/compare`, `/challenges/${id}/compare`, { leftId: here, rightId: here, choice: 'left' });
    assert.equal(twice.status, 400);
    const garbage = await comparer.submit(`/challenges/${id}/compare`, `/challenges/${id}/compare`, { leftId: here, rightId: 'nope', choice: 'left' });
    assert.equal(garbage.status, 400);
    const own = await authorA.submit(`/challenges/${id}/compare`, `/challenges/${id}/compare`, { leftId: here, rightId: alsoHere, choice: 'left' });
    assert.equal(own.status, 403);
    assert.match(own.body_, /cannot compare your own idea/);
    assert.equal(await Comparison.countDocuments({ challengeId: id }), 0);
  });

  it('lets the crowd compare during curation, refuses it afterwards with a message, and hides challenges one may not see', async () => {
    const { id, staff } = await createChallenge(app, { phase: 'open', form: { judges: (await createUser({ roles: ['staff'] })).email } });
    const pairIds = { leftId: await submittedIdea(authorA, id, 'Late one'), rightId: await submittedIdea(authorB, id, 'Late two') };
    const comparer = await member();
    await app.services.challenges.movePhase(staff, id, 'curation', 'curating');
    const curation = await comparer.get(`/challenges/${id}/compare`);
    assert.equal(curation.status, 200);
    assert.ok(offeredPair(curation.body_));

    await app.services.challenges.movePhase(staff, id, 'judging', 'judging');
    const page = await comparer.get(`/challenges/${id}/compare`);
    assert.equal(page.status, 403);
    assert.match(page.body_, /Comparing is closed for this challenge/);
    assert.doesNotMatch(page.body_, />This one</);
    const posted = await comparer.post(`/challenges/${id}/compare`, { _csrf: csrfFrom(curation.body_), ...pairIds, choice: 'left' });
    assert.equal(posted.status, 403);
    assert.equal(await Comparison.countDocuments({ challengeId: id }), 0);
    assert.doesNotMatch((await comparer.get(`/challenges/${id}`)).body_, /\/compare"/, 'no link to a refused page');

    const { id: sealed } = await createChallenge(app, { phase: 'open', form: { submissionVisibility: 'sealed' } });
    const sealedPage = await comparer.get(`/challenges/${sealed}/compare`);
    assert.equal(sealedPage.status, 403);
    assert.match(sealedPage.body_, /sealed/);

    const { id: draft } = await createChallenge(app);
    assert.equal((await comparer.get(`/challenges/${draft}/compare`)).status, 404);
    assert.equal((await comparer.get('/challenges/000000000000000000000000/compare')).status, 404);
  });

  it('sends a visitor to sign in', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const pairIds = { leftId: await submittedIdea(authorA, id, 'Public one'), rightId: await submittedIdea(authorB, id, 'Public two') };
    const visitor = new TestClient(app.url);
    const page = await visitor.get(`/challenges/${id}/compare`);
    assert.equal(page.status, 302);
    assert.equal(page.headers.get('location'), `/sign-in?returnTo=${encodeURIComponent(`/challenges/${id}/compare`)}`);
    const posted = await visitor.submit('/sign-in', `/challenges/${id}/compare`, { ...pairIds, choice: 'left' });
    assert.equal(posted.status, 401);
    assert.equal(await Comparison.countDocuments({ challengeId: id }), 0);
  });
});
