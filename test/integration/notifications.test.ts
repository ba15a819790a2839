import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { eventually } from '../helpers/eventually.ts';
import { TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('follows and in-app notifications', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const inboxOf = async (client: TestClient) => (await client.get('/notifications')).body_;

  it('tells copilots and followers about a new idea, never its author, and never about a sealed idea', async () => {
    const copilot = await createUser({ name: 'Cop Ilot' });
    const { id } = await createChallenge(app, { phase: 'open', form: { title: 'Open one', copilots: copilot.email } });
    const sealed = await createChallenge(app, { phase: 'open', form: { title: 'Sealed one', copilots: copilot.email, submissionVisibility: 'sealed' } });
    const follower = await signedInClient(app.url, await createUser());
    for (const challengeId of [id, sealed.id]) {
      assert.equal((await follower.submit(`/challenges/${challengeId}`, '/follows', { type: 'challenge', id: challengeId })).status, 303);
    }
    const copilotClient = await signedInClient(app.url, copilot);
    const author = await signedInClient(app.url, await createUser());
    await author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: 'Open news' }));
    await author.submit(`/challenges/${sealed.id}/ideas/new`, `/challenges/${sealed.id}/ideas`, ideaForm({ title: 'Sealed news' }));

    await eventually(async () => /New idea in “Sealed one”: Sealed news/.test(await inboxOf(copilotClient)), 'the copilot hearing of the sealed idea');
    const copilotInbox = await inboxOf(copilotClient);
    assert.match(copilotInbox, /New idea in “Open one”: Open news/);
    await eventually(async () => /Open news/.test(await inboxOf(follower)), 'the follower hearing of the open idea');
    assert.doesNotMatch(await inboxOf(follower), /Sealed news/, 'a follower of a sealed challenge is not told of its ideas');
    assert.doesNotMatch(await inboxOf(author), /New idea/, 'the author is not told of their own idea');
  });

  it('tells followers and authors when the phase moves, with the reason, but not the person who moved it', async () => {
    const { id } = await createChallenge(app, { phase: 'open', form: { title: 'Moving one' } });
    const authorUser = await createUser();
    const author = await signedInClient(app.url, authorUser);
    await author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: 'Waiting idea' }));
    await eventually(async () => (await app.services.follows.followerIds('challenge', id)).includes(authorUser.id), 'the author following the challenge');
    const mover = await createUser({ roles: ['staff'] });
    await app.services.follows.follow(mover.id, 'challenge', id);
    await app.services.challenges.movePhase(actorFor(mover, ['staff']), id, 'curation', 'Thanks for all the ideas');
    await eventually(async () => /“Moving one” moved to Curation: Thanks for all the ideas/.test(await inboxOf(author)), 'the author hearing of the move');
    assert.doesNotMatch(await inboxOf(await signedInClient(app.url, mover)), /moved to Curation/);
  });

  it('counts unread in the header, opens one as read, marks all read, and pages older ones', async () => {
    const user = await createUser();
    const client = await signedInClient(app.url, user);
    for (let i = 1; i <= 25; i++) {
      await app.services.notifications.notify([user.id], { kind: 'phase_changed', text: `Notice number ${i}`, link: `/challenges?n=${i}` });
    }
    assert.match((await client.get('/')).body_, /Notifications <span class="nav__count">25<span/);
    const inbox = await client.get('/notifications');
    assert.match(inbox.body_, /Notice number 25/);
    assert.doesNotMatch(inbox.body_, /Notice number 5</);
    const older = inbox.body_.match(/href="\/notifications\?before=(\d+)"/)?.[1];
    assert.equal(older, '6');
    assert.match((await client.get(`/notifications?before=${older}`)).body_, /Notice number 5</);

    const opened = await client.submit('/notifications', '/notifications/25/open', {});
    assert.equal(opened.status, 303);
    assert.equal(opened.headers.get('location'), '/challenges?n=25');
    assert.match((await client.get('/')).body_, /nav__count">24</);
    await client.submit('/notifications', '/notifications/read-all', {});
    assert.doesNotMatch((await client.get('/')).body_, /nav__count/);
  });

  it('tells an invited co-author in the app, and the author when they join', async () => {
    const authorUser = await createUser({ name: 'Inviting Author' });
    const coAuthorUser = await createUser({ name: 'Joining Coauthor' });
    const { id } = await createChallenge(app, { phase: 'open' });
    const author = await signedInClient(app.url, authorUser);
    const created = await author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: 'Joint work', coAuthors: coAuthorUser.email }));
    const ideaPath = created.headers.get('location') ?? '';
    const coAuthor = await signedInClient(app.url, coAuthorUser);
    await eventually(async () => /Inviting Author invited you to co-author “Joint work”/.test(await inboxOf(coAuthor)), 'the invitation notice');
    await coAuthor.submit(ideaPath, `${ideaPath}/invitation`, { answer: 'accept' });
    await eventually(async () => /Joining Coauthor is now a co-author of “Joint work”/.test(await inboxOf(author)), 'the author hearing of the join');
  });

  it('does not tell an invited co-author who follows the challenge of the new idea as news: their invitation says it', async () => {
    const copilot = await createUser();
    const invitedUser = await createUser();
    // The crowd hears of an idea once it is approved: the notice goes out at submission (to copilots) and at approval (to followers).
    const { id } = await createChallenge(app, { phase: 'open', form: { title: 'Followed one', copilots: copilot.email, crowdSees: 'approved' } });
    const invited = await signedInClient(app.url, invitedUser);
    const follower = await signedInClient(app.url, await createUser());
    for (const client of [invited, follower]) assert.equal((await client.submit(`/challenges/${id}`, '/follows', { type: 'challenge', id })).status, 303);
    const authorUser = await createUser({ name: 'Inviting Author' });
    const author = await signedInClient(app.url, authorUser);
    const created = await author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: 'Joint news', coAuthors: invitedUser.email }));
    const ideaId = (created.headers.get('location') ?? '').split('/')[2]!;
    // The copilot is told in the same notice as every other reader of the new idea.
    await eventually(async () => /New idea in “Followed one”: Joint news/.test(await inboxOf(await signedInClient(app.url, copilot))), 'the copilot hearing of the idea');
    await eventually(async () => /invited you to co-author “Joint news”/.test(await inboxOf(invited)), 'the invitation notice');
    assert.doesNotMatch(await inboxOf(invited), /New idea/);

    await approveIdea(app, actorFor(copilot), id, ideaId);
    await eventually(async () => /New idea in “Followed one”: Joint news/.test(await inboxOf(follower)), 'the follower hearing of the approved idea');
    assert.doesNotMatch(await inboxOf(invited), /New idea/, 'nor when it is approved, before they answered');
  });

  it('refuses to follow what one may not see, and unfollows', async () => {
    const draft = await createChallenge(app);
    const member = await signedInClient(app.url, await createUser());
    const hidden = await member.submit('/challenges', '/follows', { type: 'challenge', id: draft.id });
    assert.equal(hidden.status, 404);
    const { id } = await createChallenge(app, { phase: 'open' });
    await member.submit(`/challenges/${id}`, '/follows', { type: 'challenge', id });
    assert.match((await member.get(`/challenges/${id}`)).body_, /Following ✓/);
    await member.submit(`/challenges/${id}`, '/follows', { type: 'challenge', id, action: 'unfollow' });
    assert.match((await member.get(`/challenges/${id}`)).body_, />Follow</);
  });
});
