import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { twoTestApps, type TestApp } from '../helpers/app.ts';
import { actorFor } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import { TestClient } from '../helpers/http.ts';
import { challengeInJudging } from '../helpers/judging.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/** `app` reads the change log until `check` holds: a round of its tail already under way may have read the log's head before the write. */
const heard = (app: TestApp, check: () => Promise<boolean>, what: string) =>
  eventually(async () => {
    await app.readModelSync.catchUp();
    return check();
  }, what);

/** The ranking page and the backlog board read no setup or backlog per request: what they keep must follow every write. */
describe('the ranking page and the backlog board stay current, here and on another process', () => {
  const apps = twoTestApps({ before, after });
  const submit = (app: typeof apps.first, judge: ReturnType<typeof actorFor>, challengeId: string, ideaId: string) =>
    app.services.scorecards.save(judge, challengeId, ideaId, {
      criteria: [
        { score: 4, comment: '' },
        { score: 3, comment: '' },
      ],
      comment: '',
      privateNote: '',
      submit: true,
    });

  it('counts a scorecard submitted here at once, and one submitted on another process once the change log arrives', async () => {
    const challenge = await challengeInJudging(apps.first, { ideas: 2, judges: 1, perIdea: 1 });
    const judge = actorFor(challenge.judges[0]!, ['staff']);
    const staff = await createUser({ roles: ['staff'], name: 'Sam Staff' });
    const here = await signedInClient(apps.first.url, staff);
    const there = await signedInClient(apps.second.url, staff);
    const path = `/challenges/${challenge.id}/judging/results`;
    for (const client of [here, there]) assert.match((await client.get(path)).body_, /0 of 2 scorecards submitted/);

    await submit(apps.first, judge, challenge.id, challenge.ideaIds[0]!);
    assert.match((await here.get(path)).body_, /1 of 2 scorecards submitted/, 'the process that took it shows it at once');
    await heard(apps.second, async () => /1 of 2 scorecards submitted/.test((await there.get(path)).body_), 'the other process, through the change log');

    // And the other way round, with the setup itself changed there: the crowd's share.
    await submit(apps.second, judge, challenge.id, challenge.ideaIds[1]!);
    await apps.second.services.judging.configure(challenge.staff, challenge.id, { mode: 'k', perIdea: 1, blind: false, crowdWeight: 0.2 });
    await heard(
      apps.first,
      async () => {
        const page = (await here.get(path)).body_;
        return /2 of 2 scorecards submitted/.test(page) && /20 % of the final rank comes from the crowd/.test(page);
      },
      'the scorecard and the crowd’s share set on the other process',
    );
  });

  it('drops an idea staff take off the frozen shortlist from the ranking, here at once and on another process', async () => {
    const challenge = await challengeInJudging(apps.first, { ideas: 2, judges: 1, perIdea: 1 });
    const staff = await createUser({ roles: ['staff'], name: 'Sam Staff' });
    const here = await signedInClient(apps.first.url, staff);
    const there = await signedInClient(apps.second.url, staff);
    const path = `/challenges/${challenge.id}/judging/results`;
    await submit(apps.first, actorFor(challenge.judges[0]!, ['staff']), challenge.id, challenge.ideaIds[1]!);
    for (const client of [here, there]) {
      await heard(client === here ? apps.first : apps.second, async () => /1 of 2 scorecards submitted/.test((await client.get(path)).body_), 'the scorecard');
      assert.match((await client.get(path)).body_, /Shortlisted idea 2/);
    }

    // No scorecard and no setup changes: only the idea's status moves. Its scorecard stays stored, out of the ranking.
    await apps.first.services.shortlist.remove(challenge.staff, challenge.id, challenge.ideaIds[1]!, 'The author withdrew it');
    const page = (await here.get(path)).body_;
    assert.doesNotMatch(page, /Shortlisted idea 2/, 'the process that took it off shows it at once');
    assert.match(page, /0 of 1 scorecards submitted/, 'its assignment counts in no progress');
    assert.equal((await Idea.findById(challenge.ideaIds[1]).lean())?.status, 'not-shortlisted', 'scored, then taken off: it has its outcome');
    // The judge's own page follows from the outbox: the idea leaves the judges' plan.
    const judge = await signedInClient(apps.second.url, challenge.judges[0]!);
    await eventually(async () => {
      const dashboard = (await judge.get(`/challenges/${challenge.id}/judging`)).body_;
      return !dashboard.includes('Shortlisted idea 2') && dashboard.includes('Shortlisted idea 1');
    }, 'the judge is no longer asked to score it');
    await heard(apps.second, async () => !/Shortlisted idea 2/.test((await there.get(path)).body_), 'the other process, through the change log');
    assert.match((await there.get(path)).body_, /Shortlisted idea 1/);
  });

  it('still refuses the ranking to a member and to a visitor once staff have had it read', async () => {
    const challenge = await challengeInJudging(apps.first, { ideas: 1, judges: 1, perIdea: 1 });
    const path = `/challenges/${challenge.id}/judging/results`;
    assert.equal((await (await signedInClient(apps.first.url, await createUser({ roles: ['staff'] }))).get(path)).status, 200);
    assert.equal((await (await signedInClient(apps.first.url, await createUser({ name: 'Mo Member' }))).get(path)).status, 403);
    assert.match((await new TestClient(apps.first.url).get(path)).headers.get('location') ?? '', /^\/sign-in/);
  });

  it('shows a board item moved on another process in its new column, and follows the owners an admin names there', async () => {
    const challenge = await challengeInJudging(apps.first, { ideas: 1, judges: 1, perIdea: 1 });
    const ownerUser = await createUser({ roles: ['staff'], name: 'Olive Owner' });
    const owner = await signedInClient(apps.second.url, ownerUser);
    const otherStaff = await signedInClient(apps.second.url, await createUser({ roles: ['staff'], name: 'Stan Staff' }));
    const admin = actorFor(await createUser({ roles: ['admin', 'staff'], name: 'Ada Admin' }), ['admin', 'staff']);
    await apps.first.services.backlogs.setOwners(admin, 'marketing', [ownerUser.email]);
    const { item } = await apps.first.services.backlogItems.promote(challenge.staff, challenge.ideaIds[0]!, 'marketing');
    await heard(
      apps.second,
      async () => {
        const board = (await owner.get('/backlogs/marketing')).body_;
        // The owner named on the other process may move items here.
        return board.includes(`data-item="${item.id}"`) && board.includes('/move"');
      },
      'the promoted item and its backlog’s owner',
    );
    const column = (html: string) => /data-column="([a-z-]+)"/.exec(html.split('<section class="board__column"').find((part) => part.includes(`data-item="${item.id}"`)) ?? '')?.[1];
    const board = (await owner.get('/backlogs/marketing')).body_;
    assert.equal(column(board), 'proposed');
    assert.doesNotMatch((await otherStaff.get('/backlogs/marketing')).body_, /\/move"/, 'staff who own nothing may not, once the backlog has owners');

    await apps.first.services.backlogItems.move({ actor: admin, via: 'web' }, item.id, 'accepted', 'Taken on');
    await apps.first.services.backlogs.setOwners(admin, 'marketing', []);
    await heard(
      apps.second,
      async () => {
        const moved = (await otherStaff.get('/backlogs/marketing')).body_;
        // With no owners left, staff move its items again; its card offers the moves from its new status.
        return column(moved) === 'accepted' && moved.includes(`data-item="${item.id}" data-moves="planned declined proposed "`);
      },
      'the move and the owners set on the other process',
    );
    assert.equal((await (await signedInClient(apps.second.url, await createUser({ name: 'Mo Member' }))).get('/backlogs/marketing')).status, 403);
  });
});
