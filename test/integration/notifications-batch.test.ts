import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { User } from '../../src/features/accounts/user.model.ts';
import { Followers, followersId } from '../../src/features/community/follow.model.ts';
import { Inbox, NewsWindows, Notification, PendingDigest } from '../../src/features/notifications/notification.model.ts';
import type { NewNotification } from '../../src/features/notifications/notifications.service.ts';
import { createBatch, whileApplying } from '../../src/shared/applying-event.ts';
import { twoTestApps } from '../helpers/app.ts';
import { eventually } from '../helpers/eventually.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

const CHOICES = ['in-app', 'email', 'digest'] as const;

/** Notices go to all recipients of one event in one insert: the guarantees of one-by-one delivery hold for each. */
describe('notices to many people at once', () => {
  const apps = twoTestApps({ before, after });

  async function people(count: number) {
    const created = await Promise.all(Array.from({ length: count }, () => createUser()));
    await Promise.all(created.map((person, index) => User.updateOne({ _id: person.id }, { $set: { notificationPrefs: { phase_changed: CHOICES[index % 3] } } })));
    return created;
  }

  async function inboxOf(userId: string) {
    const [inbox, notices, digest] = await Promise.all([Inbox.findById(userId).lean(), Notification.find({ userId }).lean(), PendingDigest.findById(userId).lean()]);
    return { latest: inbox?.latest, unread: inbox?.unread, notices: notices.map((notice) => ({ seq: notice.seq, text: notice.text })), digest: digest?.seqs ?? [] };
  }

  /** Notice `n` of a challenge's new ideas, as subscribers.ts makes them. */
  const newIdea = (n: number): NewNotification => ({
    kind: 'idea_submitted',
    text: `Idea ${n}`,
    link: `/ideas/${n}`,
    group: { key: 'new-ideas:batch-test', text: (count) => `${count} new ideas`, link: '/challenges/batch-test' },
  });

  const mailsTo = (email: string) => [apps.first, apps.second].flatMap((app) => app.smtp.received).filter((mail) => mail.to.includes(email.toLowerCase())).length;

  it('two processes applying one event to twenty people: one notice each, counted once, emailed once, queued for the digest once', async () => {
    const recipients = await people(20);
    const notice: NewNotification = { kind: 'phase_changed', text: 'Batch news', link: '/challenges' };
    const event = { key: 'batch-test-two-processes', seq: 1, replay: true };
    await Promise.all(
      [apps.first, apps.second].map((app) =>
        whileApplying(event, () =>
          app.services.notifications.notify(
            recipients.map(({ id }) => id),
            notice,
          ),
        ),
      ),
    );

    for (const [index, person] of recipients.entries()) {
      const digest = CHOICES[index % 3] === 'digest' ? [1] : [];
      assert.deepEqual(await inboxOf(person.id), { latest: 1, unread: 1, notices: [{ seq: 1, text: 'Batch news' }], digest });
    }
    const emailed = recipients.filter((_, index) => CHOICES[index % 3] === 'email');
    await eventually(async () => emailed.every((person) => mailsTo(person.email) > 0), 'the emails sent');
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const person of recipients) assert.equal(mailsTo(person.email), emailed.includes(person) ? 1 : 0);
  });

  it('a replay after a crash between the slots and the notices fills each counted slot once, and a further replay adds nothing', async () => {
    const recipients = await people(6);
    const notice: NewNotification = { kind: 'phase_changed', text: 'Replayed news', link: '/challenges' };
    const event = { key: 'batch-test-crash', seq: 2, replay: true };
    // The crashed first apply: half the slots were counted (the inbox keyed by the event), no notice stored.
    await Promise.all(
      recipients.slice(0, 3).map(({ id }) => Inbox.updateOne({ _id: id }, { $set: { latest: 1, unread: 1, readUpTo: 0, lastKey: `${event.key}:phase_changed:${id}` } }, { upsert: true })),
    );
    for (let replay = 0; replay < 2; replay++) {
      await whileApplying(event, () =>
        apps.first.services.notifications.notify(
          recipients.map(({ id }) => id),
          notice,
        ),
      );
      for (const [index, person] of recipients.entries()) {
        const digest = CHOICES[index % 3] === 'digest' ? [1] : [];
        assert.deepEqual(await inboxOf(person.id), { latest: 1, unread: 1, notices: [{ seq: 1, text: 'Replayed news' }], digest });
      }
    }
  });

  it('folds new-idea notices told side by side (the seed applies events at once) into one', async () => {
    const reader = await createUser();
    await Promise.all([1, 2, 3, 4].map((n) => apps.first.services.notifications.notify([reader.id], newIdea(n))));
    const notices = await Notification.find({ userId: reader.id }).lean();
    assert.deepEqual(
      notices.map((each) => ({ text: each.text, count: each.count })),
      [{ text: '4 new ideas', count: 4 }],
    );
    assert.equal((await Inbox.findById(reader.id).lean())?.unread, 1);
  });

  it('a new idea told by a process that has not yet read of a "mark all read" made on another starts a new unread notice', async () => {
    const reader = await createUser();
    for (const n of [1, 2]) await apps.first.services.notifications.notify([reader.id], newIdea(n));
    // The first process reads no change log meanwhile: it knows its own fold, and nothing of the reading.
    apps.first.readModelSync.stop();
    try {
      const onSecond = await signedInClient(apps.second.url, reader);
      assert.equal((await onSecond.submit('/notifications', '/notifications/read-all', {})).status, 303);
      await apps.first.services.notifications.notify([reader.id], newIdea(3));
    } finally {
      await apps.first.readModelSync.start();
    }
    const notices = (await Notification.find({ userId: reader.id }).lean()).sort((a, b) => a.seq - b.seq);
    assert.deepEqual(
      notices.map((each) => ({ text: each.text, read: each.read })),
      [
        { text: '2 new ideas', read: true },
        { text: 'Idea 3', read: false },
      ],
    );
    assert.equal((await Inbox.findById(reader.id).lean())?.unread, 1);
  });

  it('an outbox round reads a challenge’s windows once for all its new ideas, and its later ideas count in the windows its earlier ones opened', async () => {
    const recipients = await people(3);
    const ids = recipients.map(({ id }) => id);
    const challengeId = 'batch-news-round';
    const notice: NewNotification = { kind: 'idea_submitted', text: 'New idea', link: '/ideas/1', group: { key: `new-ideas:${challengeId}`, text: () => 'ideas', link: '/challenges' } };
    const batch = createBatch();
    const reads: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection === 'newswindows' && method.startsWith('find')) reads.push(method);
    });
    try {
      for (const seq of [201, 202, 203]) {
        await whileApplying({ key: `round-${seq}`, seq, replay: false, batch }, () => apps.first.services.notifications.tellNews(ids, challengeId, seq, notice, async (candidates) => candidates));
      }
      await batch.flush();
    } finally {
      mongoose.set('debug', false);
    }
    assert.deepEqual(reads, ['findOne'], 'one read for the round');
    const windows = (await NewsWindows.findById(challengeId).lean())?.users as Record<string, { seq: number; from: number }>;
    for (const person of recipients) {
      const { latest, unread, notices } = await inboxOf(person.id);
      assert.deepEqual({ latest, unread, notices: notices.length }, { latest: 1, unread: 1, notices: 1 }, 'one notice, opened by the round’s first idea');
      assert.deepEqual(windows[person.id], { seq: 1, from: 201, key: 'round-201' });
    }
  });

  it('holds the follows an outbox round makes for its end: known to the round’s later entries at once, written together, then heard of by the other process', async () => {
    const [ann, ben] = await people(2);
    const ideaId = new mongoose.Types.ObjectId().toString();
    const key = followersId('idea', ideaId);
    const batch = createBatch();
    for (const [seq, person] of [
      [301, ann!],
      [302, ben!],
    ] as const) {
      await whileApplying({ key: `follow-${seq}`, seq, replay: false, batch }, () => apps.first.services.follows.follow(person.id, 'idea', ideaId));
    }
    assert.deepEqual(new Set(await apps.first.services.follows.followerIds('idea', ideaId)), new Set([ann!.id, ben!.id]), 'known in memory at once');
    assert.equal(await Followers.findById(key).lean(), null, 'written at the round’s end');
    await batch.flush();
    const stored = await Followers.findById(key).lean();
    assert.deepEqual(new Set(stored?.userIds.map(String)), new Set([ann!.id, ben!.id]));
    await eventually(async () => {
      await apps.second.readModelSync.catchUp();
      return (await apps.second.services.follows.followerIds('idea', ideaId)).length === 2;
    }, 'the other process heard of both');
  });

  it('an "N new ideas" window opened by an event applied again (a replay) is opened once; the next idea writes nothing to those it is open for', async () => {
    // In the inbox (their choices above are for another kind).
    const recipients = await people(6);
    const ids = recipients.map(({ id }) => id);
    const challengeId = 'batch-news-test';
    const notice: NewNotification = { kind: 'idea_submitted', text: 'New idea', link: '/ideas/1', group: { key: `new-ideas:${challengeId}`, text: () => 'ideas', link: '/challenges' } };
    const tell = (key: string, seq: number, replay: boolean) =>
      whileApplying({ key, seq, replay }, () => apps.first.services.notifications.tellNews(ids, challengeId, seq, notice, async (candidates) => candidates));
    await tell('batch-news-1', 101, false);
    await tell('batch-news-1', 101, true);
    const notifying: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => {
      if (['notifications', 'inboxes', 'newswindows'].includes(collection)) notifying.push(`${collection}.${method}`);
    });
    try {
      await tell('batch-news-2', 102, false);
    } finally {
      mongoose.set('debug', false);
    }
    assert.deepEqual(notifying, ['newswindows.findOne'], 'one read for all six, no write');
    const windows = (await NewsWindows.findById(challengeId).lean())?.users as Record<string, { seq: number; from: number }>;
    for (const person of recipients) {
      const { latest, unread, notices } = await inboxOf(person.id);
      assert.deepEqual({ latest, unread, notices: notices.length }, { latest: 1, unread: 1, notices: 1 });
      assert.deepEqual(windows[person.id], { seq: 1, from: 101, key: 'batch-news-1' });
    }
  });
});
