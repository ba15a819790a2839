import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CONVERGENCE_BOUND_MS } from '../../src/cluster/change-log.ts';
import { ballotsCompleteness, votedIdeas } from '../../src/features/community/ballots.ts';
import { Ballot, BALLOTS_COMPLETE, ballotPartId, Vote } from '../../src/features/community/vote.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { eventually } from '../helpers/eventually.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('votes', () => {
  let app: TestApp;
  let author: TestClient;
  before(async () => {
    app = await startTestApp();
    author = await signedInClient(app.url, await createUser({ name: 'Ada Author' }));
  });
  after(() => app.close());

  async function submittedIdea(challengeId: string, title = `Votable ${Date.now()}`) {
    const created = await author.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, ideaForm({ title }));
    return (created.headers.get('location') ?? '').split('/')[2]!;
  }

  it('counts one vote per member, shows it, and lets the member withdraw it', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const ideaId = await submittedIdea(id);
    const voter = await signedInClient(app.url, await createUser());
    const cast = await voter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/vote`, {});
    assert.equal(cast.status, 303);
    const page = await voter.get(`/ideas/${ideaId}`);
    assert.match(page.body_, /1 vote</);
    assert.match(page.body_, /Withdraw my vote/);
    assert.match((await new TestClient(app.url).get(`/challenges/${id}`)).body_, /1 vote ·/);

    const again = await voter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/vote`, {});
    assert.equal(again.status, 303);
    assert.equal((await Idea.findById(ideaId).lean())?.voteCount, 1, 'a second vote changes nothing');

    await voter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/vote`, { action: 'withdraw' });
    assert.equal((await Idea.findById(ideaId).lean())?.voteCount, 0);
    assert.equal(await Vote.countDocuments({ ideaId }), 0);
  });

  it('lets a member vote from the challenge’s list and the search results, coming back to the same place with the button turned', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const title = `Listed lantern ${Date.now()}`;
    const ideaId = await submittedIdea(id, title);
    const voter = await signedInClient(app.url, await createUser());
    const listPath = `/challenges/${id}?sort=votes`;
    const card = (html: string) => html.slice(html.indexOf(`id="idea-${ideaId}"`), html.indexOf('</li>', html.indexOf(`id="idea-${ideaId}"`)));

    const page = (await voter.get(listPath)).body_;
    const list = card(page);
    assert.match(list, /<span class="badge badge--status-submitted">Submitted<\/span>/, 'the card shows the idea’s status');
    assert.match(list, new RegExp(`<button type="submit" formaction="/ideas/${ideaId}/vote" name="action" value="vote"`), 'the card’s button posts to its own idea’s vote');
    assert.equal(page.match(/name="returnTo"/g)?.length, 1, 'one way back for the whole list, not one per card');
    assert.match(page, new RegExp(`name="returnTo" value="/challenges/${id}\\?sort&#x3D;votes"`), 'the list’s form comes back to this page of the list');
    // As a browser posts the list's form from the card's button: the way back names no card; the vote comes back at its idea.
    const cast = await voter.submit(listPath, `/ideas/${ideaId}/vote`, { action: 'vote', returnTo: listPath });
    assert.equal(cast.status, 303);
    assert.equal(cast.headers.get('location'), `${listPath}#idea-${ideaId}`);
    assert.equal((await Idea.findById(ideaId).lean())?.voteCount, 1);
    const voted = card((await voter.get(listPath)).body_);
    assert.match(voted, /<span data-vote-text>Voted ✓<\/span>/);
    assert.match(voted, /name="action" value="withdraw"/);

    const searchPath = `/search?q=${encodeURIComponent('lantern')}`;
    const found = card((await voter.get(searchPath)).body_);
    assert.match(found, /name="action" value="withdraw"/, 'search results show the same vote');
    const withdrawn = await voter.submit(searchPath, `/ideas/${ideaId}/vote`, { action: 'withdraw', returnTo: searchPath });
    assert.equal(withdrawn.headers.get('location'), `${searchPath}#idea-${ideaId}`);
    assert.equal((await Idea.findById(ideaId).lean())?.voteCount, 0);

    const offsite = await voter.submit(listPath, `/ideas/${ideaId}/vote`, { returnTo: '//elsewhere.example/x' });
    assert.equal(offsite.headers.get('location'), '/', 'never back to another site');
  });

  it('sends a member’s list page one byte a character: curly quotes, dashes and emoji as references that read back the same', async () => {
    const { id } = await createChallenge(app, { phase: 'open', form: { brief: 'It\'s "the" brief -- with 😀 in it' } });
    const title = `Quoted “lamp” — 😀 ${Date.now()}`;
    const ideaId = await submittedIdea(id, title);
    const voter = await signedInClient(app.url, await createUser());
    const page = await voter.get(`/challenges/${id}`);
    assert.deepEqual(page.html_.match(/[^\0-\xff]/gu) ?? [], [], 'every character beyond Latin-1 written as a reference');
    assert.ok(page.html_.includes('Quoted &#8220;lamp&#8221; &#8212; &#128512;'));
    const card = page.body_.slice(page.body_.indexOf(`id="idea-${ideaId}"`), page.body_.indexOf('</li>', page.body_.indexOf(`id="idea-${ideaId}"`)));
    assert.ok(card.includes(`<a href="/ideas/${ideaId}">${title}</a>`), 'the title reads the same');
    assert.ok(card.includes(`data-title="${title}"`) && card.includes(`for “${title}”`), 'and so does the vote button’s hint, in the catalogue’s quotes');
    assert.match(page.body_, /It’s “the” brief – with 😀 in it/, 'the brief as Markdown made it typographic');
    assert.match(page.body_, /<ul class="idea-list" data-vote-texts [^>]*data-count-one="# vote" data-count-other="# votes">/, 'the count’s forms once for the list');
    assert.doesNotMatch(card, /data-count-one/, 'not on each card');
  });

  it('shows each card of the list as it is now, though cards are rendered once and kept: after a vote, a rename, in another language or time zone', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const ideaId = await submittedIdea(id, `Kept card ${Date.now()}`);
    const visitor = new TestClient(app.url);
    const card = async (client: TestClient, headers: Record<string, string> = {}) => {
      const html = (await client.get(`/challenges/${id}`, headers)).body_;
      return html.slice(html.indexOf(`id="idea-${ideaId}"`), html.indexOf('</li>', html.indexOf(`id="idea-${ideaId}"`)));
    };
    assert.match(await card(visitor), /0 votes · Ada Author ·/);

    const voter = await signedInClient(app.url, await createUser({ name: 'Vic Voter' }));
    assert.match(await card(voter), /<span data-vote-text>Vote<\/span>/);
    await voter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/vote`, {});
    assert.match(await card(visitor), /1 vote · Ada Author ·/, 'the new count');
    const voted = await card(voter);
    assert.match(voted, /<span data-vote-text>Voted ✓<\/span>/, 'the voter’s own button turned');
    assert.match(await card(await signedInClient(app.url, await createUser())), /<span data-vote-text>Vote<\/span>/, 'and not another member’s');

    await author.submit('/account', '/account/profile', { name: 'Ada Renamed', timezone: 'Asia/Tokyo' });
    assert.match(await card(visitor), /1 vote · Ada Renamed ·/, 'the author’s new name');
    assert.match(await card(visitor, { 'accept-language': 'de' }), /1 Stimme · Ada Renamed ·/, 'in German for a German reader');
    const utc = /<time datetime="([^"]+)">([^<]+)<\/time>/.exec(await card(visitor))!;
    const tokyo = /<time datetime="([^"]+)">([^<]+)<\/time>/.exec(await card(author))!;
    assert.equal(utc[1], tokyo[1]);
    assert.notEqual(utc[2], tokyo[2], 'the date in the author’s own time zone');
  });

  it('marks list buttons from the voter’s ballot, which a repeated vote or withdrawal repairs after a crash left it behind', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const ideaId = await submittedIdea(id);
    const person = await createUser();
    const voter = await signedInClient(app.url, person);
    const card = async () => {
      const html = (await voter.get(`/challenges/${id}`)).body_;
      const card = html.slice(html.indexOf(`id="idea-${ideaId}"`), html.indexOf('</li>', html.indexOf(`id="idea-${ideaId}"`)));
      return /name="action" value="withdraw"/.test(card) ? 'voted' : 'not voted';
    };
    await voter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/vote`, {});
    assert.equal(await card(), 'voted');
    assert.deepEqual((await Ballot.findById(ballotPartId(id, person.id, ideaId)).lean())?.ideaIds, [ideaId]);

    // As if the process died between storing the vote and its ballot entry. Written behind the
    // app's back, as another process would: the page shows it within the convergence bound.
    await Ballot.updateOne({ _id: ballotPartId(id, person.id, ideaId) }, { $pull: { ideaIds: ideaId } });
    await eventually(async () => (await card()) === 'not voted', 'the page reads the ballot again', CONVERGENCE_BOUND_MS + 1_000);
    await voter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/vote`, {});
    assert.equal(await card(), 'voted', 'voting again puts the vote back in the ballot');
    assert.equal((await Idea.findById(ideaId).lean())?.voteCount, 1, 'and counts nothing twice');

    // As if it died between removing the vote and its ballot entry.
    await Vote.deleteOne({ _id: `${ideaId}:${person.id}` });
    await voter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/vote`, { action: 'withdraw' });
    assert.equal(await card(), 'not voted', 'withdrawing a vote that is gone clears the ballot');
  });

  it('builds ballots stored in an older layout again, reading each vote until then, and drops the old documents', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const [first, second] = [await submittedIdea(id), await submittedIdea(id)];
    const person = await createUser();
    const voter = await signedInClient(app.url, person);
    for (const ideaId of [first, second]) await voter.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/vote`, {});
    // As an older version stored them: one ballot of every idea voted for in the challenge, keyed
    // like the budget, and eight parts; here the old ballot still holds a vote withdrawn since.
    await Ballot.deleteMany({});
    await Ballot.create([
      { _id: 'every-vote-recorded', ideaIds: [] },
      { _id: `${id}:${person.id}`, ideaIds: [first, second] },
      { _id: `${id}:${person.id}:3`, ideaIds: [second] },
    ]);
    await Vote.deleteOne({ _id: `${second}:${person.id}` });

    const complete = ballotsCompleteness();
    assert.equal(await complete(), false, 'no ballots of this layout: not complete yet, the build starts');
    await eventually(async () => Boolean(await Ballot.exists({ _id: BALLOTS_COMPLETE })), 'the ballots built');
    assert.equal(await complete(), true);
    const left = (await Ballot.find({}).lean()).map((ballot) => ballot._id).filter((ballotId) => ballotId.startsWith(id) || ballotId.startsWith('every-vote-recorded'));
    assert.deepEqual(left.sort(), [BALLOTS_COMPLETE, ballotPartId(id, person.id, first)].sort(), 'the old documents gone');
    await eventually(async () => JSON.stringify([...(await votedIdeas(id, person.id))]) === JSON.stringify([first]), 'only the stored vote', CONVERGENCE_BOUND_MS + 1_000);
  });

  it('builds the ballots of a database from before they existed, reading each vote until then', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const ideaId = await submittedIdea(id);
    const person = await createUser();
    await (await signedInClient(app.url, person)).submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/vote`, {});
    await Ballot.deleteMany({});

    const complete = ballotsCompleteness();
    assert.equal(await complete(), false, 'votes without ballots: not complete yet, the build starts');
    await eventually(async () => Boolean(await Ballot.exists({ _id: BALLOTS_COMPLETE })), 'the ballots built');
    assert.equal(await complete(), true);
    assert.deepEqual((await Ballot.findById(ballotPartId(id, person.id, ideaId)).lean())?.ideaIds, [ideaId]);
  });

  it('shows no vote button to visitors, to the author, or once voting has closed', async () => {
    const { id, staff } = await createChallenge(app, { phase: 'open', form: { judges: (await createUser({ roles: ['staff'] })).email } });
    await submittedIdea(id);
    assert.doesNotMatch((await new TestClient(app.url).get(`/challenges/${id}`)).body_, /data-vote-button/);
    assert.doesNotMatch((await author.get(`/challenges/${id}`)).body_, /data-vote-button/);
    const voter = await signedInClient(app.url, await createUser());
    assert.match((await voter.get(`/challenges/${id}`)).body_, /data-vote-button/);
    await app.services.challenges.movePhase(staff, id, 'curation', 'test');
    await app.services.challenges.movePhase(staff, id, 'judging', 'test');
    assert.doesNotMatch((await voter.get(`/challenges/${id}`)).body_, /data-vote-button/);
  });

  it('records one vote from 10 parallel requests', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const ideaId = await submittedIdea(id);
    const voter = await signedInClient(app.url, await createUser());
    const token = csrfFrom((await voter.get(`/ideas/${ideaId}`)).body_);
    const responses = await Promise.all(Array.from({ length: 10 }, () => voter.post(`/ideas/${ideaId}/vote`, { _csrf: token })));
    assert.deepEqual([...new Set(responses.map((response) => response.status))], [303]);
    assert.equal(await Vote.countDocuments({ ideaId }), 1);
    assert.equal((await Idea.findById(ideaId).lean())?.voteCount, 1);
  });

  it('stores, counts and marks every vote of many members voting on several ideas at once, some twice', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const ideaIds = [await submittedIdea(id), await submittedIdea(id), await submittedIdea(id)];
    const people = await Promise.all(Array.from({ length: 6 }, () => createUser()));
    const voters = await Promise.all(people.map((person) => signedInClient(app.url, person)));
    const tokens = await Promise.all(voters.map(async (voter) => csrfFrom((await voter.get(`/ideas/${ideaIds[0]}`)).body_)));
    // Concurrent votes are written together (one insert, one ballot update per part): each stands alone.
    const responses = await Promise.all(voters.flatMap((voter, index) => [...ideaIds, ideaIds[0]!].map((ideaId) => voter.post(`/ideas/${ideaId}/vote`, { _csrf: tokens[index]! }))));
    assert.deepEqual([...new Set(responses.map((response) => response.status))], [303]);
    for (const ideaId of ideaIds) {
      assert.equal(await Vote.countDocuments({ ideaId }), people.length);
      assert.equal((await Idea.findById(ideaId).lean())?.voteCount, people.length);
    }
    for (const person of people) assert.deepEqual([...(await votedIdeas(id, person.id))].sort(), [...ideaIds].sort());
  });

  it("refuses votes on one's own idea, by visitors, and once voting has closed", async () => {
    const { id, staff } = await createChallenge(app, { phase: 'open', form: { judges: (await createUser({ roles: ['staff'] })).email } });
    const ideaId = await submittedIdea(id);
    const own = await author.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/vote`, {});
    assert.equal(own.status, 403);
    assert.match(own.body_, /cannot vote for your own idea/);
    const visitor = new TestClient(app.url);
    const anonymous = await visitor.submit('/sign-in', `/ideas/${ideaId}/vote`, {});
    assert.equal(anonymous.status, 401);

    await app.services.challenges.movePhase(staff, id, 'curation', 'curating');
    await app.services.challenges.movePhase(staff, id, 'judging', 'judging');
    const late = await (await signedInClient(app.url, await createUser())).submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/vote`, {});
    assert.equal(late.status, 403);
    assert.match(late.body_, /Voting is closed/);
    assert.equal((await Idea.findById(ideaId).lean())?.voteCount, 0);
  });

  it('refuses a vote on an idea the member may not see, as if it did not exist', async () => {
    const { id } = await createChallenge(app, { phase: 'open', form: { submissionVisibility: 'sealed' } });
    const ideaId = await submittedIdea(id);
    const draft = await author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ intent: 'save' }));
    const draftId = (draft.headers.get('location') ?? '').split('/')[2]!;
    const member = await signedInClient(app.url, await createUser());
    for (const hidden of [ideaId, draftId]) {
      assert.equal((await member.submit('/challenges', `/ideas/${hidden}/vote`, {})).status, 404);
    }
    assert.equal(await Vote.countDocuments({ challengeId: id }), 0);
  });

  it("keeps to the challenge's vote budget, even with parallel votes, and gives a vote back on withdrawal", async () => {
    const { id } = await createChallenge(app, { phase: 'open', form: { voteBudget: '2' } });
    const ideaIds = [await submittedIdea(id, 'Budget one'), await submittedIdea(id, 'Budget two'), await submittedIdea(id, 'Budget three')];
    const voter = await signedInClient(app.url, await createUser());
    const token = csrfFrom((await voter.get(`/ideas/${ideaIds[0]}`)).body_);
    const statuses = await Promise.all(ideaIds.map((ideaId) => voter.post(`/ideas/${ideaId}/vote`, { _csrf: token }).then((response) => response.status)));
    assert.deepEqual([...statuses].sort(), [303, 303, 409]);
    assert.equal(await Vote.countDocuments({ challengeId: id }), 2);

    const voted = (await Vote.find({ challengeId: id }).lean()).map((vote) => String(vote.ideaId));
    const notVoted = ideaIds.find((ideaId) => !voted.includes(ideaId))!;
    const refused = await voter.submit(`/ideas/${notVoted}`, `/ideas/${notVoted}/vote`, {});
    assert.match(refused.body_, /used all 2 of your votes/);
    const fromList = await voter.submit(`/challenges/${id}`, `/ideas/${notVoted}/vote`, { returnTo: `/challenges/${id}#idea-${notVoted}` });
    assert.equal(fromList.headers.get('location'), `/challenges/${id}#idea-${notVoted}`, 'from a list, back to the list');
    assert.match((await voter.get(`/challenges/${id}`)).body_, /used all 2 of your votes/, 'the list says why');
    await voter.submit(`/ideas/${voted[0]}`, `/ideas/${voted[0]}/vote`, { action: 'withdraw' });
    assert.equal((await voter.submit(`/ideas/${notVoted}`, `/ideas/${notVoted}/vote`, {})).status, 303);
    assert.match((await voter.get(`/ideas/${notVoted}`)).body_, /0 votes left in this challenge/);
  });

  it('answers a vote sent by a script with the state after it: the count, the button and the budget left', async () => {
    const { id } = await createChallenge(app, { phase: 'open', form: { voteBudget: '2' } });
    const ideaId = await submittedIdea(id, 'Scripted vote');
    const first = await signedInClient(app.url, await createUser());
    await first.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/vote`, {});
    const voter = await signedInClient(app.url, await createUser());
    const token = csrfFrom((await voter.get(`/ideas/${ideaId}`)).body_);
    const json = { accept: 'application/json' };
    const state = async (fields: Record<string, string>) => JSON.parse((await voter.post(`/ideas/${ideaId}/vote`, { _csrf: token, ...fields }, json)).body_);

    assert.deepEqual(await state({}), { count: 2, voted: true, refusal: null, remaining: 1 });
    assert.deepEqual(await state({}), { count: 2, voted: true, refusal: null, remaining: 1 }, 'a second vote changes nothing');
    assert.deepEqual(await state({ action: 'withdraw' }), { count: 1, voted: false, refusal: null, remaining: 2 });
    assert.deepEqual(await state({ action: 'withdraw' }), { count: 1, voted: false, refusal: null, remaining: 2 }, 'nothing left to withdraw');
  });

  it("sorts a challenge's ideas by votes", async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const popular = await submittedIdea(id, 'Popular idea');
    await submittedIdea(id, 'Quiet idea');
    for (let i = 0; i < 2; i++) {
      const voter = await signedInClient(app.url, await createUser());
      await voter.submit(`/ideas/${popular}`, `/ideas/${popular}/vote`, {});
    }
    const byVotes = await new TestClient(app.url).get(`/challenges/${id}?sort=votes`);
    assert.ok(byVotes.body_.indexOf('Popular idea') < byVotes.body_.indexOf('Quiet idea'));
    const newest = await new TestClient(app.url).get(`/challenges/${id}`);
    assert.ok(newest.body_.indexOf('Quiet idea') < newest.body_.indexOf('Popular idea'), 'the quiet idea is the newer one');
  });
});
