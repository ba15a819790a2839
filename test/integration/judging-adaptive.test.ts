import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor } from '../helpers/challenges.ts';
import { csrfFrom, type TestClient } from '../helpers/http.ts';
import { challengeInJudging, type JudgedChallenge } from '../helpers/judging.ts';
import { signedInClient } from '../helpers/users.ts';

describe('adaptive judging: “Score the next idea”', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const judgingPath = (challengeId: string) => `/challenges/${challengeId}/judging`;
  const holdersOf = async (challengeId: string) => (await app.services.judging.read(challengeId)).assignments;
  const handedOut = async (challengeId: string) => (await holdersOf(challengeId)).reduce((sum, entry) => sum + entry.judgeIds.length, 0);

  /** Asks for the next idea over HTTP: the idea's id, or null with the notice shown instead. */
  async function next(client: TestClient, challengeId: string, csrf?: string): Promise<{ ideaId: string | null; notice: string }> {
    const token = csrf ?? csrfFrom((await client.get(judgingPath(challengeId))).body_);
    const response = await client.post(`${judgingPath(challengeId)}/next`, { _csrf: token });
    assert.equal(response.status, 303, response.body_);
    const location = response.headers.get('location')!;
    const ideaId = location.match(/\/ideas\/([0-9a-f]{24})$/)?.[1] ?? null;
    const notice = ideaId ? '' : (await client.get(location)).body_;
    return { ideaId, notice };
  }

  /** A judge submits a scorecard (Impact, Feasibility on 1–5) through the service. */
  async function score(challenge: JudgedChallenge, judgeIndex: number, ideaId: string, impact: number) {
    const judge = challenge.judges[judgeIndex]!;
    await app.services.scorecards.save(actorFor(judge, ['staff']), challenge.id, ideaId, {
      criteria: [
        { score: impact, comment: '' },
        { score: 3, comment: '' },
      ],
      comment: '',
      privateNote: '',
      submit: true,
    });
  }

  it('hands a judge their planned ideas first, then the ideas the prize line needs, never one twice, until the budget is spent', async () => {
    const challenge = await challengeInJudging(app, { ideas: 4, judges: 3, mode: 'adaptive', perIdea: 1, budget: 7 });
    assert.equal(await handedOut(challenge.id), 4, 'one judge per idea to start with');
    const clients = await Promise.all(challenge.judges.map((judge) => signedInClient(app.url, judge)));
    const seen = challenge.judges.map(() => new Set<string>());
    const quality = new Map(challenge.ideaIds.map((ideaId, n) => [ideaId, [5, 4, 2, 1][n]!]));
    let pulled = 0;
    for (let round = 0; round < 6; round++) {
      for (const [index, client] of clients.entries()) {
        const { ideaId, notice } = await next(client, challenge.id);
        if (!ideaId) {
          assert.match(notice, /budget is spent|every idea you may score|every idea assigned/i);
          continue;
        }
        const again = await next(client, challenge.id);
        assert.equal(again.ideaId, ideaId, 'an idea not yet scored is handed out again, not a new one');
        assert.ok(!seen[index]!.has(ideaId), 'never the same idea twice to one judge');
        seen[index]!.add(ideaId);
        await score(challenge, index, ideaId, quality.get(ideaId)!);
        pulled++;
      }
    }
    assert.equal(pulled, 7, 'every scorecard of the budget was handed out and filled');
    assert.equal(await handedOut(challenge.id), 7, 'and not one more');
    const setup = await clients[0]!.get(`${judgingPath(challenge.id)}/setup`);
    assert.match(setup.body_, /7 of 7 scorecards handed out, 7 submitted/);
    const ranking = await clients[0]!.get(`${judgingPath(challenge.id)}/results`);
    assert.match(ranking.body_, /data-confidence>[^<]*(settled|too close to call)/);
    assert.match(ranking.body_, /Chance of a prize \(top 2\)/);
  });

  it('switched to adaptive during judging, keeps each idea’s minimum and the scorecards judges started, and hands out the rest on request', async () => {
    const challenge = await challengeInJudging(app, { ideas: 4, judges: 3, perIdea: 3 });
    assert.equal(await handedOut(challenge.id), 12, 'k = 3: every judge has every idea');
    const [first, second] = challenge.ideaIds as [string, string];
    // Each judge started (or finished) a scorecard of the first idea; one judge finished the second.
    for (const index of [0, 1, 2]) await score(challenge, index, first, 4);
    await score(challenge, 2, second, 3);
    await app.services.judging.configure(challenge.staff, challenge.id, { mode: 'adaptive', perIdea: 1, blind: false, crowdWeight: 0, budget: 8, budgetPer: 'total' });
    const holders = new Map((await holdersOf(challenge.id)).map((entry) => [entry.ideaId, entry.judgeIds]));
    assert.equal(holders.get(first)!.length, 3, 'scorecards started are kept');
    assert.deepEqual(holders.get(second), [challenge.judges[2]!.id], 'the judge who scored it keeps it, the others are released');
    for (const ideaId of challenge.ideaIds.slice(2)) assert.equal(holders.get(ideaId)!.length, 1, 'the minimum of one judge');
    assert.equal(await handedOut(challenge.id), 6, 'within the budget of 8');
    const { ideaId } = await next(await signedInClient(app.url, challenge.judges[0]!), challenge.id);
    assert.ok(ideaId, 'a judge can ask for another idea');
  });

  it('never hands a judge an idea they declared a conflict on', async () => {
    const challenge = await challengeInJudging(app, { ideas: 3, judges: 2, mode: 'adaptive', perIdea: 1, budget: 6 });
    const [a] = await Promise.all([signedInClient(app.url, challenge.judges[0]!)]);
    const conflicted = challenge.ideaIds[0]!;
    const page = await a!.get(`${judgingPath(challenge.id)}/ideas/${conflicted}`);
    const declared = await a!.post(`${judgingPath(challenge.id)}/ideas/${conflicted}/conflict`, { _csrf: csrfFrom(page.body_), note: 'My brother wrote it.' });
    assert.equal(declared.status, 303);
    const given: string[] = [];
    for (let round = 0; round < 4; round++) {
      const { ideaId } = await next(a!, challenge.id);
      if (!ideaId) break;
      given.push(ideaId);
      await score(challenge, 0, ideaId, 3);
    }
    assert.deepEqual(given.sort(), challenge.ideaIds.slice(1).sort(), 'every other idea, once each');
    const entry = (await holdersOf(challenge.id)).find((e) => e.ideaId === conflicted)!;
    assert.ok(!entry.judgeIds.includes(challenge.judges[0]!.id));
    assert.ok(entry.judgeIds.includes(challenge.judges[1]!.id), 'the other judge took it over');
  });

  it('keeps authors hidden on a pulled scorecard under blind review', async () => {
    const challenge = await challengeInJudging(app, { ideas: 2, judges: 2, mode: 'adaptive', perIdea: 1, blind: true, budget: 4 });
    const client = await signedInClient(app.url, challenge.judges[0]!);
    const first = await next(client, challenge.id);
    await score(challenge, 0, first.ideaId!, 4);
    const pulled = await next(client, challenge.id);
    assert.ok(pulled.ideaId && pulled.ideaId !== first.ideaId, 'the second idea is pulled');
    const card = await client.get(`${judgingPath(challenge.id)}/ideas/${pulled.ideaId}`);
    assert.equal(card.status, 200);
    assert.match(card.body_, /Blind review/);
    assert.doesNotMatch(card.body_, /Author [12]/);
  });

  it('counts a per-judge budget, and hands out nothing after staff stop judging', async () => {
    const challenge = await challengeInJudging(app, { ideas: 4, judges: 2, mode: 'adaptive', perIdea: 1, budget: 3, budgetPer: 'judge' });
    const client = await signedInClient(app.url, challenge.judges[0]!);
    let mine = 0;
    for (let round = 0; round < 5; round++) {
      const { ideaId, notice } = await next(client, challenge.id);
      if (!ideaId) {
        assert.match(notice, /your share of the budget/);
        break;
      }
      mine++;
      await score(challenge, 0, ideaId, 3);
    }
    assert.equal(mine, 3);
    const staff = await signedInClient(app.url, challenge.judges[1]!);
    const results = await staff.get(`${judgingPath(challenge.id)}/results`);
    const stopped = await staff.post(`${judgingPath(challenge.id)}/stop`, { _csrf: csrfFrom(results.body_) });
    assert.equal(stopped.status, 303);
    const before = await handedOut(challenge.id);
    // The ideas the plan gave the other judge stay theirs; nothing new is handed out.
    for (let round = 0; round < 4; round++) {
      const { ideaId, notice } = await next(staff, challenge.id);
      if (!ideaId) {
        assert.match(notice, /Staff stopped judging: no more scorecards are handed out/);
        // Staff may stop while places are still open (the ranking page says which): the judge is not told otherwise.
        assert.doesNotMatch(notice, /settled/);
        break;
      }
      await score(challenge, 1, ideaId, 2);
    }
    assert.equal(await handedOut(challenge.id), before);
  });

  it('two judges asking at the same moment: no idea twice to one judge, never past the budget', async () => {
    const challenge = await challengeInJudging(app, { ideas: 3, judges: 3, mode: 'adaptive', perIdea: 1, budget: 5 });
    // Each judge first scores the idea the plan gave them.
    for (const entry of await holdersOf(challenge.id)) {
      const index = challenge.judges.findIndex((judge) => judge.id === entry.judgeIds[0]);
      await score(challenge, index, entry.ideaId, 3);
    }
    const clients = await Promise.all(challenge.judges.slice(0, 2).map((judge) => signedInClient(app.url, judge)));
    const tokens = await Promise.all(clients.map(async (client) => csrfFrom((await client.get(judgingPath(challenge.id))).body_)));
    // Both judges ask twice at once (a double click each): four requests for two scorecards left.
    const answers = await Promise.all([0, 0, 1, 1].map((index) => next(clients[index]!, challenge.id, tokens[index])));
    assert.equal(await handedOut(challenge.id), 5, 'exactly the budget');
    for (const entry of await holdersOf(challenge.id)) assert.equal(new Set(entry.judgeIds).size, entry.judgeIds.length, 'no judge twice on an idea');
    assert.ok(answers.filter((answer) => answer.ideaId).length >= 2);
  });
});
