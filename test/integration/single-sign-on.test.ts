import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ExternalIdentity } from '../../src/features/accounts/external-identity.model.ts';
import { User } from '../../src/features/accounts/user.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { linkIn } from '../helpers/mail.ts';
import { loginAtProvider, startOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('single sign-on through an OpenID Connect provider', () => {
  let provider: TestOidcProvider;
  let app: TestApp;
  let n = 0;
  const unique = (label: string) => `${label}-${process.pid}-${(n += 1)}`;

  before(async () => {
    provider = await startOidcProvider('corp');
    app = await startTestApp({ env: provider.env({ OIDC_CORP_ROLES: 'staff=idea-team|innovation' }) });
    provider.register(app.url);
  });
  after(async () => {
    await app.close();
    await provider.close();
  });

  async function signInAs(login: string, client = new TestClient(app.url)) {
    const callback = await loginAtProvider(client, app.url, 'corp', login);
    const response = await client.get(callback.pathname + callback.search);
    return { client, response, callback };
  }

  const signedIn = async (client: TestClient) => (await client.get('/account')).status === 200;

  it('creates the account on a first sign-in from the verified claims, and finds it again next time', async () => {
    const login = unique('new');
    provider.addAccount(login, { email: `${login}@corp.test`, email_verified: true, name: 'Nora Newcomer' });
    const { client, response } = await signInAs(login);
    assert.equal(response.status, 303, response.body_.slice(0, 300));
    assert.ok(await signedIn(client));
    const user = await User.findOne({ email: `${login}@corp.test` }).lean();
    assert.equal(user?.name, 'Nora Newcomer');
    assert.deepEqual(user?.roles, ['member']);
    assert.ok(user?.emailVerifiedAt);

    const again = await signInAs(login);
    assert.equal(again.response.status, 303);
    assert.equal(await User.countDocuments({ email: `${login}@corp.test` }), 1);
  });

  it('grants staff from a mapped group, and takes it away when the group is gone', async () => {
    const login = unique('staff');
    const email = `${login}@corp.test`;
    provider.addAccount(login, { email, email_verified: true, name: 'Sam Staff', groups: ['innovation', 'other'] });
    assert.equal((await signInAs(login)).response.status, 303);
    assert.deepEqual((await User.findOne({ email }).lean())?.roles, ['member', 'staff']);

    provider.addAccount(login, { email, email_verified: true, name: 'Sam Staff', groups: ['other'] });
    assert.equal((await signInAs(login)).response.status, 303);
    assert.deepEqual((await User.findOne({ email }).lean())?.roles, ['member']);
  });

  it('does not link an existing account with the same address without proof, then links it with the password', async () => {
    const existing = await createUser({ name: 'Erin Existing' });
    const login = unique('erin');
    provider.addAccount(login, { email: existing.email, email_verified: true, name: 'Erin at Corp' });
    const { client, response } = await signInAs(login);
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/sign-in/link');
    assert.equal(await signedIn(client), false);
    assert.equal(await ExternalIdentity.countDocuments({ userId: existing.id }), 0);

    const page = await client.get('/sign-in/link');
    assert.match(page.body_, /already exists/);
    const wrong = await client.post('/sign-in/link/password', { _csrf: csrfFrom(page.body_), password: 'not-the-password' });
    assert.equal(wrong.status, 400);
    assert.equal(await ExternalIdentity.countDocuments({ userId: existing.id }), 0);

    const right = await client.submit('/sign-in/link', '/sign-in/link/password', { password: existing.password });
    assert.equal(right.status, 303);
    assert.ok(await signedIn(client));
    assert.equal(await ExternalIdentity.countDocuments({ userId: existing.id }), 1);
    // From now on the provider opens that account directly.
    const next = await signInAs(login);
    assert.equal(next.response.headers.get('location'), '/');
    assert.equal(await User.countDocuments({ email: existing.email }), 1);
  });

  it('links an existing account by an emailed link instead', async () => {
    const existing = await createUser();
    const login = unique('mailed');
    provider.addAccount(login, { email: existing.email, email_verified: true, name: 'Mailed' });
    const { client } = await signInAs(login);
    const sent = await client.submit('/sign-in/link', '/sign-in/link/email', {});
    assert.equal(sent.status, 200);
    assert.equal(await ExternalIdentity.countDocuments({ userId: existing.id }), 0);
    const link = linkIn(await app.smtp.waitForMail(existing.email, /Link your Corp Login sign-in/), `${app.url}/sign-in/link/confirm`);
    const confirmed = await new TestClient(app.url).get(link.replace(app.url, ''));
    assert.equal(confirmed.status, 200);
    assert.equal(await ExternalIdentity.countDocuments({ userId: existing.id }), 1);
    assert.equal((await new TestClient(app.url).get(link.replace(app.url, ''))).status, 400, 'the link works once');
    const next = await signInAs(login);
    assert.equal(next.response.headers.get('location'), '/');
    assert.ok(await signedIn(next.client));
  });

  it('refuses an address the provider has not verified', async () => {
    const login = unique('unverified');
    provider.addAccount(login, { email: `${login}@corp.test`, email_verified: false, name: 'Una' });
    const { client, response } = await signInAs(login);
    assert.equal(response.status, 400);
    assert.match(response.body_, /did not confirm an email address/);
    assert.equal(await signedIn(client), false);
    assert.equal(await User.countDocuments({ email: `${login}@corp.test` }), 0);
  });

  it('refuses a callback whose state was tampered with', async () => {
    const login = unique('tamper');
    provider.addAccount(login, { email: `${login}@corp.test`, email_verified: true, name: 'Tom' });
    const client = new TestClient(app.url);
    const callback = await loginAtProvider(client, app.url, 'corp', login);
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const response = await client.get(callback.pathname + callback.search);
    assert.equal(response.status, 400);
    assert.equal(await signedIn(client), false);
  });

  it('refuses a replayed callback and an expired code', async () => {
    const login = unique('replay');
    provider.addAccount(login, { email: `${login}@corp.test`, email_verified: true, name: 'Rae' });
    const { callback, response } = await signInAs(login);
    assert.equal(response.status, 303);
    // The same response replayed in another browser, and again in the first: neither holds its state.
    const other = new TestClient(app.url);
    assert.equal((await other.get(callback.pathname + callback.search)).status, 400);
    assert.equal(await signedIn(other), false);

    provider.setCodeTtl(1);
    try {
      const client = new TestClient(app.url);
      const late = await loginAtProvider(client, app.url, 'corp', login);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const expired = await client.get(late.pathname + late.search);
      assert.equal(expired.status, 400);
      assert.equal(await signedIn(client), false);
    } finally {
      provider.setCodeTtl(60);
    }
  });

  it('signs out locally and offers the provider’s sign-out', async () => {
    const login = unique('bye');
    provider.addAccount(login, { email: `${login}@corp.test`, email_verified: true, name: 'Bea' });
    const { client } = await signInAs(login);
    const page = await client.get('/account');
    const out = await client.post('/sign-out', { _csrf: csrfFrom(page.body_) });
    assert.equal(out.status, 200);
    assert.doesNotMatch(out.body_, /action="\/sign-out"|Bea/, 'the page is signed out too: its header no longer names her');
    const endSession = out.body_
      .match(/href="([^"]+)"[^>]*>Sign out of Corp Login too/)?.[1]
      ?.replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    assert.ok(endSession?.startsWith(`${provider.issuer}/session/end`), out.body_);
    assert.ok(new URL(endSession!).searchParams.get('id_token_hint'));
    assert.equal(await signedIn(client), false);
  });

  it('shows the provider beside the password form, and lets an admin turn passwords off (admins keep theirs)', async () => {
    const page = await new TestClient(app.url).get('/sign-in');
    assert.match(page.body_, /href="\/auth\/oidc\/corp"[^>]*>Sign in with Corp Login/);
    const admin = await createUser({ roles: ['admin'] });
    const member = await createUser();
    const adminClient = await signedInClient(app.url, admin);
    const memberClient = await signedInClient(app.url, member);
    assert.equal((await memberClient.submit('/account', '/admin/sign-in', {})).status, 403);
    assert.doesNotMatch((await memberClient.get('/')).body_, /href="\/admin\/sign-in"/);
    assert.match((await adminClient.get('/')).body_, /href="\/admin\/sign-in"[^>]*>Sign-in settings</, 'the admin finds the setting in the Manage menu');
    try {
      assert.equal((await adminClient.submit('/admin/sign-in', '/admin/sign-in', {})).status, 303);
      const refused = await new TestClient(app.url).submit('/sign-in', '/sign-in', { email: member.email, password: member.password });
      assert.equal(refused.status, 400);
      assert.match(refused.body_, /turned off/);
      assert.equal((await new TestClient(app.url).submit('/sign-up', '/sign-up', { name: 'New', email: 'new-off@example.test', password: 'Velvet-Canyon-Orbit-99' })).status, 400);
      assert.equal((await new TestClient(app.url).submit('/sign-in', '/sign-in', { email: admin.email, password: admin.password })).status, 303);
    } finally {
      assert.equal((await adminClient.submit('/admin/sign-in', '/admin/sign-in', { passwordSignIn: 'on' })).status, 303);
    }
  });
});
