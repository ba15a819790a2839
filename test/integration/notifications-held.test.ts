import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { Inbox, Notification } from '../../src/features/notifications/notification.model.ts';
import { createBatch, whileApplying } from '../../src/shared/applying-event.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createUser } from '../helpers/users.ts';

/**
 * The notifications consumer holds the notices of an outbox round and stores them in one insert
 * at its end. A person's slots are taken in the outbox's order, so the inbox reads in that order:
 * a plain notice's at the round's end (all people side by side), an "N new ideas" notice's as its
 * entry is applied (its window needs it), after the plain ones held for that person. A round
 * that stops before its end is applied again, each notice once, into the slots it took.
 */
describe('notices held over an outbox round', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ consumeOutbox: false });
  });
  after(() => app.close());

  /** Applies entries `seqs` as a consumer's round does, each telling `userId` one notice; with `batch`, held for the round. */
  async function round(userId: string, seqs: number[], options: { batch: boolean; replay: boolean; stop?: boolean }) {
    const batch = options.batch ? createBatch() : undefined;
    for (const seq of seqs) {
      await whileApplying({ key: String(seq), seq, replay: options.replay, batch }, () =>
        app.services.notifications.notify([userId], { kind: 'phase_changed', text: `Entry ${seq}`, link: '/challenges' }),
      );
    }
    if (!options.stop) await batch?.flush();
  }

  async function inbox(userId: string) {
    const [stored, notices] = await Promise.all([Inbox.findById(userId).lean(), Notification.find({ userId }).lean()]);
    return { latest: stored?.latest, unread: stored?.unread, notices: notices.sort((a, b) => a.seq - b.seq).map((notice) => `${notice.seq}: ${notice.text}`) };
  }

  it("stores a round's notices in one insert, in the outbox's order, and nothing more when the round is applied again", async () => {
    const [first, second] = await Promise.all([createUser(), createUser()]);
    const inserts: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection === 'notifications' && method.startsWith('insert')) inserts.push(method);
    });
    try {
      const batch = createBatch();
      for (const seq of [101, 102, 103]) {
        await whileApplying({ key: String(seq), seq, replay: false, batch }, () =>
          app.services.notifications.notify(seq === 102 ? [second.id] : [first.id, second.id], { kind: 'phase_changed', text: `Entry ${seq}`, link: '/challenges' }),
        );
      }
      assert.deepEqual((await inbox(first.id)).notices, [], 'held until the round ends');
      await batch.flush();
    } finally {
      mongoose.set('debug', false);
    }
    assert.deepEqual(inserts, ['insertMany']);
    assert.deepEqual(await inbox(first.id), { latest: 2, unread: 2, notices: ['1: Entry 101', '2: Entry 103'] });
    assert.deepEqual(await inbox(second.id), { latest: 3, unread: 3, notices: ['1: Entry 101', '2: Entry 102', '3: Entry 103'] });
    await round(second.id, [101, 102, 103], { batch: true, replay: true });
    assert.deepEqual((await inbox(second.id)).latest, 3);
  });

  it('takes a person’s held slots before a slot their round takes for them at once (an "N new ideas" notice)', async () => {
    const { id } = await createUser();
    const batch = createBatch();
    await whileApplying({ key: '301', seq: 301, replay: false, batch }, () => app.services.notifications.notify([id], { kind: 'phase_changed', text: 'Entry 301', link: '/challenges' }));
    const news = { kind: 'idea_submitted' as const, text: 'Entry 302', link: '/ideas/1', group: { key: 'new-ideas:held-test', text: () => 'ideas', link: '/challenges' } };
    await whileApplying({ key: '302', seq: 302, replay: false, batch }, () => app.services.notifications.tellNews([id], 'held-test', 302, news, async (ids) => ids));
    await whileApplying({ key: '303', seq: 303, replay: false, batch }, () => app.services.notifications.notify([id], { kind: 'phase_changed', text: 'Entry 303', link: '/challenges' }));
    await batch.flush();
    assert.deepEqual(await inbox(id), { latest: 3, unread: 3, notices: ['1: Entry 301', '2: Entry 302', '3: Entry 303'] });
  });

  it('fails the round’s end when slots held for someone could not be taken before one taken at once, so its entries are applied again', async () => {
    const { id } = await createUser();
    // An inbox whose count cannot be moved: taking any slot in it fails.
    await Inbox.collection.insertOne({ _id: id as never, latest: 'broken', unread: 0, readUpTo: 0 });
    const batch = createBatch();
    await whileApplying({ key: '401', seq: 401, replay: false, batch }, () => app.services.notifications.notify([id], { kind: 'phase_changed', text: 'Entry 401', link: '/challenges' }));
    const news = { kind: 'idea_submitted' as const, text: 'Entry 402', link: '/ideas/1', group: { key: 'new-ideas:held-fail', text: () => 'ideas', link: '/challenges' } };
    await assert.rejects(whileApplying({ key: '402', seq: 402, replay: false, batch }, () => app.services.notifications.tellNews([id], 'held-fail', 402, news, async (ids) => ids)));
    await assert.rejects(batch.flush(), 'the held notice is not passed by as stored');
  });

  it('a round that stopped before its end is applied again into the next slots, in order, each notice once', async () => {
    const { id } = await createUser();
    // The first try stored its first entry's notice (written at once), then held two and stopped:
    // a plain notice takes its slot at the round's end, so the stop left no empty slot.
    await round(id, [201], { batch: false, replay: false });
    await round(id, [202, 203], { batch: true, replay: false, stop: true });
    assert.deepEqual(await inbox(id), { latest: 1, unread: 1, notices: ['1: Entry 201'] });
    // Applied again after the stop, one at a time (outbox.ts), then once more as a whole.
    await round(id, [201, 202, 203], { batch: false, replay: true });
    const expected = { latest: 3, unread: 3, notices: ['1: Entry 201', '2: Entry 202', '3: Entry 203'] };
    assert.deepEqual(await inbox(id), expected);
    await round(id, [201, 202, 203], { batch: true, replay: true });
    assert.deepEqual(await inbox(id), expected);
    // The next entry takes the next slot.
    await round(id, [204], { batch: true, replay: false });
    assert.deepEqual((await inbox(id)).notices.at(-1), '4: Entry 204');
  });
});
