import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditEntry } from '../../src/features/audit/audit.model.ts';
import { Followers, followersId } from '../../src/features/community/follow.model.ts';
import { votedIdeas } from '../../src/features/community/ballots.ts';
import { budgetId, Vote, VoteBudget, voteId } from '../../src/features/community/vote.model.ts';
import { Merge } from '../../src/features/curation/merge.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { Notification } from '../../src/features/notifications/notification.model.ts';
import type { Actor } from '../../src/shared/actor.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { eventually } from '../helpers/eventually.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

type Person = { id: string; email: string; password: string; name: string; actor: Actor; client: TestClient };

describe('curation: merging duplicates and unmerging them', () => {
  let app: TestApp;
  let copilot: Person;
  let dana: Person; // writes the duplicate
  let tom: Person; // writes the target
  let bo: Person; // votes for both
  let olive: Person; // votes for the duplicate only, and follows it
  let tim: Person; // votes for the target only
  let member: Person; // no role in the challenges

  async function person(name: string): Promise<Person> {
    const user = await createUser({ name });
    return { ...user, actor: actorFor(user), client: await signedInClient(app.url, user) };
  }

  before(async () => {
    app = await startTestApp();
    [copilot, dana, tom, bo, olive, tim, member] = (await Promise.all(['Cora Copilot', 'Dana Dup', 'Tom Target', 'Bo Both', 'Olive Only', 'Tim Tee', 'Mo Member'].map(person))) as [
      Person,
      Person,
      Person,
      Person,
      Person,
      Person,
      Person,
    ];
  });
  after(() => app.close());

  const curation = (challengeId: string) => `/challenges/${challengeId}/curation`;
  const mergePath = (challengeId: string, ideaId: string) => `${curation(challengeId)}/ideas/${ideaId}/merge`;
  const unmergePath = (challengeId: string, ideaId: string) => `${curation(challengeId)}/ideas/${ideaId}/unmerge`;

  async function approvedIdea(challenge: { id: string; staff: Actor }, author: Person, title: string) {
    const created = await author.client.submit(`/challenges/${challenge.id}/ideas/new`, `/challenges/${challenge.id}/ideas`, ideaForm({ title }));
    assert.equal(created.status, 303);
    const ideaId = (created.headers.get('location') ?? '').split('/')[2]!;
    await approveIdea(app, challenge.staff, challenge.id, ideaId);
    // Authors follow their idea once the submission event is handled: wait, so snapshots hold still.
    await eventually(async () => (await followerIdsOf(ideaId)).includes(author.id), 'the author following their idea');
    return ideaId;
  }

  /** A challenge with a duplicate by Dana and a target by Tom, voted on, followed and discussed. */
  async function duplicatePair() {
    const challenge = await createChallenge(app, { phase: 'open', form: { copilots: copilot.email } });
    const duplicateId = await approvedIdea(challenge, dana, 'Onboarding tips by email');
    const targetId = await approvedIdea(challenge, tom, 'A guided first week');
    const { votes, follows, comments } = app.services;
    await votes.castVote(bo.actor, duplicateId);
    await votes.castVote(bo.actor, targetId);
    await votes.castVote(olive.actor, duplicateId);
    await votes.castVote(tim.actor, targetId);
    await votes.castVote(tom.actor, duplicateId); // the target's author: must not end up voting for his own idea
    await follows.followTarget(olive.actor, 'idea', duplicateId);
    await comments.addComment(olive.actor, duplicateId, { body: 'Send the **first tip** on day one, please.' });
    return { challengeId: challenge.id, staff: challenge.staff, duplicateId, targetId };
  }

  async function followerIdsOf(ideaId: string) {
    return ((await Followers.findById(followersId('idea', ideaId)).lean())?.userIds ?? []).map(String).sort();
  }

  /** Everything a merge touches, in a form deepEqual compares. */
  async function snapshot(challengeId: string, duplicateId: string, targetId: string) {
    const votes = async (ideaId: string) => (await Vote.find({ ideaId }).lean()).map((vote) => vote._id).sort();
    const [duplicate, target] = await Promise.all([Idea.findById(duplicateId).lean(), Idea.findById(targetId).lean()]);
    return {
      duplicateVotes: await votes(duplicateId),
      targetVotes: await votes(targetId),
      duplicateVoteCount: duplicate!.voteCount,
      targetVoteCount: target!.voteCount,
      duplicateFollowers: await followerIdsOf(duplicateId),
      targetFollowers: await followerIdsOf(targetId),
      targetContributors: target!.contributors.map((c) => `${String(c.userId)}:${String(c.fromIdeaId)}`),
      targetMergedFrom: target!.mergedFrom.map(String),
      duplicateStatus: duplicate!.status,
      duplicateMergedInto: duplicate!.mergedInto ? String(duplicate!.mergedInto) : null,
      targetStatus: target!.status,
      // What Olive's vote buttons in lists show: her ballot follows her votes both ways.
      oliveBallot: [...(await votedIdeas(challengeId, olive.id))].sort(),
    };
  }

  it('moves votes, followers and credit to the target on merge, and unmerge restores everything exactly', async () => {
    const { challengeId, duplicateId, targetId } = await duplicatePair();
    const before = await snapshot(challengeId, duplicateId, targetId);
    assert.equal(before.targetVoteCount, 2);

    const compare = await copilot.client.get(`${curation(challengeId)}/compare?left=${duplicateId}&right=${targetId}`);
    assert.equal(compare.status, 200);
    assert.match(compare.body_, /Onboarding tips by email/);
    assert.match(compare.body_, /A guided first week/);
    assert.match(compare.body_, /Merge left into right/);
    const merged = await copilot.client.post(mergePath(challengeId, duplicateId), { _csrf: csrfFrom(compare.body_), targetId });
    assert.equal(merged.status, 303);
    assert.equal(merged.headers.get('location'), `${curation(challengeId)}/next?after=${duplicateId}`);

    const during = await snapshot(challengeId, duplicateId, targetId);
    assert.equal(during.duplicateStatus, 'merged');
    assert.equal(during.duplicateMergedInto, targetId);
    assert.deepEqual(during.duplicateVotes, before.duplicateVotes, 'the duplicate’s own votes stay as they were');
    assert.deepEqual(during.targetVotes, [...before.targetVotes, voteId(targetId, olive.id)].sort(), 'Olive now counts on the target; Bo, who voted both, once; Tom not on his own idea');
    assert.equal(during.targetVoteCount, 3);
    assert.deepEqual(during.oliveBallot, [duplicateId, targetId].sort());
    assert.ok(during.targetFollowers.includes(olive.id) && during.targetFollowers.includes(dana.id), 'the duplicate’s followers follow the target');
    assert.deepEqual(during.targetContributors, [`${dana.id}:${duplicateId}`], 'the duplicate’s author is credited on the target');
    assert.deepEqual(during.targetMergedFrom, [duplicateId]);
    await eventually(async () => (await Notification.countDocuments({ userId: dana.id, kind: 'idea_merged', link: `/ideas/${targetId}` })) === 1, 'Dana hearing of the merge');
    assert.match((await dana.client.get('/notifications')).body_, /“Onboarding tips by email” was merged into “A guided first week”; you are credited there/);
    assert.equal(await AuditEntry.countDocuments({ action: 'idea.merged', targetId: duplicateId }), 1);

    const targetPage = await member.client.get(`/ideas/${targetId}`);
    assert.match(targetPage.body_, /Merged from/);
    assert.match(targetPage.body_, /Send the <strong>first tip<\/strong> on day one, please\./, 'the duplicate’s comments are readable on the target');
    assert.match(targetPage.body_, /Contributors: Dana Dup \(from <a href="\/ideas\/[0-9a-f]+">Onboarding tips by email<\/a>\)/);
    assert.match(targetPage.body_, /3 votes/);
    const duplicatePage = await member.client.get(`/ideas/${duplicateId}`);
    assert.match(duplicatePage.body_, new RegExp(`Merged into <a href="/ideas/${targetId}">A guided first week</a>`));
    assert.doesNotMatch(duplicatePage.body_, /Unmerge/, 'only the copilots may unmerge');
    assert.match((await copilot.client.get(`/ideas/${duplicateId}`)).body_, new RegExp(`action="${unmergePath(challengeId, duplicateId)}"`));

    // Changes people make by themselves after the merge are theirs: unmerge leaves them.
    const nia = await person('Nia New');
    await app.services.votes.castVote(nia.actor, targetId);
    const unmerged = await copilot.client.submit(`/ideas/${duplicateId}`, unmergePath(challengeId, duplicateId), {});
    assert.equal(unmerged.status, 303);
    assert.equal(unmerged.headers.get('location'), `/ideas/${duplicateId}`);
    assert.ok(await Vote.exists({ _id: voteId(targetId, nia.id) }), 'a vote cast on the target after the merge stays');
    await app.services.votes.withdrawVote(nia.actor, targetId);

    assert.deepEqual(await snapshot(challengeId, duplicateId, targetId), before);
    assert.equal(await Merge.countDocuments({ _id: duplicateId }), 0);
    assert.equal(await AuditEntry.countDocuments({ action: 'idea.unmerged', targetId: duplicateId }), 1);
    await eventually(async () => /“Onboarding tips by email” was unmerged: it stands on its own again/.test((await dana.client.get('/notifications')).body_), 'Dana hearing of the unmerge');
    const restoredTarget = await member.client.get(`/ideas/${targetId}`);
    assert.doesNotMatch(restoredTarget.body_, /Merged from|Contributors:/);
  });

  it('refuses to merge an idea into itself, into another challenge’s idea, or into an idea merged elsewhere, changing nothing', async () => {
    const { challengeId, staff, duplicateId, targetId } = await duplicatePair();
    const otherChallenge = await createChallenge(app, { phase: 'open', form: { copilots: copilot.email } });
    const elsewhere = await approvedIdea(otherChallenge, tom, 'A guided first week, elsewhere');
    const third = await approvedIdea({ id: challengeId, staff }, tom, 'Welcome call in week one');
    await app.services.merges.merge(copilot.actor, challengeId, third, targetId);
    const before = await snapshot(challengeId, duplicateId, targetId);
    const token = csrfFrom((await copilot.client.get(`/ideas/${duplicateId}`)).body_);

    const cases: Array<[string, number, RegExp]> = [
      [duplicateId, 400, /An idea cannot be merged into itself/],
      [elsewhere, 400, /That idea belongs to another challenge: ideas merge only within one challenge/],
      [third, 409, /“Welcome call in week one” is itself merged into “A guided first week”: merge into that idea instead/],
    ];
    for (const [target, status, message] of cases) {
      const refused = await copilot.client.post(mergePath(challengeId, duplicateId), { _csrf: token, targetId: target });
      assert.equal(refused.status, status, String(message));
      assert.match(refused.body_, message);
    }
    assert.deepEqual(await snapshot(challengeId, duplicateId, targetId), before);
    assert.equal(await Merge.countDocuments({ _id: duplicateId }), 0);

    // A duplicate merged already is not merged a second time elsewhere.
    await app.services.merges.unmerge(copilot.actor, challengeId, third);
    await app.services.merges.merge(copilot.actor, challengeId, duplicateId, targetId);
    const merged = await snapshot(challengeId, duplicateId, targetId);
    const again = await copilot.client.post(mergePath(challengeId, duplicateId), { _csrf: token, targetId: third });
    assert.equal(again.status, 409);
    assert.match(again.body_, /“Onboarding tips by email” is already merged into “A guided first week”/);
    assert.deepEqual(await snapshot(challengeId, duplicateId, targetId), merged);
  });

  it('makes one merge of two copilots merging the same idea at once', async () => {
    const { challengeId, duplicateId, targetId } = await duplicatePair();
    const token = csrfFrom((await copilot.client.get(`/ideas/${duplicateId}`)).body_);
    const statuses = await Promise.all([0, 1].map(() => copilot.client.post(mergePath(challengeId, duplicateId), { _csrf: token, targetId }).then((response) => response.status)));
    assert.deepEqual(statuses.sort(), [303, 409]);
    assert.equal((await Idea.findById(targetId).lean())?.voteCount, 3);
    assert.equal(await Vote.countDocuments({ ideaId: targetId }), 3);
    assert.equal((await Idea.findById(targetId).lean())?.contributors.length, 1);
  });

  it('refuses to unmerge once the target was removed or merged elsewhere, with a clear message, losing nothing', async () => {
    const { challengeId, staff, duplicateId, targetId } = await duplicatePair();
    await app.services.merges.merge(copilot.actor, challengeId, duplicateId, targetId);
    // Removed through the database: the moderation feature's own removal is being built alongside.
    await Idea.updateOne({ _id: targetId }, { $set: { hidden: { cause: 'removed', reason: 'Against the terms', at: new Date(), byName: 'Stella Staff' } } });
    const before = await snapshot(challengeId, duplicateId, targetId);
    const refused = await copilot.client.submit(`/ideas/${duplicateId}`, unmergePath(challengeId, duplicateId), {});
    assert.equal(refused.status, 409);
    assert.match(refused.body_, /“A guided first week”, which “Onboarding tips by email” was merged into, has since been removed, so the merge cannot be undone now\. Nothing was changed/);
    assert.deepEqual(await snapshot(challengeId, duplicateId, targetId), before);
    assert.equal(await Merge.countDocuments({ _id: duplicateId }), 1, 'the record of the merge is kept for when the target is restored');

    await Idea.updateOne({ _id: targetId }, { $set: { hidden: null } });
    const onwards = await approvedIdea({ id: challengeId, staff }, tim, 'Week-one concierge');
    await app.services.merges.merge(copilot.actor, challengeId, targetId, onwards);
    const chained = await snapshot(challengeId, duplicateId, targetId);
    const blocked = await copilot.client.submit(`/ideas/${duplicateId}`, unmergePath(challengeId, duplicateId), {});
    assert.equal(blocked.status, 409);
    assert.match(blocked.body_, /has since been merged into “Week-one concierge”\. Unmerge “A guided first week” first\. Nothing was changed/);
    assert.deepEqual(await snapshot(challengeId, duplicateId, targetId), chained);
  });

  it('answers 403 to a member who is not a copilot, on merge, unmerge and compare', async () => {
    const { challengeId, duplicateId, targetId } = await duplicatePair();
    const before = await snapshot(challengeId, duplicateId, targetId);
    const token = csrfFrom((await member.client.get(`/ideas/${duplicateId}`)).body_);
    const merge = await member.client.post(mergePath(challengeId, duplicateId), { _csrf: token, targetId });
    assert.equal(merge.status, 403);
    assert.match(merge.body_, /Only this challenge’s copilots and staff can curate it/);
    assert.deepEqual(await snapshot(challengeId, duplicateId, targetId), before);

    await app.services.merges.merge(copilot.actor, challengeId, duplicateId, targetId);
    const merged = await snapshot(challengeId, duplicateId, targetId);
    assert.equal((await member.client.post(unmergePath(challengeId, duplicateId), { _csrf: token })).status, 403);
    assert.deepEqual(await snapshot(challengeId, duplicateId, targetId), merged);
    assert.equal((await member.client.get(`${curation(challengeId)}/compare?left=${duplicateId}&right=${targetId}`)).status, 403);
    assert.equal((await dana.client.get(`${curation(challengeId)}/compare?left=${duplicateId}&right=${targetId}`)).status, 403, 'nor its author');
  });
  it('gives back no budget for a vote the merge moved: the vote on the duplicate still holds it', async () => {
    const challenge = await createChallenge(app, { phase: 'open', form: { copilots: copilot.email, voteBudget: '1' } });
    const duplicateId = await approvedIdea(challenge, dana, 'Budgeted duplicate');
    const targetId = await approvedIdea(challenge, tom, 'Budgeted target');
    await app.services.votes.castVote(olive.actor, duplicateId);
    const used = async () => (await VoteBudget.findById(budgetId(challenge.id, olive.id)).lean())?.used;
    assert.equal(await used(), 1);
    const merged = await copilot.client.submit(`${curation(challenge.id)}/ideas/${duplicateId}`, mergePath(challenge.id, duplicateId), { targetId });
    assert.equal(merged.status, 303);
    assert.ok(await Vote.exists({ _id: voteId(targetId, olive.id) }), 'her vote moved to the target');
    await app.services.votes.withdrawVote(olive.actor, targetId);
    assert.equal(await used(), 1, 'withdrawing the moved vote frees nothing: her budget of 1 is still taken by the duplicate’s vote');
  });
  it('keeps votes exact through chained merges: A and B into C, then B unmerged, leaves C with the votes of A', async () => {
    const challenge = await createChallenge(app, { phase: 'open', form: { copilots: copilot.email } });
    const [a, b, c] = [await approvedIdea(challenge, dana, 'Chain A'), await approvedIdea(challenge, olive, 'Chain B'), await approvedIdea(challenge, tom, 'Chain C')];
    const u1 = await person('Una One');
    const u2 = await person('Udo Two');
    const u3 = await person('Uli Three');
    for (const [voter, idea] of [
      [u1, a],
      [u2, a],
      [u2, b],
      [u3, b],
    ] as const)
      await app.services.votes.castVote(voter.actor, idea);
    const { merges } = app.services;
    await merges.merge(copilot.actor, challenge.id, a, c);
    await merges.merge(copilot.actor, challenge.id, b, c);
    const votersOf = async (ideaId: string) => (await Vote.find({ ideaId }).lean()).map((vote) => String(vote.userId)).sort();
    assert.deepEqual(await votersOf(c), [u1.id, u2.id, u3.id].sort());
    assert.equal((await Idea.findById(c).lean())?.voteCount, 3);
    await merges.unmerge(copilot.actor, challenge.id, b);
    assert.deepEqual(await votersOf(c), [u1.id, u2.id].sort(), 'u2 voted for A too, so C keeps their vote');
    assert.equal((await Idea.findById(c).lean())?.voteCount, 2);
  });

  it('counts a merged idea in its target: the challenge list and the page agree, and the list marks it', async () => {
    const { challengeId, duplicateId, targetId } = await duplicatePair();
    await app.services.merges.merge(copilot.actor, challengeId, duplicateId, targetId);
    const visitor = new TestClient(app.url);
    const page = await visitor.get(`/challenges/${challengeId}`);
    assert.match(page.body_, /<h2 id="ideas-title">Ideas \(1\)<\/h2>/);
    assert.match(page.body_, /Onboarding tips by email<\/a> <span class="badge badge--status-merged">Merged into another idea<\/span>/);
    const list = await visitor.get('/challenges');
    assert.match(list.body_, new RegExp(`href="/challenges/${challengeId}"[\\s\\S]*?1 idea<`), 'the list counts what the page counts');
  });
});
