import mongoose from 'mongoose';
import type { Actor } from '../../shared/actor.ts';
import { NotFound } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import { Inbox, Notification, notificationId, type NotificationKind } from './notification.model.ts';

export type NewNotification = { kind: NotificationKind; text: string; link: string };
const PAGE = 20;

export function createNotifications(deps: { events: EventBus }) {
  // Unread counts shown in every signed-in page's header, kept in memory and updated on writes.
  const unreadCounts = new Map<string, number>();

  async function deliver(userId: string, notification: NewNotification): Promise<void> {
    const inbox = await Inbox.findOneAndUpdate({ _id: userId }, { $inc: { latest: 1, unread: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
    const seq = inbox!.latest;
    await Notification.create({ _id: notificationId(userId, seq), userId, seq, ...notification });
    unreadCounts.set(userId, inbox!.unread);
    deps.events.emit('inbox.changed', { userId });
  }

  return {
    /** Tells each recipient once; never the person whose action caused it. */
    async notify(recipientIds: Iterable<string>, notification: NewNotification, options: { except?: string | null } = {}): Promise<void> {
      const recipients = [...new Set(recipientIds)].filter((id) => id !== options.except);
      await Promise.all(recipients.map((id) => deliver(id, notification)));
    },

    async unreadCount(actor: Actor): Promise<number> {
      const cached = unreadCounts.get(actor.id);
      if (cached !== undefined) return cached;
      const unread = (await Inbox.findById(actor.id).lean())?.unread ?? 0;
      unreadCounts.set(actor.id, unread);
      return unread;
    },

    /** Newest first, a page before notification number `before`. */
    async inbox(actor: Actor, before?: number) {
      const inbox = await Inbox.findById(actor.id).lean();
      const top = Math.min(inbox?.latest ?? 0, before ? before - 1 : Infinity);
      const seqs = Array.from({ length: Math.min(PAGE, top) }, (_, index) => top - index);
      const found = await Promise.all(seqs.map((seq) => Notification.findById(notificationId(actor.id, seq)).lean()));
      const notifications = found
        .filter((notification) => notification !== null)
        .map((notification) => ({ ...notification, unread: !notification.read && notification.seq > (inbox?.readUpTo ?? 0) }));
      const last = seqs[seqs.length - 1];
      return { notifications, unread: inbox?.unread ?? 0, nextBefore: last !== undefined && last > 1 ? last : null };
    },

    /** Marks one read and returns where it points. */
    async open(actor: Actor, seq: number): Promise<string> {
      const notification = await Notification.findOneAndUpdate({ _id: notificationId(actor.id, seq), read: false }, { $set: { read: true } }).lean();
      if (notification) {
        const inbox = await Inbox.findById(actor.id).lean();
        if (seq > (inbox?.readUpTo ?? 0)) {
          const updated = await Inbox.findOneAndUpdate({ _id: actor.id, unread: mongoose.trusted({ $gt: 0 }) }, { $inc: { unread: -1 } }, { returnDocument: 'after' }).lean();
          if (updated) unreadCounts.set(actor.id, updated.unread);
        }
        deps.events.emit('inbox.changed', { userId: actor.id });
        return notification.link;
      }
      const existing = await Notification.findById(notificationId(actor.id, seq)).lean();
      if (!existing) throw new NotFound('No such notification.');
      return existing.link;
    },

    async markAllRead(actor: Actor): Promise<void> {
      const inbox = await Inbox.findById(actor.id).lean();
      if (!inbox) return;
      await Inbox.updateOne({ _id: actor.id, latest: inbox.latest }, { $set: { readUpTo: inbox.latest, unread: 0 } });
      unreadCounts.set(actor.id, 0);
      deps.events.emit('inbox.changed', { userId: actor.id });
    },

    /** Another process changed this inbox: read it again next time. */
    forget: (userId: string) => unreadCounts.delete(userId),
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
