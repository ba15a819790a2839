import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../helpers/app.ts';
import { twoTestApps } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import { csrfFrom, type TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { notificationsOf, outboxConsumed } from '../helpers/outbox.ts';
import { User } from '../../src/features/accounts/user.model.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/**
 * Where the crowd sees ideas once approved, each approval tells the challenge's followers; their
 * notices fold into one "N new ideas" while unread, whichever process tells them or shows them.
 */
describe('"N new ideas" notices for a challenge’s followers', () => {
  const apps = twoTestApps({ before, after });

  async function screenedChallenge(title: string, form: Record<string, string> = {}) {
    const copilotUser = await createUser({ name: 'Cleo Copilot' });
    const { id } = await createChallenge(apps.first, { phase: 'open', form: { title, copilots: copilotUser.email, crowdSees: 'approved', ...form } });
    // Its setup's phase move is told through the outbox: applied before anyone follows, or a follower
    // quick enough would be told of it too (and the challenge's title would be in their inbox).
    await eventually(outboxConsumed, 'the challenge’s setup applied');
    return { id, copilot: await signedInClient(apps.first.url, copilotUser) };
  }

  async function submitIdea(author: TestClient, challengeId: string, title: string): Promise<string> {
    const created = await author.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, ideaForm({ title }));
    assert.equal(created.status, 303);
    return (created.headers.get('location') ?? '').split('/')[2]!;
  }

  async function approve(copilot: TestClient, challengeId: string, ideaId: string) {
    const item = `/challenges/${challengeId}/curation/ideas/${ideaId}`;
    assert.equal((await copilot.submit(item, `${item}/decision`, { kind: 'approve', message: '' })).status, 303);
  }

  async function follow(client: TestClient, challengeId: string) {
    assert.equal((await client.submit(`/challenges/${challengeId}`, '/follows', { type: 'challenge', id: challengeId })).status, 303);
  }

  /** The page as `app` shows it once it has read the change log (the notice may have been written by the other process). */
  async function pageOn(app: TestApp, client: TestClient, path: string) {
    await app.readModelSync.catchUp();
    return (await client.get(path)).body_;
  }

  const badge = (page: string) => page.match(/Notifications <span class="nav__count">(\d+)</)?.[1] ?? '0';

  it('counts the approvals in one unread notice that leads to the challenge, shown by the other process, and starts again once read', async () => {
    const { id, copilot } = await screenedChallenge('Quieter mornings');
    const followerUser = await createUser();
    // The follower uses the second process; the approvals are made on the first.
    const follower = await signedInClient(apps.second.url, followerUser);
    await follow(follower, id);
    const author = await signedInClient(apps.first.url, await createUser());
    const ideaIds: string[] = [];
    for (const title of ['Soft alarm', 'Sunrise lamp', 'Tea timer', 'Slow radio', 'Quiet kettle']) ideaIds.push(await submitIdea(author, id, title));

    const inbox = () => pageOn(apps.second, follower, '/notifications');
    await approve(copilot, id, ideaIds[0]!);
    await eventually(async () => /Unread: <\/span>New idea in “Quieter mornings”: Soft alarm/.test(await inbox()), 'the first approval told');
    await approve(copilot, id, ideaIds[1]!);
    await eventually(async () => /Unread: <\/span>2 new ideas in “Quieter mornings”, the latest: Sunrise lamp/.test(await inbox()), 'the second folded in');
    await approve(copilot, id, ideaIds[2]!);
    await eventually(async () => /Unread: <\/span>3 new ideas in “Quieter mornings”, the latest: Tea timer/.test(await inbox()), 'the third folded in');
    const page = await inbox();
    assert.equal(page.match(/Quieter mornings/g)?.length, 1, 'one notice for the three');
    // Counted when read: the second and third approvals wrote nothing to the follower's notice.
    const stored = await notificationsOf(followerUser.id);
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.count, 1, 'the notice as the first approval stored it');
    assert.match(stored[0]!.text, /New idea in “Quieter mornings”: Soft alarm/);
    assert.equal(badge(await pageOn(apps.second, follower, '/')), '1', 'counted once in the unread badge');
    assert.equal(badge(await pageOn(apps.first, await signedInClient(apps.first.url, followerUser), '/')), '1', 'on either process');

    const seq = page.match(/action="\/notifications\/(\d+)\/open"/)?.[1];
    const opened = await follower.post(`/notifications/${seq}/open`, { _csrf: csrfFrom(page) });
    assert.equal(opened.headers.get('location'), `/challenges/${id}#ideas-title`);
    assert.equal(badge(await pageOn(apps.second, follower, '/')), '0');

    // Read: the next approval is news again, not a fourth idea in a notice already read.
    await approve(copilot, id, ideaIds[3]!);
    await eventually(async () => /Unread: <\/span>New idea in “Quieter mornings”: Slow radio/.test(await inbox()), 'the fourth told anew');
    assert.match(await inbox(), /3 new ideas in “Quieter mornings”, the latest: Tea timer/, 'the read one stays as it was');
    assert.equal(badge(await pageOn(apps.second, follower, '/')), '1');

    // Marked read with the rest, on the other process: the same.
    assert.equal((await follower.submit('/notifications', '/notifications/read-all', {})).status, 303);
    await approve(copilot, id, ideaIds[4]!);
    await eventually(async () => /Unread: <\/span>New idea in “Quieter mornings”: Quiet kettle/.test(await inbox()), 'the fifth told anew');
    assert.doesNotMatch(await inbox(), /2 new ideas/);
    assert.equal(badge(await pageOn(apps.second, follower, '/')), '1');
  });

  it('counts only the ideas a follower may see: not their own, and none of a sealed challenge for the crowd', async () => {
    const open = await screenedChallenge('Shared desks');
    const followerUser = await createUser();
    const follower = await signedInClient(apps.first.url, followerUser);
    await follow(follower, open.id);
    const author = await signedInClient(apps.first.url, await createUser());
    const others = [await submitIdea(author, open.id, 'Desk booking board'), await submitIdea(author, open.id, 'Locker app')];
    const own = await submitIdea(follower, open.id, 'My own desk idea');
    const inbox = () => pageOn(apps.first, follower, '/notifications');
    // Theirs first: its approval is told to them as its author, a notice that would end the folding.
    await approve(open.copilot, open.id, own);
    await eventually(async () => /“My own desk idea” is approved/.test(await inbox()), 'the author told of the approval');
    await approve(open.copilot, open.id, others[0]!);
    await approve(open.copilot, open.id, others[1]!);
    await eventually(async () => /2 new ideas in “Shared desks”, the latest: Locker app/.test(await inbox()), 'the two others’ ideas counted');
    assert.doesNotMatch(await inbox(), /3 new ideas|New idea in “Shared desks”: My own desk idea/);
    // Hidden by its copilot, the latest is no longer news to the crowd: counted when read, it drops out.
    assert.equal((await open.copilot.submit(`/ideas/${others[1]!}`, `/ideas/${others[1]!}/hide`, { reason: 'Off topic' })).status, 303);
    await eventually(async () => /New idea in “Shared desks”: Desk booking board/.test(await inbox()), 'the hidden idea left out');
    assert.doesNotMatch(await inbox(), /Locker app/);

    const sealed = await screenedChallenge('Salary ideas', { submissionVisibility: 'sealed' });
    const member = await signedInClient(apps.first.url, await createUser());
    await follow(member, sealed.id);
    for (const title of ['Pay bands', 'Bonus pool']) await approve(sealed.copilot, sealed.id, await submitIdea(author, sealed.id, title));
    await eventually(outboxConsumed, 'the approvals’ effects applied');
    assert.doesNotMatch(await pageOn(apps.first, member, '/notifications'), /Salary ideas/, 'a crowd follower is not told of sealed ideas');
    assert.equal(badge(await pageOn(apps.first, member, '/')), '0');
  });

  it('tells staff who follow the challenge once per idea: at its submission, which they may see, not again at its approval', async () => {
    const { id, copilot } = await screenedChallenge('Fewer meetings');
    const staff = await signedInClient(apps.first.url, await createUser({ roles: ['staff'] }));
    await follow(staff, id);
    const author = await signedInClient(apps.first.url, await createUser());
    const ideaIds = [await submitIdea(author, id, 'No-meeting Wednesdays'), await submitIdea(author, id, 'Walking one-to-ones')];
    const inbox = () => pageOn(apps.first, staff, '/notifications');
    await eventually(async () => /2 new ideas in “Fewer meetings”, the latest: Walking one-to-ones/.test(await inbox()), 'staff told of both submissions');
    for (const ideaId of ideaIds) await approve(copilot, id, ideaId);
    await eventually(outboxConsumed, 'the approvals’ effects applied');
    assert.match(await inbox(), /2 new ideas in “Fewer meetings”/, 'still two ideas, not four');
  });

  it('marking all read keeps what an open notice says, with later notices of other kinds above it; a digest follower gets it in the digest', async () => {
    const { id, copilot } = await screenedChallenge('Greener commute');
    const followerUser = await createUser();
    const follower = await signedInClient(apps.first.url, followerUser);
    await follow(follower, id);
    const digestUser = await createUser();
    await follow(await signedInClient(apps.first.url, digestUser), id);
    await User.updateOne({ _id: digestUser.id }, { $set: { notificationPrefs: { idea_submitted: 'digest' } } });
    apps.first.readModels.users.forget(digestUser.id);
    apps.second.readModels.users.forget(digestUser.id);
    const author = await signedInClient(apps.first.url, await createUser());
    const ideaIds: string[] = [];
    for (const title of ['Bike racks', 'Car pool board', 'Shuttle bus']) ideaIds.push(await submitIdea(author, id, title));
    const inbox = () => pageOn(apps.first, follower, '/notifications');
    await approve(copilot, id, ideaIds[0]!);
    await eventually(async () => /New idea in “Greener commute”: Bike racks/.test(await inbox()), 'the first approval told');
    // A notice of another kind arrives: the open one goes on counting below it.
    const asked = await submitIdea(follower, id, 'Remote Fridays');
    await approve(copilot, id, asked);
    await approve(copilot, id, ideaIds[1]!);
    await eventually(async () => /2 new ideas in “Greener commute”, the latest: Car pool board/.test(await inbox()), 'the second counted in the open notice');
    // Counted when read, the open notice shows an approval as soon as the board has it; the
    // author's notice of their own approval is stored by the outbox's consumer, with its round.
    await eventually(async () => /“Remote Fridays” is approved/.test(await inbox()), 'the follower’s own idea’s approval told');

    assert.equal((await follower.submit('/notifications', '/notifications/read-all', {})).status, 303);
    await approve(copilot, id, ideaIds[2]!);
    await eventually(async () => /Unread: <\/span>New idea in “Greener commute”: Shuttle bus/.test(await inbox()), 'the third told anew');
    const page = await inbox();
    assert.match(page, /2 new ideas in “Greener commute”, the latest: Car pool board/, 'the read one kept what it said');
    assert.doesNotMatch(page, /3 new ideas/);
    assert.equal(badge(await pageOn(apps.first, follower, '/')), '1');

    await eventually(outboxConsumed, 'the approvals’ effects applied');
    await apps.first.services.notifications.runDailyDigests(new Date('2031-01-07T06:00:00Z'));
    const digest = await apps.first.smtp.waitForMail(digestUser.email, /digest: 1 update/);
    assert.match(digest.text, /4 new ideas in “Greener commute”, the latest: Shuttle bus/, 'counted when the digest is sent');
  });
});
