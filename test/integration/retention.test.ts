import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { AuditEntry } from '../../src/features/audit/audit.model.ts';
import { Notification } from '../../src/features/notifications/notification.model.ts';
import { startRetentionScheduler } from '../../src/features/privacy/retention.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import { createUser } from '../helpers/users.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('retention of audit entries and notifications', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('the scheduler deletes what is older than the setting, keeps the rest, and fixes the unread count', async () => {
    const user = await createUser();
    const { notifications } = app.services;
    for (const text of ['old, unread', 'old, read', 'recent']) await notifications.notify([user.id], { kind: 'announcement', text, link: '/' });
    await Notification.updateMany({ userId: new mongoose.Types.ObjectId(user.id), text: /^old/ }, { $set: { at: new Date(Date.now() - 40 * DAY_MS) } });
    await notifications.open(actorFor(user), 2);
    const target = `retention-${user.id}`;
    await AuditEntry.create([
      { action: 'test.old', targetType: 'test', targetId: target, at: new Date(Date.now() - 400 * DAY_MS) },
      { action: 'test.recent', targetType: 'test', targetId: target, at: new Date(Date.now() - 10 * DAY_MS) },
    ]);
    assert.equal(await notifications.unreadCount(actorFor(user)), 2);

    const stop = startRetentionScheduler({ settings: { auditDays: 365, notificationDays: 30 }, notifications, logger: createLogger('silent'), intervalMs: 100 });
    try {
      await eventually(async () => (await AuditEntry.countDocuments({ targetId: target })) === 1, 'the old audit entry to go');
      await eventually(async () => (await Notification.countDocuments({ userId: new mongoose.Types.ObjectId(user.id) })) === 1, 'the old notifications to go');
      // The inbox's count is corrected after the notices go, in the same round: wait for it too.
      await eventually(async () => (await notifications.unreadCount(actorFor(user))) === 1, 'the unread count to drop by the old unread notice');
    } finally {
      stop();
    }
    assert.equal((await AuditEntry.findOne({ targetId: target }).lean())?.action, 'test.recent');
    assert.equal((await Notification.findOne({ userId: new mongoose.Types.ObjectId(user.id) }).lean())?.text, 'recent');
  });
});
