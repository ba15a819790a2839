import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { createUser } from '../helpers/users.ts';

describe('security by default', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ rateLimits: { signInPerAccount: 3 } });
  });
  after(() => app.close());

  it('refuses a form without a CSRF token, or with a forged one, with a 403 page', async () => {
    const client = new TestClient(app.url);
    await client.get('/sign-in');
    const missing = await client.post('/sign-in', { email: 'a@example.test', password: 'whatever-it-is' });
    assert.equal(missing.status, 403);
    assert.match(missing.body_, /This form has expired or did not come from this site/);
    const forged = await client.post('/sign-in', { _csrf: 'forged-token', email: 'a@example.test', password: 'whatever-it-is' });
    assert.equal(forged.status, 403);
  });

  it('mints a CSRF cookie only for pages that carry a form', async () => {
    const home = await new TestClient(app.url).get('/');
    assert.equal(home.headers.getSetCookie().length, 0, "a visitor's home page sets no cookie");
    const signIn = await new TestClient(app.url).get('/sign-in');
    assert.ok(signIn.headers.getSetCookie().some((cookie) => cookie.startsWith('cocreate.csrf=')));
  });

  it('reuses a browser’s checked token on its next forms, and never for another person', async () => {
    const user = await createUser();
    const client = new TestClient(app.url);
    const first = await client.get('/sign-in');
    const token = csrfFrom(first.body_);
    const again = await client.get('/sign-in');
    assert.equal(csrfFrom(again.body_), token, 'the same token');
    const third = await client.get('/sign-in');
    assert.equal(csrfFrom(third.body_), token);
    assert.equal(third.headers.getSetCookie().filter((cookie) => cookie.startsWith('cocreate.csrf=')).length, 0, 'its cookie is not set again');
    const signedIn = await client.post('/sign-in', { _csrf: token, email: user.email, password: user.password });
    assert.equal(signedIn.status, 303);
    const page = await client.get('/account');
    const theirs = csrfFrom(page.body_);
    assert.notEqual(theirs, token, 'the visitor’s token is not the signed-in person’s');
    assert.ok(
      page.headers.getSetCookie().some((cookie) => cookie.startsWith('cocreate.csrf=')),
      'their own cookie is set',
    );
    assert.equal(csrfFrom((await client.get('/account')).body_), theirs);
    assert.equal((await client.post('/sign-out', { _csrf: token })).status, 403, 'the visitor’s token is refused once signed in');
  });

  it('refuses a token issued to another browser', async () => {
    const attacker = new TestClient(app.url);
    const token = csrfFrom((await attacker.get('/sign-in')).body_);
    const victim = new TestClient(app.url);
    await victim.get('/');
    const response = await victim.post('/sign-in', { _csrf: token, email: 'a@example.test', password: 'whatever-it-is' });
    assert.equal(response.status, 403);
  });

  it('treats query operators in a JSON body as invalid input, never as a query', async () => {
    await createUser(); // an account that `$gt: ''` would match if it reached a query
    const client = new TestClient(app.url);
    const token = csrfFrom((await client.get('/sign-in')).body_);
    const response = await client.request('/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': token },
      body: JSON.stringify({ email: { $gt: '' }, password: { $gt: '' } }),
    });
    assert.equal(response.status, 400);
    const body = JSON.parse(response.body_) as { error: { code: string; fields: Record<string, string> } };
    assert.equal(body.error.code, 'invalid');
    assert.ok(body.error.fields.email);
    assert.equal((await client.get('/account')).status, 302, 'not signed in');
  });

  it('treats bracketed form fields as plain names, not as nested operators', async () => {
    await createUser({ email: 'bracket@example.test' });
    const client = new TestClient(app.url);
    const response = await client.submit('/forgot-password', '/forgot-password', { 'email[$ne]': 'nobody@example.test' });
    assert.equal(response.status, 400);
    assert.match(response.body_, /Enter your email address|This field is required/);
  });

  it('answers a body over the limit with 413', async () => {
    const client = new TestClient(app.url);
    const page = await client.get('/sign-up');
    const response = await client.post('/sign-up', { _csrf: csrfFrom(page.body_), name: 'x'.repeat(200_000), email: 'big@example.test', password: 'p' });
    assert.equal(response.status, 413);
    assert.match(response.body_, /larger than we accept/);
  });

  it('stops repeated failed sign-ins to one account with 429 and Retry-After', async () => {
    const user = await createUser();
    const client = new TestClient(app.url);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      statuses.push((await client.submit('/sign-in', '/sign-in', { email: user.email, password: 'wrong-password-here' })).status);
    }
    assert.deepEqual(statuses, [400, 400, 400, 429]);
    const limited = await client.submit('/sign-in', '/sign-in', { email: user.email, password: user.password });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.match(limited.body_, /Too many attempts/);
    // Another account from the same address is not locked out by it.
    const other = await createUser();
    assert.equal((await client.submit('/sign-in', '/sign-in', { email: other.email, password: other.password })).status, 303);
  });

  it('gives the same message for an unknown email and a wrong password', async () => {
    const user = await createUser();
    const client = new TestClient(app.url);
    const unknown = await client.submit('/sign-in', '/sign-in', { email: 'nobody-here@example.test', password: 'wrong-password-here' });
    const wrong = await client.submit('/sign-in', '/sign-in', { email: user.email, password: 'wrong-password-here' });
    assert.equal(unknown.status, 400);
    assert.equal(wrong.status, 400);
    const message = (html: string) => html.match(/<p>(That email and password[^<]*)<\/p>/)?.[1];
    assert.ok(message(unknown.body_));
    assert.equal(message(unknown.body_), message(wrong.body_));
  });

  it('sends security headers and a CSP whose script nonce changes per response', async () => {
    const client = new TestClient(app.url);
    const first = await client.get('/');
    const second = await client.get('/');
    const nonce = (csp: string | null) => csp?.match(/'nonce-([^']+)'/)?.[1];
    assert.ok(nonce(first.headers.get('content-security-policy')));
    assert.notEqual(nonce(first.headers.get('content-security-policy')), nonce(second.headers.get('content-security-policy')));
    assert.equal(first.headers.get('x-content-type-options'), 'nosniff');
    assert.match(first.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.ok(first.headers.get('x-request-id'));
  });

  it('never gives two responses the same nonce, past a refill of the random bytes they come from', async () => {
    const client = new TestClient(app.url);
    const nonces = new Set<string>();
    for (let n = 0; n < 300; n++) {
      const nonce = (await client.get('/health')).headers.get('content-security-policy')?.match(/'nonce-([^']+)'/)?.[1] ?? '';
      assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/, 'sixteen random bytes');
      nonces.add(nonce);
    }
    assert.equal(nonces.size, 300);
  });

  it('sets the session cookie httpOnly and SameSite=Lax, and replaces it at sign-in', async () => {
    const user = await createUser();
    const client = new TestClient(app.url);
    const response = await client.submit('/sign-in', '/sign-in', { email: user.email, password: user.password });
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('cocreate.sid='));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
  });

  it('shows a 404 page with the request id, or JSON when asked for JSON', async () => {
    const client = new TestClient(app.url);
    const html = await client.get('/no-such-page');
    assert.equal(html.status, 404);
    assert.match(html.body_, /Page not found/);
    assert.ok(html.body_.includes(html.headers.get('x-request-id') ?? 'missing'));
    const json = await client.get('/no-such-page', { accept: 'application/json' });
    assert.equal(json.status, 404);
    assert.equal((JSON.parse(json.body_) as { error: { code: string } }).error.code, 'not_found');
  });

  it('escapes user text in pages', async () => {
    const user = await createUser({ name: '<script>alert(1)</script>' });
    const client = new TestClient(app.url);
    await client.submit('/sign-in', '/sign-in', { email: user.email, password: user.password });
    const home = await client.get('/');
    assert.ok(!home.body_.includes('<script>alert(1)</script>'));
    assert.ok(home.body_.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  it('never redirects outside the site after sign-in', async () => {
    const user = await createUser();
    const client = new TestClient(app.url);
    const response = await client.submit('/sign-in?returnTo=//evil.example', '/sign-in', { email: user.email, password: user.password, returnTo: '//evil.example' });
    assert.equal(response.headers.get('location'), '/');
  });
});
