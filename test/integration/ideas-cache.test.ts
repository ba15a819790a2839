import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { challengeInput } from '../../src/features/challenges/challenges.schemas.ts';
import { twoTestApps, type TestApp } from '../helpers/app.ts';
import { actorFor, challengeForm, createChallenge } from '../helpers/challenges.ts';
import { decideIdea } from '../helpers/curation.ts';
import { TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/** "My ideas" and idea pages are served from memory (ideas.service.ts): each test first reads them, then changes what they show. */
describe('a person’s ideas and idea pages from memory stay current', () => {
  const apps = twoTestApps({ before, after });

  async function submittedIdea(app: TestApp, challengeId: string, client: TestClient, title: string, fields: Record<string, string> = {}) {
    const created = await client.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, ideaForm({ title, ...fields }));
    assert.equal(created.status, 303);
    return (created.headers.get('location') ?? '').replace('/ideas/', '');
  }

  it('shows a copilot’s decision at once, though the author looked at the list just before', async () => {
    const { id: challengeId, staff } = await createChallenge(apps.first, { phase: 'open' });
    const author = await signedInClient(apps.first.url, await createUser());
    const ideaId = await submittedIdea(apps.first, challengeId, author, 'Decided while listed');
    assert.match((await author.get('/my/ideas')).body_, /badge--status-submitted">Submitted[\s\S]*Decided while listed/);
    await decideIdea(apps.first, staff, challengeId, ideaId, 'reject');
    assert.match((await author.get('/my/ideas')).body_, /Not accepted/);
  });

  it('lists an idea for a co-author as soon as they accept, and a new idea as soon as it is saved', async () => {
    const { id: challengeId } = await createChallenge(apps.first, { phase: 'open' });
    const authorUser = await createUser();
    const coAuthorUser = await createUser();
    const author = await signedInClient(apps.first.url, authorUser);
    const coAuthor = await signedInClient(apps.first.url, coAuthorUser);
    assert.doesNotMatch((await coAuthor.get('/my/ideas')).body_, /Shared idea/);
    assert.doesNotMatch((await author.get('/my/ideas')).body_, /Shared idea/);
    const ideaId = await submittedIdea(apps.first, challengeId, author, 'Shared idea', { coAuthors: coAuthorUser.email });
    assert.match((await author.get('/my/ideas')).body_, /Shared idea/);
    await apps.first.smtp.waitForMail(coAuthorUser.email, /invited you to co-author/);
    await coAuthor.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/invitation`, { answer: 'accept' });
    assert.match((await coAuthor.get('/my/ideas')).body_, /Shared idea/);
  });

  it('shows a decision made on another app process once the change log reaches this one', async () => {
    const { id: challengeId, staff } = await createChallenge(apps.first, { phase: 'open' });
    const authorUser = await createUser();
    const ideaId = await submittedIdea(apps.first, challengeId, await signedInClient(apps.first.url, authorUser), 'Decided elsewhere');
    const onSecond = await signedInClient(apps.second.url, authorUser);
    // The second process lists a submitted idea from its board, as it lists a decided one: once
    // the change log reaches it (within CONVERGENCE_BOUND_MS; at once with Redis).
    await apps.second.readModelSync.catchUp();
    assert.match((await onSecond.get('/my/ideas')).body_, /badge--status-submitted">Submitted[\s\S]*Decided elsewhere/);
    await decideIdea(apps.first, staff, challengeId, ideaId, 'reject');
    await apps.first.events.settled();
    await apps.second.readModelSync.catchUp();
    assert.match((await onSecond.get('/my/ideas')).body_, /Not accepted/);
  });

  it('a vote reads the idea from its card on the board: on another process a new idea is voted for at once, and one hidden there is refused once the change log reaches this one', async () => {
    const { id: challengeId, staff } = await createChallenge(apps.first, { phase: 'open' });
    const ideaId = await submittedIdea(apps.first, challengeId, await signedInClient(apps.first.url, await createUser()), 'Voted across processes');
    const [early, late] = [actorFor(await createUser()), actorFor(await createUser())];
    // Before the second process has heard of the idea (no card there yet): read, and counted.
    assert.equal((await apps.second.services.votes.castVote(early, ideaId)).count, 1);
    await apps.first.events.settled();
    await apps.second.readModelSync.catchUp();
    await apps.first.services.moderation.hide(staff, { targetType: 'idea', ideaId }, 'Off topic');
    await apps.first.events.settled();
    await apps.second.readModelSync.catchUp();
    await assert.rejects(apps.second.services.votes.castVote(late, ideaId));
    assert.equal((await apps.first.services.votes.voteState(early, ideaId)).count, 1);
  });

  it('drops an idea whose challenge its author may no longer see, though the list was read a moment before', async () => {
    const { id: challengeId, staff } = await createChallenge(apps.first, { phase: 'open', form: { title: 'Soon for specialists' } });
    const author = await signedInClient(apps.first.url, await createUser());
    await submittedIdea(apps.first, challengeId, author, 'Hidden with its challenge');
    assert.match((await author.get('/my/ideas')).body_, /Hidden with its challenge/);
    const staffActor = actorFor({ id: staff.id, email: staff.email, name: staff.name }, ['staff']);
    await apps.first.services.challenges.updateChallenge(staffActor, challengeId, challengeInput.parse(challengeForm({ title: 'Soon for specialists', audience: 'specialists' })));
    assert.doesNotMatch((await author.get('/my/ideas')).body_, /Hidden with its challenge/);
  });

  // Each entry's rendering is kept with the idea (views/ideas/mine.hbs): what else it shows is part of its key.
  it('shows a renamed challenge and a draft submitted on “My ideas” at once, though each entry was rendered a moment before', async () => {
    const { id: challengeId, staff } = await createChallenge(apps.first, { phase: 'open', form: { title: 'Named before' } });
    const author = await signedInClient(apps.first.url, await createUser());
    await submittedIdea(apps.first, challengeId, author, 'Listed under a name');
    const draft = await author.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, ideaForm({ title: 'Kept draft', intent: 'save' }));
    const draftId = (draft.headers.get('location') ?? '').split('/')[2]!;
    const before = (await author.get('/my/ideas')).body_;
    assert.match(before, /Named before/);
    assert.match(before, /badge--status-draft">Draft[\s\S]*Kept draft/);
    const staffActor = actorFor({ id: staff.id, email: staff.email, name: staff.name }, ['staff']);
    await apps.first.services.challenges.updateChallenge(staffActor, challengeId, challengeInput.parse(challengeForm({ title: 'Named after' })));
    const renamed = (await author.get('/my/ideas')).body_;
    assert.doesNotMatch(renamed, /Named before/);
    assert.match(renamed, /Named after[\s\S]*Listed under a name/);
    await author.submit(`/ideas/${draftId}/edit`, `/ideas/${draftId}`, ideaForm({ title: 'Kept draft', intent: 'submit' }));
    const after = (await author.get('/my/ideas')).body_;
    assert.match(after, /badge--status-submitted">Submitted[\s\S]*Kept draft/);
    assert.doesNotMatch(after, /badge--status-draft/);
  });

  it('hides an idea page from the crowd at once when a copilot hides it, here and, through the change log, on another process', async () => {
    const { id: challengeId, staff } = await createChallenge(apps.first, { phase: 'open' });
    const ideaId = await submittedIdea(apps.first, challengeId, await signedInClient(apps.first.url, await createUser()), 'Soon hidden');
    const readers = [new TestClient(apps.first.url), new TestClient(apps.second.url)];
    for (const reader of readers) assert.doesNotMatch((await reader.get(`/ideas/${ideaId}`)).body_, /data-hidden-placeholder/);
    await apps.first.services.moderation.hide(staff, { targetType: 'idea', ideaId }, 'Off topic');
    assert.match((await readers[0]!.get(`/ideas/${ideaId}`)).body_, /data-hidden-placeholder/);
    await apps.first.events.settled();
    await apps.second.readModelSync.catchUp();
    const onSecond = (await readers[1]!.get(`/ideas/${ideaId}`)).body_;
    assert.match(onSecond, /data-hidden-placeholder/);
    assert.doesNotMatch(onSecond, /Soon hidden/);
  });
});
