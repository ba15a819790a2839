import mongoose, { Schema } from 'mongoose';
import { isMessage, type Message, type Text } from '../../i18n/i18n.ts';

export const NOTIFICATION_KINDS = [
  'idea_submitted',
  'phase_changed',
  'coauthor_invited',
  'coauthor_joined',
  'comment_added',
  'mentioned',
  'question_asked',
  'report_hidden',
  'question_answered',
  'announcement',
  'idea_decision',
  'idea_merged',
  'content_moderated',
  'judging_assigned',
  'judging_reminder',
  'appeal',
  'winners_announced',
  'backlog_update',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const DELIVERY_CHOICES = ['off', 'in-app', 'email', 'digest'] as const;
export type Delivery = (typeof DELIVERY_CHOICES)[number];

/** Outcome news reaches people by email at once unless they choose otherwise; everything else stays in Cocreate. */
export const DEFAULT_DELIVERY: Partial<Record<NotificationKind, Delivery>> = { idea_decision: 'email', winners_announced: 'email', backlog_update: 'email' };

/** Kinds only some people can receive: judges are staff; questions go to a challenge's copilots. */
export const KIND_AUDIENCE: Partial<Record<NotificationKind, 'staff' | 'curators'>> = { judging_assigned: 'staff', judging_reminder: 'staff', question_asked: 'curators', report_hidden: 'curators' };

/** Notifications waiting for a person's daily digest, keyed by user id. */
const digestSchema = new Schema({ _id: { type: String, required: true }, seqs: { type: [Number], default: [] } }, { versionKey: false });
export const PendingDigest = mongoose.model('PendingDigest', digestSchema);

/** One document per day that digests were sent: inserting it is how one process claims the day. */
const digestRunSchema = new Schema({ _id: { type: String, required: true }, at: { type: Date, default: () => new Date() } }, { versionKey: false });
export const DigestRun = mongoose.model('DigestRun', digestRunSchema);

/**
 * A person's inbox: how many notifications they have had (`latest`), up to which one all are
 * read (`readUpTo`) and how many are unread. Notification n of user u is `${u}:${n}`, so the
 * newest page is read by _id and "mark all read" is one update, on both database engines.
 */
const inboxSchema = new Schema(
  {
    _id: { type: String, required: true },
    latest: { type: Number, default: 0 },
    readUpTo: { type: Number, default: 0 },
    unread: { type: Number, default: 0 },
    // The key of the last notice counted from the outbox (see `takeSlot`): counting it again is refused.
    lastKey: { type: String, default: null },
    // The person's open "N new ideas" notices, challenge id → notice number: marking all read closes them.
    news: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false },
);
export const Inbox = mongoose.model('Inbox', inboxSchema);

const notificationSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    kind: { type: String, enum: NOTIFICATION_KINDS, required: true },
    // New notices are a catalogue key and its values, put into words in the reader's language when
    // read; notices stored before that hold an English sentence in `text`, shown as it is.
    key: { type: String, default: null },
    params: { type: Schema.Types.Mixed, default: null },
    text: { type: String, default: null },
    link: { type: String, required: true },
    read: { type: Boolean, default: false },
    at: { type: Date, default: () => new Date() },
    // Notices of one group (new ideas in one challenge) fold into the latest unread one: how many it holds.
    group: { type: String, default: null },
    count: { type: Number, default: 1 },
    // The outbox key of the notice that made it or last folded into it: a replay of that one finds it here.
    eventKey: { type: String, default: null },
    // An "N new ideas" notice: the challenge's ideas told from `from` on (outbox numbers, see
    // idea-news.ts), counted when read; `until` once it is read, with what it said then kept above.
    news: { type: new Schema({ challengeId: String, from: Number, until: Number }, { _id: false }), default: null },
  },
  { versionKey: false },
);
export const Notification = mongoose.model('Notification', notificationSchema);

/**
 * Per challenge, each person's "N new ideas" window (see `news` above): `seq`, the open notice
 * that counts the challenge's new ideas for them (0 once read), and `from`, where the next one
 * starts. Read once per new idea instead of writing to each follower's notice.
 */
const newsWindowsSchema = new Schema({ _id: { type: String, required: true }, users: { type: Schema.Types.Mixed, default: {} } }, { versionKey: false, minimize: false });
export const NewsWindows = mongoose.model('NewsWindows', newsWindowsSchema);
export type NewsWindow = { seq: number; from: number; key?: string | null };

export const notificationId = (userId: string, seq: number) => `${userId}:${seq}`;

/** What a stored notice says, as a message to translate for its reader. */
export const noticeText = (notice: { key?: string | null; params?: unknown; text?: string | null }): Text =>
  notice.key ? { key: notice.key, ...(notice.params ? { params: notice.params as Message['params'] } : {}) } : (notice.text ?? '');

/** How a notice is stored: its key and values, or a plain sentence (free text given by a script or test). */
export const storedText = (text: Text) => (isMessage(text) ? { key: text.key, params: text.params ?? null, text: null } : { key: null, params: null, text });
