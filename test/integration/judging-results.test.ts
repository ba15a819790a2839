import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor } from '../helpers/challenges.ts';
import { challengeInJudging } from '../helpers/judging.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('judging: the ranking staff see', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('shows raw and calibrated ranks side by side with intervals, agreement and each judge’s leniency', async () => {
    const challenge = await challengeInJudging(app, { ideas: 4, judges: 3, perIdea: 3 });
    const [fair, lenient, harsh] = challenge.judges.map((judge) => actorFor(judge, ['staff']));
    // Impact (weight 2) and Feasibility (weight 1), both 1–5. The ideas' true order is 1 > 2 > 3 > 4.
    const truth = [
      [5, 4],
      [4, 4],
      [3, 3],
      [2, 2],
    ];
    const shift = (value: number, by: number) => Math.max(1, Math.min(5, value + by));
    for (const [n, ideaId] of challenge.ideaIds.entries()) {
      const [impact, feasibility] = truth[n]!;
      for (const [judge, by] of [
        [fair!, 0],
        [lenient!, 1],
        [harsh!, -1],
      ] as const) {
        await app.services.scorecards.save(judge, challenge.id, ideaId, {
          criteria: [
            { score: shift(impact!, by), comment: '' },
            { score: shift(feasibility!, by), comment: '' },
          ],
          comment: '',
          privateNote: '',
          submit: true,
        });
      }
    }
    const staff = await signedInClient(app.url, await createUser({ roles: ['staff'], name: 'Sam Staff' }));
    const page = await staff.get(`/challenges/${challenge.id}/judging/results`);
    assert.equal(page.status, 200);
    assert.match(page.body_, /12 of 12 scorecards submitted/);
    assert.match(page.body_, new RegExp(`<a href="/challenges/${challenge.id}/judging">← Judging: `), 'staff go back to the judging page');
    const rows = [...page.body_.matchAll(/<tr data-idea="([0-9a-f]{24})">[\s\S]*?<\/tr>/g)];
    assert.deepEqual(
      rows.map((row) => row[1]),
      challenge.ideaIds,
      'best first, in the true order',
    );
    assert.match(rows[0]![0], /<td data-label="Rank">1st<\/td>/);
    assert.match(rows[0]![0], /between 1st and \dth|1st for sure|between 1st and 2nd/);
    assert.match(page.body_, /Krippendorff’s alpha 0\.\d\d/);
    // Above the statistics, in plain words: the lenient and the harsh judge are named.
    const summary = page.body_.match(/<section class="summary"[\s\S]*?<\/section>/)?.[0] ?? '';
    assert.match(summary, /The judges (agree well|mostly agree|disagree)/);
    assert.match(summary, /Judge B scores about \d+ points out of 100 higher than the others/);

    const { judges } = await app.services.results.ranking(actorFor(await createUser({ roles: ['staff'] }), ['staff']), challenge.id);
    const leniencyOf = (id: string) => judges.find((judge) => judge.judgeId === id)!.leniency;
    assert.ok(leniencyOf(lenient!.id) > leniencyOf(fair!.id), 'the lenient judge is fitted as lenient');
    assert.ok(leniencyOf(harsh!.id) < leniencyOf(fair!.id), 'the harsh judge as harsh');
  });

  it('blends the crowd in at the share staff chose, and shows the ranking only to staff and copilots', async () => {
    const copilot = await createUser({ name: 'Cora Copilot' });
    const challenge = await challengeInJudging(app, { ideas: 2, judges: 2, perIdea: 2, form: { copilots: copilot.email } });
    await app.services.judging.configure(challenge.staff, challenge.id, { mode: 'k', perIdea: 2, blind: false, crowdWeight: 0.3 });
    const copilotPage = await (await signedInClient(app.url, copilot)).get(`/challenges/${challenge.id}/judging/results`);
    assert.equal(copilotPage.status, 200);
    assert.match(copilotPage.body_, /30 % of the final rank comes from the crowd/);
    assert.match(copilotPage.body_, /Final rank/);
    // A copilot has no judging page (it answers them 403): the way back is the challenge's own page.
    assert.doesNotMatch(copilotPage.body_, new RegExp(`href="/challenges/${challenge.id}/judging"`));
    assert.match(copilotPage.body_, new RegExp(`<a href="/challenges/${challenge.id}">← `));
    assert.equal((await (await signedInClient(app.url, copilot)).get(`/challenges/${challenge.id}/judging`)).status, 403);
    const member = await signedInClient(app.url, await createUser());
    assert.equal((await member.get(`/challenges/${challenge.id}/judging/results`)).status, 403);
  });
});
