import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { Vote } from '../../src/features/community/vote.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { TINY_PNG } from '../helpers/files.ts';
import { createUser, signedInClient, uploadPhoto } from '../helpers/users.ts';

/** Every stored document, in every collection, that mentions the text (case-insensitive). */
async function findEverywhere(texts: string[]): Promise<string[]> {
  const found: string[] = [];
  const db = mongoose.connection.db!;
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray()) {
      const json = JSON.stringify(doc).toLowerCase();
      for (const text of texts) if (json.includes(text.toLowerCase())) found.push(`${name}: ${JSON.stringify(doc).slice(0, 300)}`);
    }
  }
  return found;
}

describe('personal data: download and delete', () => {
  let app: TestApp;
  let challengeId: string;
  before(async () => {
    app = await startTestApp();
    ({ id: challengeId } = await createChallenge(app, { phase: 'open' }));
  });
  after(() => app.close());

  /** The profile photo's stored file (its `uploads.files` document and chunks), if it is still there. */
  async function storedPhoto(fileId: string) {
    const db = mongoose.connection.db!;
    return {
      file: await db.collection('uploads.files').findOne({ _id: new mongoose.mongo.ObjectId(fileId) }),
      chunks: await db.collection('uploads.chunks').countDocuments({ _id: `${fileId}:0` as never }),
    };
  }

  /** Uploads a photo under a file name holding the person's name, and returns its stored file's id. */
  async function withPhoto(client: TestClient, person: { id: string; name: string }) {
    assert.equal((await uploadPhoto(client, TINY_PNG, `${person.name}.png`)).status, 303);
    const fileId = (await mongoose.connection.collection('users').findOne({ _id: new mongoose.Types.ObjectId(person.id) }))?.avatarFileId as string;
    assert.ok((await storedPhoto(fileId)).file, 'the photo is stored');
    return fileId;
  }

  /** A member who wrote an idea (and edited it), commented, voted, followed and reported, and was notified. */
  async function activeMember() {
    const tag = randomBytes(4).toString('hex');
    const person = await createUser({ name: `Zephyrine Quillfeather ${tag}`, email: `zq-${tag}@example.test` });
    const client = await signedInClient(app.url, person);
    const photoId = await withPhoto(client, person);
    const created = await client.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, ideaForm({ title: `Her idea ${tag}` }));
    const ideaPath = created.headers.get('location')!;
    const ideaId = ideaPath.split('/')[2]!;
    assert.equal((await client.submit(`${ideaPath}/edit`, ideaPath, ideaForm({ title: `Her idea, revised ${tag}` }))).status, 303);

    const other = await createUser({ name: `Other Member ${tag}` });
    const otherClient = await signedInClient(app.url, other);
    const otherIdea = (await otherClient.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, ideaForm({ title: `His idea ${tag}` }))).headers.get('location')!;
    const otherIdeaId = otherIdea.split('/')[2]!;
    await client.submit(otherIdea, `${otherIdea}/comments`, { body: 'A thought from me' });
    await client.submit(otherIdea, `${otherIdea}/vote`, {});
    await client.submit(otherIdea, '/follows', { type: 'idea', id: otherIdeaId, action: 'follow' });
    await client.submit(otherIdea, `${otherIdea}/reports`, { targetType: 'idea', reason: 'off-topic', note: 'Reported by me' });
    await otherClient.submit(ideaPath, `${ideaPath}/comments`, { body: 'Nice one' });
    await eventually(async () => /commented on/.test((await client.get('/notifications')).body_), 'her notification');
    await eventually(async () => new RegExp(`Zephyrine Quillfeather ${tag}`).test((await otherClient.get('/notifications')).body_), 'his notification naming her');
    return { person, client, ideaId, otherIdeaId, other, otherClient, photoId };
  }

  it('builds the archive in the background and delivers it by a link that expires', async () => {
    const { person, client, ideaId, photoId } = await activeMember();
    const page = await client.get('/account/data');
    assert.match(page.body_, /Prepare my data/);
    assert.equal((await client.post('/account/data', { _csrf: csrfFrom(page.body_) })).status, 303);
    let link = '';
    await eventually(async () => {
      const status = await client.get('/account/data');
      link = status.body_.match(/href="(\/account\/data\/download\?key=[^"]+)"/)?.[1] ?? '';
      return link !== '';
    }, 'the archive to be ready');
    const download = await client.get(link.replace(/&amp;/g, '&'));
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-disposition') ?? '', /attachment; filename="?cocreate-my-data.json/);
    const archive = JSON.parse(download.body_) as {
      profile: { email: string; photo: { address: string; type: string } | null };
      ideas: Array<{ id: string; revisions: unknown[] }>;
      community: { comments: Array<{ body: string }>; votes: unknown[]; follows: unknown[]; reports: Array<{ note: string }> };
      notifications: Array<{ text: string }>;
      judging: { scorecards: unknown[] };
      audit: unknown[];
    };
    assert.equal(archive.profile.email, person.email);
    assert.equal(archive.profile.photo?.address, `/avatars/${photoId}`, 'the profile photo is listed');
    assert.equal(archive.profile.photo?.type, 'image/png');
    assert.equal(archive.ideas[0]?.id, ideaId);
    assert.equal(archive.ideas[0]?.revisions.length, 1);
    assert.equal(archive.community.comments[0]?.body, 'A thought from me');
    assert.equal(archive.community.votes.length, 1);
    assert.equal(archive.community.follows.length >= 1, true);
    assert.equal(archive.community.reports[0]?.note, 'Reported by me');
    assert.ok(archive.notifications.some((notice) => /commented on/.test(notice.text)));
    assert.ok(Array.isArray(archive.judging.scorecards) && Array.isArray(archive.audit));

    assert.equal((await new TestClient(app.url).get(link)).status, 302, 'the link is for its owner, signed in');
    const someoneElse = await signedInClient(app.url, await createUser());
    assert.equal((await someoneElse.get(link)).status, 404);
    await mongoose.connection.collection('dataexports').updateOne({ _id: person.id as never }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    assert.equal((await client.get(link)).status, 404, 'an expired link');
  });

  it('deletes the account: signed out, contributions kept as "Deleted user", the name and address nowhere', async () => {
    const { person, client, ideaId, otherIdeaId, photoId } = await activeMember();
    const otherSession = await signedInClient(app.url, person);
    // The search finds her before: in her account, the copies of her name, and the notice naming her.
    const before = await findEverywhere([person.name, person.email]);
    for (const collection of ['users', 'ideas', 'idearevisions', 'notifications'])
      assert.ok(
        before.some((hit) => hit.startsWith(`${collection}:`)),
        collection,
      );
    const asked = (await client.get('/account/delete')).body_;
    assert.ok(asked.includes(`Type your email address, ${person.email}, to confirm`), 'the address to type is shown');
    const wrong = await client.submit('/account/delete', '/account/delete', { confirmEmail: 'not-me@example.test' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body_, /exactly as shown/);
    assert.ok(wrong.body_.includes(`Type your email address, ${person.email}, to confirm`), 'and shown again with the refusal');
    const done = await client.submit('/account/delete', '/account/delete', { confirmEmail: person.email });
    assert.equal(done.status, 200);
    assert.match(done.body_, /Your account is deleted/);
    assert.doesNotMatch(done.body_, new RegExp(person.name), 'the page says she is signed out: no header names her');
    assert.doesNotMatch(done.body_, /action="\/sign-out"/);
    assert.equal((await client.get('/account')).status, 302);
    assert.equal((await otherSession.get('/account')).status, 302, 'every session ends');
    assert.equal((await new TestClient(app.url).submit('/sign-in', '/sign-in', { email: person.email, password: person.password })).status, 400);

    const idea = await new TestClient(app.url).get(`/ideas/${ideaId}`);
    assert.equal(idea.status, 200);
    assert.match(idea.body_, /Deleted user/);
    assert.equal((await Idea.findById(otherIdeaId).lean())?.voteCount, 1, 'her vote still counts');
    assert.equal(await Vote.countDocuments({ ideaId: new mongoose.Types.ObjectId(otherIdeaId) }), 1);

    assert.deepEqual(await findEverywhere([person.name, person.email]), []);
    assert.deepEqual(await storedPhoto(photoId), { file: null, chunks: 0 }, 'the photo file is deleted');
    assert.equal((await findEverywhere([photoId])).length, 0, 'and nothing refers to it');
  });

  it('lets an admin delete an account on request, audited without the name; members cannot', async () => {
    const admin = await createUser({ roles: ['admin'], name: 'Ada Admin' });
    const target = await createUser({ roles: ['staff'], name: `Requested Erasure ${randomBytes(3).toString('hex')}` });
    // Staff leave their name in histories: the phase moves of a challenge they ran.
    await createChallenge(app, { phase: 'curation', staff: actorFor(target, ['staff']) });
    assert.ok((await findEverywhere([target.name])).some((hit) => hit.startsWith('challenges:')));
    const member = await signedInClient(app.url, await createUser());
    assert.equal((await member.submit('/account', `/admin/users/${target.id}/erase`, { reason: 'x' })).status, 403);
    const photoId = await withPhoto(await signedInClient(app.url, target), target);
    const adminClient = await signedInClient(app.url, admin);
    assert.equal((await adminClient.submit(`/admin/users/${target.id}/erase`, `/admin/users/${target.id}/erase`, { reason: '' })).status, 400);
    assert.equal((await adminClient.submit(`/admin/users/${target.id}/erase`, `/admin/users/${target.id}/erase`, { reason: 'Emailed request of 4 Dec' })).status, 303);
    const audit = await adminClient.get(`/admin/audit?target=${target.id}`);
    assert.match(audit.body_, /Erased an account/);
    assert.match(audit.body_, /Emailed request of 4 Dec/);
    assert.deepEqual(await findEverywhere([target.name, target.email]), []);
    assert.deepEqual(await storedPhoto(photoId), { file: null, chunks: 0 }, 'the photo file is deleted');
    assert.equal((await findEverywhere([photoId])).length, 0, 'and nothing refers to it');
    assert.match((await adminClient.get('/account/delete')).body_, /Administrators cannot delete their own account/);

    // What is left is an anonymous shell, not an account: its page offers nothing to change, and nothing changes it.
    const shell = await adminClient.get(`/admin/users/${target.id}`);
    assert.match(shell.body_, />Deleted<\/span> on <time datetime=/);
    assert.doesNotMatch(shell.body_, /\/roles"|\/reinstate"|\/suspend"|\/erase"|Joined/);
    const row = (await adminClient.get('/admin/users')).body_.match(new RegExp(`<tr>(?:(?!</tr>).)*/admin/users/${target.id}"(?:(?!</tr>).)*</tr>`, 's'))?.[0];
    assert.match(row ?? '', />Deleted<\/span>/, 'the list says deleted, not suspended');
    const reinstate = await adminClient.submit(`/admin/users/${target.id}`, `/admin/users/${target.id}/reinstate`, {});
    const roles = await adminClient.submit(`/admin/users/${target.id}`, `/admin/users/${target.id}/roles`, { roles: 'admin' });
    assert.deepEqual([reinstate.status, roles.status], [409, 409]);
    const stored = await mongoose.connection.collection('users').findOne({ _id: new mongoose.Types.ObjectId(target.id) });
    assert.ok(stored?.suspendedAt, 'still unable to sign in');
    assert.deepEqual(stored?.roles, ['member']);
  });
});
