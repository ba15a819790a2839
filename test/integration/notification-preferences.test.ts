import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { User } from '../../src/features/accounts/user.model.ts';
import { NOTIFICATION_KINDS } from '../../src/features/notifications/notification.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/http.ts';
import { linkIn } from '../helpers/mail.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('notification preferences, emails, daily digests and unsubscribing', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const notify = (userId: string, text: string) => app.services.notifications.notify([userId], { kind: 'phase_changed', text, link: '/challenges' });

  it('emails at once when asked to, with a signed unsubscribe link that works without signing in', async () => {
    const user = await createUser();
    const client = await signedInClient(app.url, user);
    const choices = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, kind === 'phase_changed' ? 'email' : 'in-app']));
    const saved = await client.submit('/account/notifications', '/account/notifications', choices);
    assert.equal(saved.status, 303);
    await notify(user.id, 'Urgent phase news');
    const mail = await app.smtp.waitForMail(user.email, /Urgent phase news/);
    const unsubscribe = new URL(linkIn(mail, `${app.url}/unsubscribe`));

    const visitor = new TestClient(app.url);
    const page = await visitor.get(unsubscribe.pathname + unsubscribe.search);
    assert.equal(page.status, 200);
    const done = await visitor.submit(unsubscribe.pathname + unsubscribe.search, '/unsubscribe', { token: unsubscribe.searchParams.get('token') ?? '' });
    assert.match(done.body_, /You are unsubscribed/);
    assert.equal((await User.findById(user.id).lean())?.notificationPrefs?.phase_changed, 'in-app');
    assert.match((await client.get('/notifications')).body_, /Urgent phase news/, 'the inbox still has it');
  });

  it('refuses a forged or altered unsubscribe token', async () => {
    const user = await createUser();
    const visitor = new TestClient(app.url);
    assert.equal((await visitor.get(`/unsubscribe?token=${user.id}.all.forged`)).status, 400);
    const posted = await visitor.submit('/sign-in', '/unsubscribe', { token: `${user.id}.all.AAAA` });
    assert.equal(posted.status, 400);
  });

  it("batches a day's news into one digest, sent once per day however many processes try", async () => {
    const user = await createUser();
    await User.updateOne({ _id: user.id }, { $set: { notificationPrefs: { phase_changed: 'digest' } } });
    await notify(user.id, 'First digest item');
    await notify(user.id, 'Second digest item');
    const day = new Date('2031-03-04T08:00:00Z');
    const runs = await Promise.all([app.services.notifications.runDailyDigests(day), app.services.notifications.runDailyDigests(day)]);
    assert.equal(
      runs.reduce((a, b) => a + b, 0),
      1,
    );
    const digest = await app.smtp.waitForMail(user.email, /Your Cocreate digest: 2 updates/);
    assert.match(digest.text, /First digest item/);
    assert.match(digest.text, /Second digest item/);
    assert.equal(await app.services.notifications.runDailyDigests(day), 0, 'the day is done');
    await notify(user.id, 'Tomorrow item');
    assert.equal(await app.services.notifications.runDailyDigests(new Date('2031-03-05T08:00:00Z')), 1);
    const next = await app.smtp.waitForMail(user.email, /Your Cocreate digest: 1 update$/);
    assert.doesNotMatch(next.text, /First digest item/);
  });

  it('tells nothing at all for a kind turned off, and refuses an unknown choice', async () => {
    const user = await createUser();
    const client = await signedInClient(app.url, user);
    await User.updateOne({ _id: user.id }, { $set: { notificationPrefs: { phase_changed: 'off' } } });
    await notify(user.id, 'Silent news');
    assert.doesNotMatch((await client.get('/notifications')).body_, /Silent news/);
    const bad = await client.submit('/account/notifications', '/account/notifications', { phase_changed: 'pigeon' });
    assert.equal(bad.status, 400);
  });
  it('shows each person only the kinds their roles can receive, and keeps the choices of kinds not shown', async () => {
    const member = await createUser();
    const memberClient = await signedInClient(app.url, member);
    const memberPage = (await memberClient.get('/account/notifications')).body_;
    assert.doesNotMatch(memberPage, /Ideas assigned to you to judge|A question in a challenge you curate/, 'a member neither judges nor curates');
    assert.match(memberPage, /The copilots’ decision on your idea/);
    assert.match(memberPage, /id="idea_decision-email" name="idea_decision" value="email" aria-labelledby="kind-idea_decision choice-email" checked/, 'outcome news comes by email unless changed');
    assert.equal(memberPage.match(/<th scope="row"/g)?.length, memberPage.match(/name="[a-z_]+" value="off"/g)?.length, 'one row of choices per kind shown');
    assert.match(memberPage, /<th scope="col" id="choice-digest"[^>]*>Daily email digest<\/th>/, 'the column header names the choice');
    const staffPage = (await (await signedInClient(app.url, await createUser({ roles: ['staff'] }))).get('/account/notifications')).body_;
    assert.match(staffPage, /Ideas assigned to you to judge/);

    await User.updateOne({ _id: member.id }, { $set: { notificationPrefs: { judging_assigned: 'off' } } });
    const saved = await memberClient.submit('/account/notifications', '/account/notifications', { idea_decision: 'digest' });
    assert.equal(saved.status, 303);
    const prefs = (await User.findById(member.id).lean())?.notificationPrefs as Record<string, string>;
    assert.equal(prefs.idea_decision, 'digest');
    assert.equal(prefs.judging_assigned, 'off', 'a kind not on the form keeps its choice');
  });

  it('emails outcome news at once by default', async () => {
    const user = await createUser();
    await app.services.notifications.notify([user.id], { kind: 'winners_announced', text: 'Your idea won First prize', link: '/my/ideas' });
    await app.smtp.waitForMail(user.email, /Your idea won First prize/);
  });

  it('folds new-idea notices of one challenge into one while unread: "3 new ideas"', async () => {
    const user = await createUser();
    const client = await signedInClient(app.url, user);
    const notice = (n: number) => ({
      kind: 'idea_submitted' as const,
      text: `New idea in “Pilot”: Idea ${n}`,
      link: `/ideas/${n}`,
      group: { key: 'new-ideas:pilot', text: (count: number) => `${count} new ideas in “Pilot”, the latest: Idea ${n}`, link: '/challenges/pilot#ideas-title' },
    });
    for (const n of [1, 2, 3]) await app.services.notifications.notify([user.id], notice(n));
    await notify(user.id, 'Something else');
    await app.services.notifications.notify([user.id], notice(4));
    const inbox = await app.services.notifications.inbox({ id: user.id, name: user.name, email: user.email, roles: ['member'], emailVerified: true, timezone: 'UTC' });
    assert.deepEqual(
      inbox.notifications.map((n) => n.text),
      ['New idea in “Pilot”: Idea 4', 'Something else', '3 new ideas in “Pilot”, the latest: Idea 3'],
    );
    assert.equal(inbox.unread, 3);
    assert.match((await client.get('/notifications')).body_, /<span class="visually-hidden">Unread: <\/span>3 new ideas in “Pilot”, the latest: Idea 3<\/button>/);
  });
});
