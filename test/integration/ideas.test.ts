import assert from 'node:assert/strict';
import { User } from '../../src/features/accounts/user.model.ts';
import { after, before, describe, it } from 'node:test';
import { Idea, IdeaRevision } from '../../src/features/ideas/idea.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { eventually } from '../helpers/eventually.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { linkIn } from '../helpers/mail.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('ideas: writing, submitting and editing', () => {
  let app: TestApp;
  let challengeId: string;
  let member: TestClient;
  let memberUser: Awaited<ReturnType<typeof createUser>>;
  before(async () => {
    app = await startTestApp();
    ({ id: challengeId } = await createChallenge(app, { phase: 'open' }));
    memberUser = await createUser({ name: 'Mina Member' });
    member = await signedInClient(app.url, memberUser);
  });
  after(() => app.close());

  const newIdeaPage = () => `/challenges/${challengeId}/ideas/new`;
  const submit = (client: TestClient, fields: Record<string, string>) => client.submit(newIdeaPage(), `/challenges/${challengeId}/ideas`, fields);

  it('keeps a saved draft private, then submits it; it shows on the challenge page and in My ideas', async () => {
    const saved = await submit(member, ideaForm({ intent: 'save', title: 'Draft that becomes real' }));
    assert.equal(saved.status, 303);
    const editPath = saved.headers.get('location') ?? '';
    assert.match(editPath, /^\/ideas\/[0-9a-f]{24}\/edit$/);
    const ideaPath = editPath.replace(/\/edit$/, '');

    const other = await signedInClient(app.url, await createUser());
    assert.equal((await other.get(ideaPath)).status, 404, "a draft is its author's alone");
    assert.doesNotMatch((await other.get(`/challenges/${challengeId}`)).body_, /Draft that becomes real/);

    const submitted = await member.submit(editPath, ideaPath, ideaForm({ title: 'Draft that becomes real', intent: 'submit' }));
    assert.equal(submitted.status, 303);
    assert.equal(submitted.headers.get('location'), ideaPath);
    const page = await member.get(ideaPath);
    assert.match(page.body_, /Your idea is submitted/);
    assert.match(page.body_, /copilots will review it/);
    assert.match(page.body_, /<strong>one tip a day<\/strong>/);
    assert.match(page.body_, /12000/);

    assert.equal((await other.get(ideaPath)).status, 200);
    const challengePage = await new TestClient(app.url).get(`/challenges/${challengeId}`);
    assert.match(challengePage.body_, /Draft that becomes real/);
    assert.match(challengePage.body_, /Mina Member/);
    const mine = await member.get('/my/ideas');
    assert.match(mine.body_, /Draft that becomes real/);
    assert.match(mine.body_, /Submitted/);
  });

  it('keeps each edit of a submitted idea as a revision and shows what changed', async () => {
    const created = await submit(member, ideaForm({ title: 'Original title' }));
    const ideaPath = created.headers.get('location') ?? '';
    const edited = await member.submit(`${ideaPath}/edit`, ideaPath, ideaForm({ title: 'Better title', intent: 'save' }));
    assert.equal(edited.status, 303);
    const id = ideaPath.split('/').pop()!;
    const revision = await IdeaRevision.findById(`${id}:1`).lean();
    assert.equal(revision?.title, 'Original title');
    const changes = await member.get(`${ideaPath}/revisions`);
    assert.match(changes.body_, /<del>Original<\/del>/);
    assert.match(changes.body_, /<ins>Better<\/ins>/);
    const stranger = await signedInClient(app.url, await createUser());
    assert.equal((await stranger.get(`${ideaPath}/revisions`)).status, 403);

    // Saved again as it is: no revision of nothing, and the author is told.
    const unchanged = await member.submit(`${ideaPath}/edit`, ideaPath, ideaForm({ title: 'Better title', intent: 'save' }));
    assert.equal(unchanged.status, 303);
    assert.match((await member.get(unchanged.headers.get('location')!)).body_, /Nothing was changed, so nothing was saved\./);
    assert.equal(await IdeaRevision.countDocuments({ ideaId: id }), 1);
    assert.equal((await Idea.findById(id).lean())?.revision, 1);

    // A refused edit comes back as the edit of a submitted idea, named by its stored title.
    const refused = await member.submit(`${ideaPath}/edit`, ideaPath, ideaForm({ title: '', intent: 'save' }));
    assert.equal(refused.status, 400);
    assert.match(refused.body_, /<title>Edit: Better title · /);
    assert.match(refused.body_, /Save changes/);
    assert.doesNotMatch(refused.body_, /Save draft|Submit idea/, 'not a draft’s buttons');
  });

  it('creates one idea from 10 parallel identical posts, and refuses the key with other content', async () => {
    const page = await member.get(newIdeaPage());
    const title = `Parallel ${Date.now()}`;
    const fields: Record<string, string> = { ...ideaForm({ title }), _csrf: csrfFrom(page.body_) };
    const responses = await Promise.all(Array.from({ length: 10 }, () => member.post(`/challenges/${challengeId}/ideas`, fields)));
    assert.deepEqual([...new Set(responses.map((response) => response.status))], [303]);
    assert.equal(new Set(responses.map((response) => response.headers.get('location'))).size, 1);
    assert.equal(await Idea.countDocuments({ title }), 1);

    const replay = await member.post(`/challenges/${challengeId}/ideas`, { ...fields, title: 'Something else' });
    assert.equal(replay.status, 409);
    assert.match(replay.body_, /already sent with different content/);
  });

  it('explains each problem, keeps what was typed, and saves nothing half-way', async () => {
    const before = await Idea.countDocuments();
    const response = await submit(member, ideaForm({ title: 'x'.repeat(10_000), acceptTerms: '', field_platform: '', field_budget: 'lots', summary: 'Kept summary' }));
    assert.equal(response.status, 400);
    assert.match(response.body_, /Titles are at most 150 characters/);
    assert.match(response.body_, /Kept summary/);
    assert.equal(await Idea.countDocuments(), before);

    const missing = await submit(member, ideaForm({ acceptTerms: '', field_platform: '', field_budget: 'lots' }));
    assert.equal(missing.status, 400);
    assert.match(missing.body_, /Accept the terms to submit your idea/);
    assert.match(missing.body_, /Answer “Platform”/);
    assert.match(missing.body_, /“Budget” must be a number/);

    const blank = (await member.get(newIdeaPage())).body_;
    assert.match(blank, /<select id="field_platform" name="field_platform" >\s*<option value="">Choose one<\/option>/, 'a required choice has no silent default');
    const badChoice = await submit(member, ideaForm({ field_platform: 'Mainframe' }));
    assert.match(badChoice.body_, /Choose one of the options for “Platform”/);

    assert.equal(await Idea.countDocuments(), before);
  });

  it('invites a co-author by address without telling whether it has an account; the invitation waits until the address is confirmed', async () => {
    const known = await createUser({ name: 'Kim Known' });
    const ghostEmail = `ghost-${Date.now()}@example.test`;
    const withKnown = await submit(member, ideaForm({ title: 'Invites a known address', coAuthors: known.email }));
    const withGhost = await submit(member, ideaForm({ title: 'Invites an unknown address', coAuthors: ghostEmail }));
    assert.deepEqual([withKnown.status, withGhost.status], [303, 303], 'the same answer either way');
    const knownPage = (await member.get(withKnown.headers.get('location') ?? '')).body_;
    const ghostPage = (await member.get(withGhost.headers.get('location') ?? '')).body_;
    assert.match(knownPage, new RegExp(`data-invited>Invited, not yet answered: ${known.email}<`), 'the address, not the account’s name');
    assert.doesNotMatch(knownPage, /Kim Known/);
    assert.match(ghostPage, new RegExp(`data-invited>Invited, not yet answered: ${ghostEmail}<`));
    const told = await app.smtp.waitForMail(ghostEmail, /Mina Member invited you to co-author an idea/);
    assert.match(told.text, /“Invites an unknown address”/, 'the address is told of the invitation, which would otherwise wait unseen');
    const signUp = new URL(linkIn(told, `${app.url}/sign-up?email=`));
    assert.match((await new TestClient(app.url).get(signUp.pathname + signUp.search)).body_, new RegExp(`name="email"[^>]*value="${ghostEmail}"`), 'the sign-up form opens with the address filled in');

    const ghostIdeaId = (withGhost.headers.get('location') ?? '').split('/')[2]!;
    const ghost = await createUser({ email: ghostEmail, name: 'Gus Ghost' });
    app.events.emit('user.email_verified', { userId: ghost.id });
    await eventually(
      async () => (await Idea.findById(ghostIdeaId).lean())?.coAuthors.some((c) => String(c.userId) === ghost.id && c.status === 'invited') === true,
      'the invitation reaches the confirmed address',
    );
    assert.deepEqual((await Idea.findById(ghostIdeaId).lean())?.invitedEmails, []);
    assert.match((await (await signedInClient(app.url, ghost)).get(`/ideas/${ghostIdeaId}`)).body_, /You are invited to co-author this idea/);
  });

  it('renders script in markdown harmlessly', async () => {
    const created = await submit(member, ideaForm({ title: 'Scripted', body: '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>' }));
    const page = await member.get(created.headers.get('location') ?? '');
    const main = page.body_.slice(page.body_.indexOf('<main'));
    // The page's own scripts (the mention suggestions) are in <main> too: look for what was typed.
    assert.doesNotMatch(main, /<script>alert|href="javascript:|<img src="?x/i);
  });

  it('refuses submissions outside the open phase and to challenges the member cannot see', async () => {
    const curating = await createChallenge(app, { phase: 'curation' });
    const closedOff = await member.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${curating.id}/ideas`, ideaForm());
    assert.equal(closedOff.status, 403);
    assert.match(closedOff.body_, /not accepting ideas now/);

    const invited = await createChallenge(app, { phase: 'open', form: { audience: 'invite-only', invitedEmails: 'someone-else@example.test' } });
    const hidden = await member.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${invited.id}/ideas`, ideaForm());
    assert.equal(hidden.status, 404);

    const specialists = await createChallenge(app, { phase: 'open', form: { audience: 'specialists' } });
    const notSpecialist = await member.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${specialists.id}/ideas`, ideaForm());
    assert.equal(notSpecialist.status, 404, 'a specialists-only challenge is not shown to members');
  });

  it('refuses edits by others and edits after the challenge leaves the open phase', async () => {
    const { id, staff } = await createChallenge(app, { phase: 'open' });
    const created = await member.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: 'Locked later' }));
    const ideaPath = created.headers.get('location') ?? '';
    const other = await signedInClient(app.url, await createUser());
    const byOther = await other.submit(ideaPath, ideaPath, ideaForm({ title: 'Hijacked', intent: 'save' }));
    assert.equal(byOther.status, 403);
    await app.services.challenges.movePhase(staff, id, 'curation', 'closing');
    const late = await member.submit(ideaPath, ideaPath, ideaForm({ title: 'Too late', intent: 'save' }));
    assert.equal(late.status, 403);
    assert.match(late.body_, /The challenge is closed for submissions, so the idea can no longer be edited\./);
    assert.equal((await Idea.findOne({ title: 'Locked later' }).lean())?.title, 'Locked later');
  });

  it('invites a co-author in their own language', async () => {
    const coAuthor = await createUser({ name: 'Gerda Mitautorin' });
    await User.updateOne({ _id: coAuthor.id }, { $set: { locale: 'de' } });
    await submit(member, ideaForm({ title: 'Gemeinsam', coAuthors: coAuthor.email }));
    const mail = await app.smtp.waitForMail(coAuthor.email, /lädt Sie ein, eine Idee mitzuverfassen/);
    assert.match(mail.text, /^Hallo Gerda Mitautorin,\n\n.+ lädt Sie ein, „Gemeinsam“ auf Cocreate mitzuverfassen/);
  });

  it('shows a co-author once they accept the invitation', async () => {
    const coAuthor = await createUser({ name: 'Cody Coauthor' });
    const created = await submit(member, ideaForm({ title: 'Written together', coAuthors: coAuthor.email }));
    const ideaPath = created.headers.get('location') ?? '';
    await app.smtp.waitForMail(coAuthor.email, /invited you to co-author/);
    assert.doesNotMatch((await new TestClient(app.url).get(ideaPath)).body_, /By [^<]*Cody Coauthor/);
    const coAuthorClient = await signedInClient(app.url, coAuthor);
    const accepted = await coAuthorClient.submit(ideaPath, `${ideaPath}/invitation`, { answer: 'accept' });
    assert.equal(accepted.status, 303);
    assert.match((await new TestClient(app.url).get(ideaPath)).body_, /By Mina Member, Cody Coauthor/);
    assert.match((await coAuthorClient.get('/my/ideas')).body_, /Written together/);
  });
});
