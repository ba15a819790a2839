import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditEntry } from '../../src/features/audit/audit.model.ts';
import { BacklogItem, Promotion } from '../../src/features/backlogs/backlog.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { Notification } from '../../src/features/notifications/notification.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { challengeInJudging } from '../helpers/judging.ts';
import { createUser, signedInClient } from '../helpers/users.ts';
import { countNotices, noticesOf } from '../helpers/notices.ts';

describe('backlogs: promotion, the status workflow, outcomes and review', () => {
  let app: TestApp;
  let staff: TestClient;
  let staffUser: Awaited<ReturnType<typeof createUser>>;
  before(async () => {
    app = await startTestApp();
    staffUser = await createUser({ roles: ['staff'], name: 'Pat Product' });
    staff = await signedInClient(app.url, staffUser);
  });
  after(() => app.close());

  const move = async (itemId: string, to: string, note = '') => {
    const page = await staff.get(`/backlog-items/${itemId}`);
    return staff.post(`/backlog-items/${itemId}/move`, { _csrf: csrfFrom(page.body_), to, note });
  };

  it('promotes an idea once however often it is asked, and keeps its authors and the judges’ summary', async () => {
    const challenge = await challengeInJudging(app, { ideas: 1, judges: 1, perIdea: 1 });
    const ideaId = challenge.ideaIds[0]!;
    const page = await staff.get(`/ideas/${ideaId}`);
    assert.match(page.body_, /Promote into/);
    const token = csrfFrom(page.body_);
    const responses = await Promise.all(Array.from({ length: 6 }, () => staff.post(`/ideas/${ideaId}/promote`, { _csrf: token, backlogId: 'product' })));
    assert.deepEqual([...new Set(responses.map((response) => response.status))], [303]);
    assert.equal(await BacklogItem.countDocuments({ sourceIdeaIds: ideaId }), 1);
    assert.equal(await Promotion.countDocuments({ _id: `${ideaId}:product` }), 1);
    const item = await BacklogItem.findOne({ sourceIdeaIds: ideaId }).lean();
    assert.deepEqual(item?.contributorIds.map(String), [challenge.authors[0]!.id]);
    assert.equal(item?.status, 'proposed');
    assert.equal(item?.judging[0]?.ideaId, ideaId, 'the judges’ summary travels with it');
    const idea = await Idea.findById(ideaId).lean();
    assert.equal(idea?.status, 'promoted');
    assert.equal(idea?.promotedTo.length, 1);
    assert.equal(await AuditEntry.countDocuments({ action: 'idea.promoted', targetId: ideaId }), 1);
    await eventually(async () => (await Notification.countDocuments({ userId: challenge.authors[0]!.id, kind: 'backlog_update' })) === 1, 'the author hears of the promotion');
    assert.equal(await countNotices(challenge.authors[0]!.id, 'backlog_update', /is in the Product backlog/), 1, 'naming the backlog as people do, not by its key');
  });

  it('moves an item only as the workflow allows, with a public note the author, followers and voters read', async () => {
    const challenge = await challengeInJudging(app, { ideas: 1, judges: 1, perIdea: 1 });
    const ideaId = challenge.ideaIds[0]!;
    const voter = await createUser({ name: 'Vic Voter' });
    // The crowd votes during curation at the latest: step back to it for the vote.
    await app.services.challenges.movePhase(challenge.staff, challenge.id, 'curation', 'back for votes');
    await app.services.votes.castVote(actorFor(voter), ideaId);
    const { item } = await app.services.backlogItems.promote(actorFor(staffUser, ['staff']), ideaId, 'product');

    const skipped = await move(item.id, 'shipped', 'Done');
    assert.equal(skipped.status, 409);
    assert.match(skipped.body_, /it can move to Accepted, Declined, not Shipped/);
    for (const to of ['accepted', 'planned', 'in-progress']) assert.equal((await move(item.id, to)).status, 303, to);
    const noNote = await move(item.id, 'shipped');
    assert.equal(noNote.status, 400);
    assert.match(noNote.body_, /Say what shipped/);
    assert.match(noNote.body_, /<option value="shipped" selected>Shipped<\/option>/, 'the item’s form comes back with the move chosen, not an error page');
    assert.match(noNote.body_, /<h1>[^<]*<\/h1>/);
    assert.doesNotMatch(noNote.body_, /Go to the home page/);
    assert.equal((await move(item.id, 'shipped', 'Live for every customer since Monday.')).status, 303);
    assert.equal((await BacklogItem.findById(item.id).lean())?.status, 'shipped');
    assert.equal((await Idea.findById(ideaId).lean())?.status, 'shipped');
    assert.equal((await move(item.id, 'declined', 'Changed our mind')).status, 409, 'shipped is final');

    for (const [user, who] of [
      [challenge.authors[0]!, 'the author'],
      [voter, 'a voter'],
    ] as const) {
      await eventually(async () => (await countNotices(user.id, 'backlog_update', /Live for every customer since Monday/)) === 1, `${who} reads the shipping note`);
    }
    const outcomes = await new TestClient(app.url).get(`/challenges/${challenge.id}/outcomes`);
    assert.equal(outcomes.status, 200);
    assert.match(outcomes.body_, /<th scope="row">Shipped<\/th><td class="num">1<\/td>/, 'the ideas are counted by outcome');
    assert.doesNotMatch(outcomes.body_, /Still on their way/, 'the one idea is not counted twice');
    assert.match(outcomes.body_, /Live for every customer since Monday\./);
    assert.match(outcomes.body_, /Author 1/);
    const mine = await (await signedInClient(app.url, challenge.authors[0]!)).get('/my/ideas');
    assert.match(mine.body_, /In the Product backlog: <a href="\/backlog-items\/[0-9a-f]{24}">Shortlisted idea 1<\/a> — <strong>Shipped<\/strong>: Live for every customer/);
    assert.match(mine.body_, /Shortlisted[\s\S]*In the backlog[\s\S]*Shipped/);
  });

  it('lets the product team accept, question or decline entries on the review page', async () => {
    const challenge = await challengeInJudging(app, { ideas: 3, judges: 1, perIdea: 1 });
    const [first, second, third] = challenge.ideaIds as [string, string, string];
    const page = await staff.get(`/challenges/${challenge.id}/review`);
    assert.equal(page.status, 200);
    assert.match(page.body_, /Note on /, 'the copilots’ notes are shown');
    const token = csrfFrom(page.body_);
    assert.equal((await staff.post(`/challenges/${challenge.id}/review/${first}`, { _csrf: token, action: 'accept', text: 'We want this.' })).status, 303);
    assert.equal((await BacklogItem.findOne({ sourceIdeaIds: first }).lean())?.status, 'accepted');
    const toldFirst = async () => (await noticesOf(challenge.authors[0]!.id, 'backlog_update')).map((n) => n.text);
    await eventually(async () => (await toldFirst()).length > 0, 'the author hears of the acceptance');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(await toldFirst(), ['“Shortlisted idea 1” is now accepted: We want this.'], 'one notice for accepted into the backlog, not two');
    const accepted = await BacklogItem.findOne({ sourceIdeaIds: first }).lean();
    const reviewed = (await staff.get(`/challenges/${challenge.id}/review`)).body_;
    const entry = reviewed.slice(reviewed.indexOf(`data-review="${first}"`), reviewed.indexOf('</section>', reviewed.indexOf(`data-review="${first}"`)));
    assert.match(entry, new RegExp(`In this backlog: <a href="/backlog-items/${String(accepted!._id)}">open its item</a>`), 'the accepted entry leads to its item');
    const noReason = await staff.post(`/challenges/${challenge.id}/review/${second}`, { _csrf: token, action: 'decline', text: '' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.body_, /Say why: the authors read it\./);
    assert.equal((await staff.post(`/challenges/${challenge.id}/review/${second}`, { _csrf: token, action: 'decline', text: 'Overlaps our roadmap.' })).status, 303);
    await eventually(async () => (await countNotices(challenge.authors[1]!.id, 'backlog_update', /Overlaps our roadmap/)) === 1, 'the author reads why');
    assert.equal((await staff.post(`/challenges/${challenge.id}/review/${third}`, { _csrf: token, action: 'ask', text: 'Which customers asked for this?' })).status, 303);
    assert.match((await staff.get(`/ideas/${third}`)).body_, /Which customers asked for this\?/);
  });

  it('keeps boards and moves to staff and owners, and checks the board’s filters', async () => {
    const member = await signedInClient(app.url, await createUser({ name: 'Mo Member' }));
    for (const path of ['/backlogs', '/backlogs/product']) assert.equal((await member.get(path)).status, 403, path);
    const challenge = await challengeInJudging(app, { ideas: 1, judges: 1, perIdea: 1 });
    const { item } = await app.services.backlogItems.promote(actorFor(staffUser, ['staff']), challenge.ideaIds[0]!, 'product');
    const token = csrfFrom((await member.get('/my/ideas')).body_);
    assert.equal((await member.post(`/backlog-items/${item.id}/move`, { _csrf: token, to: 'accepted' })).status, 403);
    assert.equal((await member.post(`/ideas/${challenge.ideaIds[0]}/promote`, { _csrf: token, backlogId: 'marketing' })).status, 403);
    const board = await staff.get(`/backlogs/product?challengeId=${challenge.id}`);
    assert.equal(board.status, 200);
    assert.match(board.body_, new RegExp(`data-item="${item.id}"`));
    assert.equal((await staff.get('/backlogs/product?segment=Nobody')).status, 400);
    assert.equal((await staff.get('/backlogs/no-such-backlog')).status, 404);
  });
  it('finds an item another process wrote even when no message about it arrives', async () => {
    await staff.get('/backlogs/product'); // the board has loaded this process's items
    const written = await BacklogItem.collection.insertOne({
      backlogId: 'product',
      title: 'Written elsewhere',
      description: '',
      status: 'proposed',
      statusHistory: [],
      sourceIdeaIds: [],
      challengeIds: [],
      contributorIds: [],
      tags: [],
      judging: [],
      version: 0,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const page = await staff.get(`/backlog-items/${String(written.insertedId)}`);
    assert.equal(page.status, 200, 'read by _id on a miss, not reported missing');
    assert.match(page.body_, /Written elsewhere/);
  });
});
