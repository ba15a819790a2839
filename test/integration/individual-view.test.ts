import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { User } from '../../src/features/accounts/user.model.ts';
import { AuditEntry } from '../../src/features/audit/audit.model.ts';
import { BacklogItem } from '../../src/features/backlogs/backlog.model.ts';
import { Vote, voteId } from '../../src/features/community/vote.model.ts';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { ActivityBucket, activityBucketId, activityBucketIds, IndividualActivity } from '../../src/features/insights/individual-activity.model.ts';
import { activityOf, moveOldIndexes, rebuildActivity } from '../../src/features/insights/individual-activity.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { eventually } from '../helpers/eventually.ts';
import type { TestClient } from '../helpers/http.ts';
import { challengeInJudging, type JudgedChallenge } from '../helpers/judging.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

const TOKYO = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' });
const viewsOf = (targetId: string) => AuditEntry.countDocuments({ action: 'person.viewed', targetId });
const indexOf = activityOf;

describe('the individual view: a person’s ideas, their path to shipped, their activity and notifications', () => {
  let app: TestApp;
  let staffUser: Awaited<ReturnType<typeof createUser>>;
  let staff: TestClient;
  let challenge: JudgedChallenge;
  let memberClient: TestClient;
  let itemId: string;

  before(async () => {
    app = await startTestApp();
    staffUser = await createUser({ roles: ['staff'], name: 'Sam Staff' });
    // Dates on the page are in the viewer's time zone.
    await User.updateOne({ _id: staffUser.id }, { $set: { timezone: 'Asia/Tokyo' } });
    staff = await signedInClient(app.url, staffUser);

    // Author 1 (the member) writes idea 1, which goes all the way to shipped; they vote, comment and compare on the others.
    challenge = await challengeInJudging(app, { ideas: 3, judges: 1, perIdea: 1 });
    const member = challenge.authors[0]!;
    await User.updateOne({ _id: member.id }, { $set: { 'profile.segment': 'Retail', 'profile.region': 'Nordics', 'profile.customerTier': 'premium' } });
    const [mine, second, third] = challenge.ideaIds as [string, string, string];
    const { challenges, votes, comments, comparisons, backlogItems } = app.services;
    await challenges.movePhase(challenge.staff, challenge.id, 'curation', 'back for the crowd');
    const me = actorFor(member);
    await votes.castVote(me, second);
    await votes.castVote(me, third);
    await votes.withdrawVote(me, third);
    await comments.addComment(me, second, { body: 'This would save our warehouse team an hour a day.' });
    await comparisons.answer(me, challenge.id, { leftId: second, rightId: third, choice: 'left' });

    const staffActor = actorFor(staffUser, ['staff']);
    ({
      item: { id: itemId },
    } = await backlogItems.promote(staffActor, mine, 'product'));
    const notes: Record<string, string> = { accepted: 'Fits the roadmap.', planned: 'Slated for Q3.', 'in-progress': 'Two engineers on it.', shipped: 'Live for every customer since Monday.' };
    for (const [to, note] of Object.entries(notes)) await backlogItems.move({ actor: staffActor, via: 'web' }, itemId, to as 'accepted', note);

    await eventually(async () => {
      const index = await indexOf(member.id);
      return index.votes.length === 1 && index.comments.length === 1 && index.comparisons.length === 1;
    }, 'the member’s activity indexed');
    memberClient = await signedInClient(app.url, member);
  });
  after(() => app.close());

  it('shows staff the whole person: profile, the idea’s path to shipped with its notes, comments, votes, comparisons, notifications', async () => {
    const member = challenge.authors[0]!;
    const before = await viewsOf(member.id);
    const page = await staff.get(`/people/${member.id}`);
    assert.equal(page.status, 200);
    const body = page.body_;
    assert.match(body, new RegExp(member.email.replace(/\./g, '\\.')), 'staff see the email');
    assert.match(body, /data-status="active"/);
    assert.match(body, /Retail/);
    assert.match(body, /Nordics/);
    assert.match(body, /<dd>Premium<\/dd>/, 'the tier in words');
    // The idea and its full path, each backlog step with its public note.
    assert.match(body, new RegExp(`href="/ideas/${challenge.ideaIds[0]}">Shortlisted idea 1</a>`));
    assert.match(body, /In the backlog/);
    for (const text of ['Accepted', 'Planned', 'In progress', 'Fits the roadmap.', 'Slated for Q3.', 'Two engineers on it.', 'Live for every customer since Monday.'])
      assert.ok(body.includes(text), text);
    const item = await BacklogItem.findById(itemId).lean();
    const shippedAt = item!.statusHistory.find((change) => change.to === 'shipped')!.at!;
    assert.ok(body.includes(TOKYO.format(shippedAt)), 'the shipping date in the viewer’s time zone');
    // Activity: one comment, one vote (the withdrawn one is gone), one comparison.
    assert.match(body, /Comments \(1\)/);
    assert.match(body, /This would save our warehouse team an hour a day\./);
    assert.match(body, /Votes \(1\)/);
    assert.match(body, new RegExp(`Votes \\(1\\)</h2>[\\s\\S]*href="/ideas/${challenge.ideaIds[1]}">Shortlisted idea 2</a>`));
    assert.match(body, /Comparisons \(1\)/);
    assert.match(body, /preferred <a href="\/ideas\/[0-9a-f]+">Shortlisted idea 2<\/a> of/);
    // The notifications sent: the backlog updates about their idea.
    assert.match(body, /Notifications sent \(([1-9]\d*)\)/);
    assert.match(body, /Live for every customer since Monday/);
    assert.equal(await viewsOf(member.id), before + 1, 'the view is audited');
    const entry = await AuditEntry.findOne({ action: 'person.viewed', targetId: member.id }).sort({ _id: -1 }).lean();
    assert.equal(entry?.actorName, 'Sam Staff');
    assert.equal(entry?.targetLabel, member.email);
    await staff.get(`/people/${member.id}`);
    assert.equal(await viewsOf(member.id), before + 2, 'every opening is audited');
  });

  it('shows a member their own page as My activity, unaudited, and refuses them anyone else’s', async () => {
    const member = challenge.authors[0]!;
    const before = await viewsOf(member.id);
    const mine = await memberClient.get('/my/activity');
    assert.equal(mine.status, 200);
    assert.match(mine.body_, /<h1>My activity<\/h1>/);
    assert.match(mine.body_, /Live for every customer since Monday\./);
    assert.match(mine.body_, /This would save our warehouse team an hour a day\./);
    assert.equal((await memberClient.get(`/people/${member.id}`)).status, 200, 'their own page by its address');
    assert.equal(await viewsOf(member.id), before, 'a person reading their own page is not audited');

    const other = challenge.authors[1]!;
    const refused = await memberClient.get(`/people/${other.id}`);
    assert.equal(refused.status, 403);
    assert.doesNotMatch(refused.body_, /Shortlisted idea 2<\/a>/);
    assert.equal(await viewsOf(other.id), 0);

    const account = await memberClient.get('/account');
    assert.match(account.body_, /href="\/my\/activity"/);
  });

  it('shows a suspended person as suspended, and audits the view', async () => {
    const admin = await createUser({ roles: ['admin'], name: 'Ada Admin' });
    const suspended = challenge.authors[1]!;
    await app.services.adminUsers.setSuspended(actorFor(admin, ['admin']), suspended.id, true, 'Spam');
    const page = await staff.get(`/people/${suspended.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body_, /data-status="suspended"/);
    assert.match(page.body_, /Suspended/);
    assert.match(page.body_, /Spam/);
    assert.match(page.body_, /Shortlisted idea 2/);
    const entry = await AuditEntry.findOne({ action: 'person.viewed', targetId: suspended.id }).lean();
    assert.deepEqual(entry?.after, { status: 'suspended' });

    const adminPage = await (await signedInClient(app.url, admin)).get(`/admin/users/${suspended.id}`);
    assert.match(adminPage.body_, new RegExp(`href="/people/${suspended.id}"`), 'the admin user page links to the person');
  });

  it('shows what remains of a deleted person’s ideas under “a former member”, and audits the view', async () => {
    const gone = challenge.authors[2]!;
    await User.deleteOne({ _id: gone.id });
    const page = await staff.get(`/people/${gone.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body_, /<h1>a former member<\/h1>/);
    assert.match(page.body_, /data-status="deleted"/);
    assert.match(page.body_, new RegExp(`href="/ideas/${challenge.ideaIds[2]}">Shortlisted idea 3</a>`));
    const entry = await AuditEntry.findOne({ action: 'person.viewed', targetId: gone.id }).lean();
    assert.equal(entry?.targetLabel, 'a former member');
    assert.deepEqual(entry?.after, { status: 'deleted' });

    const nobody = await staff.get('/people/0123456789abcdef01234567');
    assert.equal(nobody.status, 404, 'an id that never was anyone');
  });

  it('indexes every vote of a person voting on many ideas at once, and none they withdrew meanwhile', async () => {
    const open = await createChallenge(app, { phase: 'open' });
    const author = actorFor(await createUser());
    const ideaIds: string[] = [];
    for (let index = 0; index < 8; index++) {
      const body = ideaForm({ title: `Burst idea ${index}` });
      const { ideaId } = await app.services.ideas.createIdea(author, open.id, ideaInput.parse(body), body);
      await approveIdea(app, open.staff, open.id, ideaId);
      ideaIds.push(ideaId);
    }
    const voter = actorFor(await createUser());
    await Promise.all(ideaIds.map((ideaId) => app.services.votes.castVote(voter, ideaId)));
    await app.services.votes.withdrawVote(voter, ideaIds[0]!);
    const expected = JSON.stringify(ideaIds.slice(1).sort());
    // The activity index is an outbox consumer: it catches up after the requests have answered.
    await eventually(async () => JSON.stringify((await indexOf(voter.id)).votes.map((entry) => entry.ideaId).sort()) === expected, 'the seven votes indexed, the withdrawn one not');
  });

  it('reads an index stored before buckets, then moves it into them, where a withdrawal takes its vote out', async () => {
    const open = await createChallenge(app, { phase: 'open' });
    const author = actorFor(await createUser());
    const ideaIds: string[] = [];
    for (let index = 0; index < 3; index++) {
      const body = ideaForm({ title: `Older index idea ${index}` });
      const { ideaId } = await app.services.ideas.createIdea(author, open.id, ideaInput.parse(body), body);
      await approveIdea(app, open.staff, open.id, ideaId);
      ideaIds.push(ideaId);
    }
    const voter = actorFor(await createUser());
    const votedFor = async () => (await indexOf(voter.id)).votes.map((entry) => entry.ideaId).sort();
    for (const ideaId of ideaIds.slice(0, 2)) await app.services.votes.castVote(voter, ideaId);
    await eventually(async () => (await votedFor()).length === 2, 'both votes indexed');
    // As an older version stored it: one document per person, no buckets.
    const { votes } = await indexOf(voter.id);
    for (const id of activityBucketIds(voter.id)) await ActivityBucket.deleteOne({ _id: id });
    await IndividualActivity.create({ _id: voter.id, votes });
    assert.deepEqual(await votedFor(), ideaIds.slice(0, 2).sort(), 'read as it was stored');
    assert.ok((await moveOldIndexes()) >= 1);
    assert.equal(await IndividualActivity.countDocuments({ _id: voter.id }), 0, 'moved');
    assert.deepEqual(await votedFor(), ideaIds.slice(0, 2).sort(), 'read from the buckets');
    await app.services.votes.withdrawVote(voter, ideaIds[0]!);
    await app.services.votes.castVote(voter, ideaIds[2]!);
    await eventually(async () => JSON.stringify(await votedFor()) === JSON.stringify(ideaIds.slice(1).sort()), 'the withdrawn vote out, the new one in');
  });

  it('rebuilds every person’s index from the votes, comment threads and comparisons exactly as the events built it', async () => {
    // A merge copies the duplicate's votes onto the target: not the voter's own act, so neither index lists it.
    const open = await createChallenge(app, { phase: 'open' });
    const [dana, tom, voter] = await Promise.all(['Dana Dup', 'Tom Target', 'Vera Voter'].map((name) => createUser({ name })));
    const ideaIds: string[] = [];
    for (const [author, title] of [
      [dana!, 'Onboarding tips by email'],
      [tom!, 'A guided first week'],
    ] as const) {
      const body = ideaForm({ title });
      const { ideaId } = await app.services.ideas.createIdea(actorFor(author), open.id, ideaInput.parse(body), body);
      await approveIdea(app, open.staff, open.id, ideaId);
      ideaIds.push(ideaId);
    }
    const [duplicateId, targetId] = ideaIds as [string, string];
    await app.services.votes.castVote(actorFor(voter!), duplicateId);
    await app.services.merges.merge(open.staff, open.id, duplicateId, targetId);
    assert.equal(await Vote.countDocuments({ _id: voteId(targetId, voter!.id), viaMergeOf: duplicateId }), 1);
    await eventually(async () => (await indexOf(voter!.id)).votes.length === 1, 'the voter’s vote indexed');

    const strip = (doc: Record<string, unknown>) => ({ _id: doc._id, entries: doc.entries });
    const incremental = (await ActivityBucket.find({}).sort({ _id: 1 }).lean()).map(strip);
    const people = new Set(incremental.map((bucket) => String(bucket._id).split(':')[0]));
    assert.ok(people.size >= 1);
    // A stale index (a lost event, a restored backup, an index from before buckets) is put right.
    const member = challenge.authors[0]!.id;
    const [secondIdea, thirdIdea] = challenge.ideaIds.slice(1) as [string, string];
    await ActivityBucket.updateOne({ _id: activityBucketId(member, 'vote', voteId(secondIdea, member)) }, { $set: { entries: [] } });
    await ActivityBucket.create({ _id: activityBucketId(staffUser.id, 'vote', 'x:y'), entries: [{ type: 'vote', ref: 'x:y', ideaId: 'x', challengeId: 'y', at: new Date() }] });
    await IndividualActivity.create({ _id: member, votes: [{ type: 'vote', ref: voteId(thirdIdea, member), ideaId: thirdIdea, challengeId: challenge.id, at: new Date() }] });
    const rebuilt = await rebuildActivity();
    assert.equal(rebuilt.people, people.size);
    assert.deepEqual((await ActivityBucket.find({}).sort({ _id: 1 }).lean()).map(strip), incremental);
    assert.equal(await IndividualActivity.countDocuments(), 0, 'the index from before buckets is gone');
  });
});
