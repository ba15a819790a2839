import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AccountToken } from '../../src/features/accounts/account-token.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/http.ts';
import { linkIn } from '../helpers/mail.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('resetting a forgotten password', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  async function requestResetLink(email: string): Promise<string> {
    const client = new TestClient(app.url);
    const response = await client.submit('/forgot-password', '/forgot-password', { email });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/forgot-password/sent');
    const link = new URL(linkIn(await app.smtp.waitForMail(email, /Reset your Cocreate password/), `${app.url}/reset-password`));
    return link.searchParams.get('token') ?? '';
  }

  it('sets a new password from the emailed link, and the old one stops working', async () => {
    const user = await createUser();
    const token = await requestResetLink(user.email);
    const client = new TestClient(app.url);
    const reset = await client.submit(`/reset-password?token=${token}`, '/reset-password', { token, password: 'Harvest-Glacier-Piano-55' });
    assert.equal(reset.status, 303);
    assert.equal(reset.headers.get('location'), '/sign-in');
    const signIn = await client.get('/sign-in');
    assert.match(signIn.body_, /Your password has been changed/);

    assert.equal((await new TestClient(app.url).submit('/sign-in', '/sign-in', { email: user.email, password: user.password })).status, 400);
    assert.equal((await new TestClient(app.url).submit('/sign-in', '/sign-in', { email: user.email, password: 'Harvest-Glacier-Piano-55' })).status, 303);
  });

  it('signs the user out everywhere when the password is reset', async () => {
    const user = await createUser();
    const elsewhere = await signedInClient(app.url, user);
    assert.equal((await elsewhere.get('/account')).status, 200);
    const token = await requestResetLink(user.email);
    await new TestClient(app.url).submit(`/reset-password?token=${token}`, '/reset-password', { token, password: 'Harvest-Glacier-Piano-55' });
    assert.equal((await elsewhere.get('/account')).status, 302);
  });

  it('refuses a reused link with a clear message', async () => {
    const user = await createUser();
    const token = await requestResetLink(user.email);
    const client = new TestClient(app.url);
    await client.submit(`/reset-password?token=${token}`, '/reset-password', { token, password: 'Harvest-Glacier-Piano-55' });
    const again = await client.submit(`/reset-password?token=${token}`, '/reset-password', { token, password: 'Another-Lemon-Castle-31' });
    assert.equal(again.status, 400);
    assert.match(again.body_, /already been used/);

    // A link cut short (no token at all) is a broken link, not a string too short.
    const noToken = await new TestClient(app.url).submit('/reset-password', '/reset-password', { token: '', password: 'Another-Lemon-Castle-31' });
    assert.equal(noToken.status, 400);
    assert.match(noToken.body_, /This link is not valid\. Check that you copied the whole link/);
    assert.doesNotMatch(noToken.body_, /Too small|expected string/);
  });

  it('refuses an expired link with a clear message and keeps the password', async () => {
    const user = await createUser();
    const token = randomBytes(32).toString('base64url');
    await AccountToken.create({
      _id: createHash('sha256').update(token).digest('hex'),
      userId: user.id,
      purpose: 'reset-password',
      email: user.email,
      expiresAt: new Date(Date.now() - 60_000),
    });
    const client = new TestClient(app.url);
    const response = await client.submit(`/reset-password?token=${token}`, '/reset-password', { token, password: 'Harvest-Glacier-Piano-55' });
    assert.equal(response.status, 400);
    assert.match(response.body_, /This link has expired/);
    assert.equal((await new TestClient(app.url).submit('/sign-in', '/sign-in', { email: user.email, password: user.password })).status, 303);
  });

  it('keeps the link usable when the new password is refused as weak', async () => {
    const user = await createUser();
    const token = await requestResetLink(user.email);
    const client = new TestClient(app.url);
    const weak = await client.submit(`/reset-password?token=${token}`, '/reset-password', { token, password: 'qwerty12345' });
    assert.equal(weak.status, 400);
    assert.match(weak.body_, /too common or easy to guess/);
    assert.match(weak.body_, new RegExp(`name="token" value="${token}"`));
    const strong = await client.post('/reset-password', { _csrf: weak.body_.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '', token, password: 'Harvest-Glacier-Piano-55' });
    assert.equal(strong.status, 303);
  });

  it('answers an unknown address exactly like a known one, and sends nothing', async () => {
    const client = new TestClient(app.url);
    const response = await client.submit('/forgot-password', '/forgot-password', { email: 'no-account@example.test' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/forgot-password/sent');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(app.smtp.received.filter((mail) => mail.to.includes('no-account@example.test')).length, 0);
  });
});
