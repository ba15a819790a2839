import mongoose, { Schema } from 'mongoose';

export const NOTIFICATION_KINDS = ['idea_submitted', 'phase_changed', 'coauthor_invited', 'coauthor_joined', 'comment_added', 'mentioned'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * A person's inbox: how many notifications they have had (`latest`), up to which one all are
 * read (`readUpTo`) and how many are unread. Notification n of user u is `${u}:${n}`, so the
 * newest page is read by _id and "mark all read" is one update, on both database engines.
 */
const inboxSchema = new Schema(
  { _id: { type: String, required: true }, latest: { type: Number, default: 0 }, readUpTo: { type: Number, default: 0 }, unread: { type: Number, default: 0 } },
  { versionKey: false },
);
export const Inbox = mongoose.model('Inbox', inboxSchema);

const notificationSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    kind: { type: String, enum: NOTIFICATION_KINDS, required: true },
    text: { type: String, required: true },
    link: { type: String, required: true },
    read: { type: Boolean, default: false },
    at: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);
export const Notification = mongoose.model('Notification', notificationSchema);

export const notificationId = (userId: string, seq: number) => `${userId}:${seq}`;
