import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { User } from '../../src/features/accounts/user.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { linkIn } from '../helpers/mail.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

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
