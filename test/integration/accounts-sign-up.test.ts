import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/http.ts';
import { linkIn } from '../helpers/mail.ts';

describe('signing up, confirming the email address, signing in and out', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('lets a newcomer sign up, confirm by the emailed link, sign in and sign out', async () => {
    const client = new TestClient(app.url);
    const email = `new-${Date.now()}@example.test`;
    const signUp = await client.submit('/sign-up', '/sign-up', { name: 'Nora New', email, password: 'Maple-Quartz-Ferry-19', segment: 'Retail' });
    assert.equal(signUp.status, 303);
    assert.equal(signUp.headers.get('location'), '/check-your-email');

    const beforeConfirming = await client.submit('/sign-in', '/sign-in', { email, password: 'Maple-Quartz-Ferry-19' });
    assert.equal(beforeConfirming.status, 400);
    assert.match(beforeConfirming.body_, /confirm your email address first/);

    const mail = await app.smtp.waitForMail(email, /Confirm your email/);
    const link = new URL(linkIn(mail, `${app.url}/verify-email`));
    const confirmed = await client.get(link.pathname + link.search);
    assert.equal(confirmed.status, 200);
    assert.match(confirmed.body_, /Email address confirmed/);

    const signedIn = await client.submit('/sign-in', '/sign-in', { email, password: 'Maple-Quartz-Ferry-19' });
    assert.equal(signedIn.status, 303);
    const home = await client.get('/');
    assert.match(home.body_, /<h1>Hello, Nora New<\/h1>/, 'signed in, the home is her own');

    const account = await client.get('/account');
    assert.equal(account.status, 200);
    assert.match(account.body_, /value="Retail"/);

    const signedOut = await client.submit('/', '/sign-out', {});
    assert.equal(signedOut.status, 303);
    const afterSignOut = await client.get('/account');
    assert.equal(afterSignOut.status, 302);
    assert.match(afterSignOut.headers.get('location') ?? '', /^\/sign-in\?returnTo=%2Faccount/);
  });

  it('refuses a confirmation link used twice with a clear message', async () => {
    const client = new TestClient(app.url);
    const email = `twice-${Date.now()}@example.test`;
    await client.submit('/sign-up', '/sign-up', { name: 'Tess Twice', email, password: 'Maple-Quartz-Ferry-19' });
    const link = new URL(linkIn(await app.smtp.waitForMail(email, /Confirm your email/), `${app.url}/verify-email`));
    assert.equal((await client.get(link.pathname + link.search)).status, 200);
    const again = await client.get(link.pathname + link.search);
    assert.equal(again.status, 400);
    assert.match(again.body_, /already been used/);
  });

  it('answers a sign-up with a registered address exactly as a new one, and tells the owner by email', async () => {
    const client = new TestClient(app.url);
    const email = `taken-${Date.now()}@example.test`;
    const first = await client.submit('/sign-up', '/sign-up', { name: 'First Owner', email, password: 'Maple-Quartz-Ferry-19' });
    const second = await client.submit('/sign-up', '/sign-up', { name: 'Someone Else', email, password: 'Other-Pebble-Violin-88' });
    assert.equal(second.status, first.status);
    assert.equal(second.headers.get('location'), first.headers.get('location'));
    const notice = await app.smtp.waitForMail(email, /Someone tried to sign up/);
    assert.match(notice.text, /already has one/);
  });

  it('keeps what was typed and explains a malformed email and a weak password', async () => {
    const client = new TestClient(app.url);
    const response = await client.submit('/sign-up', '/sign-up', { name: 'Kept Name', email: 'not-an-email', password: 'password123', organisation: 'Kept Org' });
    assert.equal(response.status, 400);
    assert.match(response.body_, /Enter a valid email address/);
    assert.match(response.body_, /value="Kept Name"/);
    assert.match(response.body_, /value="not-an-email"/);
    assert.match(response.body_, /value="Kept Org"/);
    assert.match(response.body_, /aria-invalid="true"/);
    assert.doesNotMatch(response.body_, /password123/);

    assert.match(response.body_, /too common or easy to guess/, 'a weak password is reported with the other fields');

    const nameBased = await client.submit('/sign-up', '/sign-up', { name: 'Margaret Smith', email: 'margaretsmith@example.test', password: 'margaretsmith1' });
    assert.equal(nameBased.status, 400);
    assert.match(nameBased.body_, /too common or easy to guess/);
  });
});
