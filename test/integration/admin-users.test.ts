import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditEntry } from '../../src/features/audit/audit.model.ts';
import { User } from '../../src/features/accounts/user.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/http.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('administering users', () => {
  let app: TestApp;
  let admin: TestClient;
  let adminUser: Awaited<ReturnType<typeof createUser>>;
  before(async () => {
    app = await startTestApp();
    adminUser = await createUser({ roles: ['staff', 'admin'], name: 'Alice Admin' });
    admin = await signedInClient(app.url, adminUser);
  });
  after(() => app.close());

  it('refuses the user pages to a member, and sends a visitor to sign in', async () => {
    const member = await signedInClient(app.url, await createUser());
    assert.equal((await member.get('/admin/users')).status, 403);
    assert.equal((await member.get('/admin/audit')).status, 403);
    const visitor = await new TestClient(app.url).get('/admin/users');
    assert.equal(visitor.status, 302);
    assert.match(visitor.headers.get('location') ?? '', /^\/sign-in/);
  });

  it('records a change of roles in the audit log with before and after', async () => {
    const target = await createUser({ name: 'Rolf Roles' });
    const response = await admin.submit(`/admin/users/${target.id}`, `/admin/users/${target.id}/roles`, { roles: ['specialist', 'staff'] });
    assert.equal(response.status, 303);
    const stored = await User.findById(target.id).lean();
    assert.deepEqual(stored?.roles, ['member', 'specialist', 'staff']);
    const entry = await AuditEntry.findOne({ targetId: target.id, action: 'user.roles_changed' }).lean();
    assert.deepEqual(entry?.before, ['member']);
    assert.deepEqual(entry?.after, ['member', 'specialist', 'staff']);
    assert.equal(entry?.actorName, 'Alice Admin');
    const log = await admin.get(`/admin/audit?target=${target.id}`);
    assert.match(log.body_, /<td data-label="What">Changed a person’s roles<\/td>/, 'the action in words');
    assert.match(log.body_, /<td data-label="Before">member<\/td>/, 'before and after as lists, not JSON');
    assert.match(log.body_, /<td data-label="After">member, specialist, staff<\/td>/);
    const german = (await admin.get(`/admin/audit?target=${target.id}`, { 'accept-language': 'de' })).body_;
    assert.match(german, /Rollen einer Person geändert/);
  });

  it('lets staff grant the specialist role but not staff or admin', async () => {
    const staff = await signedInClient(app.url, await createUser({ roles: ['staff'] }));
    const target = await createUser();
    assert.equal((await staff.submit(`/admin/users/${target.id}`, `/admin/users/${target.id}/roles`, { roles: 'specialist' })).status, 303);
    const escalate = await staff.submit(`/admin/users/${target.id}`, `/admin/users/${target.id}/roles`, { roles: ['specialist', 'admin'] });
    assert.equal(escalate.status, 403);
    assert.deepEqual((await User.findById(target.id).lean())?.roles, ['member', 'specialist']);
  });

  it('does not let an admin remove their own admin role', async () => {
    const response = await admin.submit(`/admin/users/${adminUser.id}`, `/admin/users/${adminUser.id}/roles`, { roles: ['staff'] });
    assert.equal(response.status, 403);
    assert.ok((await User.findById(adminUser.id).lean())?.roles.includes('admin'));
  });

  it("ends a suspended user's sessions, refuses their sign-in, and lets them back after reinstatement", async () => {
    const target = await createUser();
    const targetClient = await signedInClient(app.url, target);
    assert.equal((await targetClient.get('/account')).status, 200);

    const noReason = await admin.submit(`/admin/users/${target.id}`, `/admin/users/${target.id}/suspend`, { reason: '  ' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.body_, /Give a reason/);

    const suspended = await admin.submit(`/admin/users/${target.id}`, `/admin/users/${target.id}/suspend`, { reason: 'Spam' });
    assert.equal(suspended.status, 303);
    assert.equal((await targetClient.get('/account')).status, 302, 'the existing session has ended');
    const refused = await new TestClient(app.url).submit('/sign-in', '/sign-in', { email: target.email, password: target.password });
    assert.equal(refused.status, 400);
    assert.match(refused.body_, /This account is suspended\. The reason given: “Spam”\./, 'told the reason, as the suspend form promised');
    const wrongPassword = await new TestClient(app.url).submit('/sign-in', '/sign-in', { email: target.email, password: 'Not-Their-Password-1' });
    assert.doesNotMatch(wrongPassword.body_, /suspended|Spam/, 'but only with the right password');
    assert.ok(await AuditEntry.findOne({ targetId: target.id, action: 'user.suspended', reason: 'Spam' }).lean());

    await admin.submit(`/admin/users/${target.id}`, `/admin/users/${target.id}/reinstate`, {});
    assert.equal((await new TestClient(app.url).submit('/sign-in', '/sign-in', { email: target.email, password: target.password })).status, 303);
  });

  it('searches users by the start of a name or email and pages through them by keyset', async () => {
    const prefix = `Zed${Date.now()}`;
    for (let i = 0; i < 30; i++) await createUser({ name: `${prefix} Person ${i}` });
    const first = await admin.get(`/admin/users?q=${prefix}`);
    assert.equal((first.body_.match(new RegExp(`${prefix} Person`, 'g')) ?? []).length, 25);
    const next = first.body_.match(/href="\/admin\/users\?q=[^&]*&amp;after=([0-9a-f]{24})"/)?.[1];
    assert.ok(next, 'a next-page link');
    const second = await admin.get(`/admin/users?q=${prefix}&after=${next}`);
    assert.equal((second.body_.match(new RegExp(`${prefix} Person`, 'g')) ?? []).length, 5);
    assert.doesNotMatch(second.body_, /after=/);

    for (let i = 0; i < 26; i++) await createUser({ name: `R&D+${prefix} ${i}` });
    const special = await admin.get(`/admin/users?q=${encodeURIComponent(`R&D+${prefix}`)}`);
    assert.match(special.body_, new RegExp(`href="/admin/users\\?q=R%26D%2B${prefix}&amp;after=`), 'the search survives into the next-page link');

    const none = await admin.get('/admin/users?q=NoOneHasThisName');
    // The apostrophe comes from the catalogue now, escaped like any value in a page.
    assert.match(none.body_, /No user&#x27;s name or email starts with/);
  });
});
