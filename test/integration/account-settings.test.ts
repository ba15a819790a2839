import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { User } from '../../src/features/accounts/user.model.ts';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { TestClient } from '../helpers/http.ts';
import { linkIn } from '../helpers/mail.ts';
import { GIF, PDF, TINY_PNG } from '../helpers/files.ts';
import { createUser, signedInClient, uploadPhoto } from '../helpers/users.ts';

describe("changing one's own profile, password and email address", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('saves the profile and shows dates in the chosen time zone', async () => {
    const user = await createUser();
    const client = await signedInClient(app.url, user);
    const saved = await client.submit('/account', '/account/profile', {
      name: 'Pat Profile',
      timezone: 'Asia/Tokyo',
      organisation: 'Acme',
      segment: 'Retail',
      region: 'Japan',
      customerTier: 'premium',
      skills: 'UX research, Prototyping',
    });
    assert.equal(saved.status, 303);
    const stored = await User.findById(user.id).lean();
    assert.equal(stored?.name, 'Pat Profile');
    assert.equal(stored?.timezone, 'Asia/Tokyo');
    assert.deepEqual(stored?.profile?.skills, ['UX research', 'Prototyping']);
    assert.equal(stored?.profile?.customerTier, 'premium');
    const page = await client.get('/account');
    assert.match(page.body_, /Your profile is saved/);
    assert.match(page.body_, /<option value="Asia\/Tokyo" selected>/);
    assert.match(page.body_, /<option value="premium" selected>Premium<\/option>/, 'the tiers in words');
  });

  it('shows the new name on the lists that named the author before', async () => {
    const user = await createUser({ name: 'Olga Oldname' });
    const other = await createUser({ name: 'Boris Beside' });
    const { id } = await createChallenge(app, { phase: 'open' });
    for (const [author, title] of [
      [user, 'Renamed author idea'],
      [other, 'Unchanged author idea'],
    ] as const) {
      const form = ideaForm({ title });
      await app.services.ideas.createIdea(actorFor(author), id, ideaInput.parse(form), form);
    }
    const client = await signedInClient(app.url, user);
    const before = (await client.get(`/challenges/${id}`)).body_;
    assert.match(before, /Olga Oldname/);
    assert.match(before, /Boris Beside/);

    const saved = await client.submit('/account', '/account/profile', { name: 'Nadia Newname', timezone: 'UTC' });
    assert.equal(saved.status, 303);
    const after = (await client.get(`/challenges/${id}`)).body_;
    assert.match(after, /Nadia Newname/, 'the list read the name again');
    assert.doesNotMatch(after, /Olga Oldname/);
    assert.match(after, /Boris Beside/, 'and still has the others');
  });

  it('takes an optional profile photo, shows it in place of the initials, refuses what is not a photo, and removes it', async () => {
    const user = await createUser({ name: 'Photo Person' });
    const client = await signedInClient(app.url, user);
    assert.match((await client.get('/account')).body_, /<span class="avatar avatar--hue-\d"[^>]*>PP<\/span>/, 'initials before any photo');

    const pdf = await uploadPhoto(client, PDF, 'me.png');
    assert.equal(pdf.status, 400);
    assert.match(pdf.body_, /Your photo was not saved/);
    assert.match(pdf.body_, /This file is not a photo we accept/, 'a PDF named .png is judged by its bytes');
    const gif = await uploadPhoto(client, GIF, 'me.gif');
    assert.equal(gif.status, 400);
    assert.match(gif.body_, /not a photo we accept\. Choose a PNG, JPEG or WebP image of at most 2 MB/);
    const huge = await uploadPhoto(client, Buffer.concat([TINY_PNG, Buffer.alloc(2 * 1024 * 1024)]), 'huge.png');
    assert.equal(huge.status, 413);
    assert.match(huge.body_, /“huge\.png” is larger than 2 MB/);
    assert.equal((await User.findById(user.id).lean())?.avatarFileId, null, 'nothing refused was kept');

    const saved = await uploadPhoto(client, TINY_PNG, 'Photo Person.png');
    assert.equal(saved.status, 303);
    const fileId = (await User.findById(user.id).lean())?.avatarFileId;
    assert.ok(fileId);
    const page = await client.get('/');
    assert.match(page.body_, new RegExp(`<img class="avatar avatar--photo" src="/avatars/${fileId}" alt=""`), 'the header shows the photo');
    assert.doesNotMatch(page.body_, /<span class="avatar avatar--hue/);
    const photo = await client.get(`/avatars/${fileId}`);
    assert.equal(photo.status, 200);
    assert.equal(photo.headers.get('content-type'), 'image/png');
    assert.match(photo.headers.get('content-disposition') ?? '', /^inline; filename="avatar\.png"/, 'stored without the name the person gave the file');
    assert.equal((await new TestClient(app.url).get(`/avatars/${fileId}`)).status, 302, 'for people signed in');

    // A second photo replaces the first, whose file goes.
    assert.equal((await uploadPhoto(client, TINY_PNG)).status, 303);
    const second = (await User.findById(user.id).lean())?.avatarFileId;
    assert.notEqual(second, fileId);
    assert.equal((await client.get(`/avatars/${fileId}`)).status, 404);

    const removed = await client.submit('/account', '/account/photo', { remove: 'on' });
    assert.equal(removed.status, 303);
    assert.match((await client.get('/account')).body_, /Your photo is removed/);
    assert.equal((await User.findById(user.id).lean())?.avatarFileId, null);
    assert.equal((await client.get(`/avatars/${second}`)).status, 404, 'the file is deleted');
    assert.match((await client.get('/')).body_, /<span class="avatar avatar--hue-\d"[^>]*>PP<\/span>/, 'initials again');
  });

  it('refuses an unknown time zone or tier with field messages and keeps the input', async () => {
    const client = await signedInClient(app.url, await createUser());
    const response = await client.submit('/account', '/account/profile', { name: 'Kept', timezone: 'Mars/Olympus', customerTier: 'platinum', organisation: 'Kept Org' });
    assert.equal(response.status, 400);
    assert.match(response.body_, /Choose a time zone from the list/);
    assert.match(response.body_, /Choose a tier from the list/);
    assert.match(response.body_, /value="Kept Org"/);
  });

  it('changes the password only with the current one', async () => {
    const user = await createUser();
    const client = await signedInClient(app.url, user);
    const wrong = await client.submit('/account/password', '/account/password', { currentPassword: 'not-my-password', password: 'Harvest-Glacier-Piano-55' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body_, /Your current password is not correct/);
    const changed = await client.submit('/account/password', '/account/password', { currentPassword: user.password, password: 'Harvest-Glacier-Piano-55' });
    assert.equal(changed.status, 303);
    assert.equal((await signedInClient(app.url, { email: user.email, password: 'Harvest-Glacier-Piano-55' })).hasCookie('cocreate.sid'), true);
  });

  it('signs the user out of their other sessions when they change their password, keeping the one that changed it', async () => {
    const user = await createUser();
    const here = await signedInClient(app.url, user);
    const elsewhere = await signedInClient(app.url, user);
    assert.equal((await elsewhere.get('/account')).status, 200);
    const changed = await here.submit('/account/password', '/account/password', { currentPassword: user.password, password: 'Lantern-Meadow-Copper-64' });
    assert.equal(changed.status, 303);
    assert.equal((await here.get('/account')).status, 200, 'the session that changed it stays signed in');
    const other = await elsewhere.get('/account');
    assert.equal(other.status, 302, 'the other session is signed out');
    assert.match(other.headers.get('location') ?? '', /^\/sign-in/);
  });

  it('changes the email address once the new mailbox confirms it, and tells the old one', async () => {
    const user = await createUser();
    const client = await signedInClient(app.url, user);
    const newEmail = `moved-${Date.now()}@example.test`;
    const requested = await client.submit('/account/email', '/account/email', { email: newEmail, currentPassword: user.password });
    assert.equal(requested.status, 303);
    assert.equal((await User.findById(user.id).lean())?.email, user.email, 'unchanged until confirmed');
    await app.smtp.waitForMail(user.email, /email address is changing/);
    const link = new URL(linkIn(await app.smtp.waitForMail(newEmail, /Confirm your email/), `${app.url}/verify-email`));
    assert.equal((await client.get(link.pathname + link.search)).status, 200);
    assert.equal((await User.findById(user.id).lean())?.email, newEmail);
    assert.match((await client.get('/account')).body_, new RegExp(newEmail));
  });

  it('refuses an email change without the right current password', async () => {
    const user = await createUser();
    const client = await signedInClient(app.url, user);
    const response = await client.submit('/account/email', '/account/email', { email: 'elsewhere@example.test', currentPassword: 'not-my-password' });
    assert.equal(response.status, 400);
    assert.match(response.body_, /value="elsewhere@example.test"/);
  });
});
