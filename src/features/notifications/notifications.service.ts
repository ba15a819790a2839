import mongoose from 'mongoose';
import { isLocale, message, translate, translator, type Locale, type Text } from '../../i18n/i18n.ts';
import { isStaff, type Actor } from '../../shared/actor.ts';
import { CONVERGENCE_BOUND_MS } from '../../cluster/change-log.ts';
import { NotFound } from '../../shared/errors.ts';
import { createKeyedCache } from '../../shared/keyed-cache.ts';
import type { Recipient, UserCache } from '../accounts/user-cache.ts';
import type { EventBus } from '../../shared/events.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { saveNotificationPrefs, saveNotificationPref } from '../accounts/notification-prefs.ts';
import { User } from '../accounts/user.model.ts';
import type { IdeaNews } from '../ideas/idea-news.ts';
import {
  DEFAULT_DELIVERY,
  DELIVERY_CHOICES,
  DigestRun,
  Inbox,
  KIND_AUDIENCE,
  Notification,
  notificationId,
  noticeText,
  NOTIFICATION_KINDS,
  NewsWindows,
  storedText,
  PendingDigest,
  type Delivery,
  type NewsWindow,
  type NotificationKind,
} from './notification.model.ts';
import { AS_BUILT } from '../../db/as-built.ts';
import { duplicateIndexes, isDuplicateKeyError } from '../../shared/errors.ts';
import { allDone } from '../../shared/all-done.ts';
import { appliedEvent, type Batch } from '../../shared/applying-event.ts';
import { closeNews, newsNow, newsWindows, openedWindows } from './news-notices.ts';
import { unsubscribeToken } from './unsubscribe-token.ts';

/**
 * `text`: a catalogue message (or, from scripts and tests, a plain sentence), put into words for each
 * reader. `group`: notices with one key fold into the latest one while it is unread, then read as
 * `text(count)` and lead to `link`.
 */
export type NewNotification = {
  kind: NotificationKind;
  text: Text;
  link: string;
  group?: { key: string; text: (count: number) => Text; link: string };
  /** An "N new ideas" notice whose count is derived when read (see `tellNews`), from outbox number `from` on. */
  news?: { challengeId: string; from: number };
};
const PAGE = 20;
const REPLAY_LOOKBACK = 10;
/** People whose newest notice (`tips`) a process keeps: the ones it tells most. */
const MAX_TIPS = 10_000;

type Tip = { seq: number; group: string; count: number };

/** Applying an outbox event: the event, the kind and the person make one notice, whatever the replays. */
const noticeKey = (kind: NotificationKind, userId: string): string | null => {
  const event = appliedEvent();
  return event ? `${event.key}:${kind}:${userId}` : null;
};

/** `users`: who a notice goes to and how they want it, from the users' cache (no read per recipient of a notice to many). */
export type NotificationsDeps = {
  events: EventBus;
  mailer: Mailer;
  users: Pick<UserCache, 'recipient' | 'activeActor' | 'forget'>;
  /** What an open "N new ideas" notice counts now. */
  news: IdeaNews;
  publicUrl: string;
  secret: string;
  defaultLocale?: Locale;
};

const deliveryOf = (prefs: unknown, kind: NotificationKind): Delivery => {
  const value = (prefs as Record<string, unknown> | null | undefined)?.[kind];
  return (DELIVERY_CHOICES as readonly unknown[]).includes(value) ? (value as Delivery) : (DEFAULT_DELIVERY[kind] ?? 'in-app');
};

export function createNotifications(deps: NotificationsDeps) {
  // Unread counts shown in every signed-in page's header, kept in memory and updated on writes.
  const unreadCounts = new Map<string, number>();
  // The inbox's first page (21 reads by _id) per person, dropped by every change of their inbox:
  // here at the write, from other processes through the change log ('inbox.changed' → forget).
  const firstPages = createKeyedCache((userId: string) => readPage(userId), { ttlMs: CONVERGENCE_BOUND_MS, maxKeys: 2_000 });
  // Per person, the delivery batch that ends last in this process (see `deliver`).
  const turns = new Map<string, Promise<void>>();
  // Per person, their newest notice as this process last stored or read it, when it is an unread
  // notice of a group: the next notice of that group folds into it in one conditional update, with
  // no read of the inbox and the notice (`foldIntoTip`). The condition is on the notice itself
  // (unread, that group, that count): opened, marked read with the rest, folded by another process
  // or deleted, it misses and `fold` reads afresh. A newer notice stored by another process drops
  // the tip when its change-log entry arrives (CONVERGENCE_BOUND_MS); a fold meanwhile lands in
  // the notice below it, as a fold racing a new notice does anyway.
  const tips = new Map<string, Tip>();
  function setTip(userId: string, tip: Tip | null) {
    tips.delete(userId);
    if (!tip) return;
    if (tips.size >= MAX_TIPS) tips.delete(tips.keys().next().value!);
    tips.set(userId, tip);
  }

  /** After writes to these people's inboxes: this process's copies, then other processes (one change-log entry) and live pages. */
  function inboxChanged(userIds: string[]) {
    if (userIds.length === 0) return;
    for (const userId of userIds) firstPages.forget(userId);
    deps.events.emit('inbox.changed', { userIds });
  }

  async function readPage(userId: string, before?: number) {
    const inbox = await Inbox.findById(userId).lean();
    const top = Math.min(inbox?.latest ?? 0, before ? before - 1 : Infinity);
    const seqs = Array.from({ length: Math.min(PAGE, top) }, (_, index) => top - index);
    const found = await Promise.all(seqs.map((seq) => Notification.findById(notificationId(userId, seq)).lean()));
    const notifications = found
      .filter((notification) => notification !== null)
      .map((notification) => ({ ...notification, text: noticeText(notification), unread: !notification.read && notification.seq > (inbox?.readUpTo ?? 0) }));
    const last = seqs[seqs.length - 1];
    return { notifications, unread: inbox?.unread ?? 0, nextBefore: last !== undefined && last > 1 ? last : null };
  }

  const localeOf = (user: { locale?: string | null }): Locale => (isLocale(user.locale) ? user.locale : (deps.defaultLocale ?? 'en'));

  function emailFooter(userId: string, locale: Locale) {
    const t = translator(locale);
    return `\n--\n${t('email.footer.choose', { link: `${deps.publicUrl}/account/notifications` })}\n${t('email.footer.stop', { link: `${deps.publicUrl}/unsubscribe?token=${unsubscribeToken(deps.secret, userId, 'all')}` })}\n`;
  }

  type Group = NonNullable<NewNotification['group']>;
  const foldedInto = (group: Group, count: number, key: string | null) => ({ ...storedText(group.text(count)), link: group.link, count, at: new Date(), eventKey: key });

  /** Folds the notice into the person's tip (see `tips`) in one conditional update; false when there is none or it missed. */
  async function foldIntoTip(userId: string, group: Group, key: string | null): Promise<boolean> {
    const tip = tips.get(userId);
    if (!tip || tip.group !== group.key) return false;
    const count = tip.count + 1;
    // Not the notice's event: a replay of it misses, and `fold` finds it folded.
    const notReplayed = key ? { eventKey: mongoose.trusted({ $ne: key }) } : {};
    const folded = await Notification.updateOne({ _id: notificationId(userId, tip.seq), read: false, group: group.key, count: tip.count, ...notReplayed }, { $set: foldedInto(group, count, key) });
    setTip(userId, folded.modifiedCount === 1 ? { ...tip, count } : null);
    return folded.modifiedCount === 1;
  }

  /** Folds the notice into the person's latest one if that is unread and of the same group; true when it did (now or before). */
  async function fold(userId: string, group: Group, key: string | null): Promise<boolean> {
    const inbox = await Inbox.findById(userId).lean();
    if (!inbox || inbox.latest <= inbox.readUpTo) return false;
    const latest = await Notification.findById(notificationId(userId, inbox.latest)).lean();
    if (!latest || latest.read || latest.group !== group.key) return false;
    const tip = { seq: latest.seq, group: group.key, count: latest.count ?? 1 };
    if (key && latest.eventKey === key) {
      setTip(userId, tip);
      return true;
    }
    const count = tip.count + 1;
    // Conditional on the count read: of two notices at once, each folds in once.
    const folded = await Notification.updateOne({ _id: latest._id, read: false, count: tip.count }, { $set: foldedInto(group, count, key) });
    if (folded.modifiedCount !== 1) return false;
    setTip(userId, { ...tip, count });
    return true;
  }

  /**
   * The slot an earlier apply of the event being applied took in this inbox: null when its notice
   * is stored, undefined when it took none. Its notices may be held for the end of their round
   * (`deliver`), and a round that stopped first left the slots of several events empty: slots
   * go in the outbox's order, so this event's is the lowest empty one above the notices of
   * earlier events. Read only for a replay, or when the inbox's last slot is this event's.
   */
  async function slotTakenBefore(userId: string, key: string): Promise<{ seq: number; unread: number } | null | undefined> {
    const inbox = await Inbox.findById(userId).lean();
    if (!inbox) return undefined;
    // Its slot is the last one but for notices sent directly since (stored at once): the first empty one from the top.
    const last = inbox.lastKey === key;
    const order = (noticeKey: string) => Number(noticeKey.split(':')[0]);
    let empty: number | undefined;
    for (let seq = inbox.latest; seq > Math.max(0, inbox.latest - REPLAY_LOOKBACK); seq--) {
      const notice = await Notification.findById(notificationId(userId, seq), { eventKey: 1 }).lean();
      if (!notice) {
        empty = seq;
        if (last) break;
      } else if (notice.eventKey === key) return null;
      // A notice of an earlier event (not one sent directly, without a key): this one's slot is above it.
      else if (notice.eventKey && order(notice.eventKey) < order(key)) break;
    }
    return empty === undefined ? (last ? null : undefined) : { seq: empty, unread: inbox.unread };
  }

  /**
   * The inbox slot of a new notice. From the outbox, the count and the notice's key move in one
   * atomic update, refused when the key is already the inbox's last: a replay then finds the
   * notice it stored (nothing to do) or the empty slot its first apply had counted.
   */
  async function takeSlot(userId: string, key: string | null, news?: { challengeId: string }): Promise<{ seq: number; unread: number } | null> {
    const counted = (inbox: { latest: number; unread: number } | null) => ({ seq: inbox!.latest, unread: inbox!.unread });
    // An "N new ideas" notice is listed with the inbox (see `markAllRead`) in the same update.
    const opens = news ? { [`news.${news.challengeId}`]: true } : {};
    if (!key) return counted(await Inbox.findOneAndUpdate({ _id: userId }, { $inc: { latest: 1, unread: 1 }, ...(news ? { $set: opens } : {}) }, { upsert: true, returnDocument: 'after' }).lean());
    if (appliedEvent()?.replay) {
      const before = await slotTakenBefore(userId, key);
      if (before !== undefined) return before;
    }
    try {
      const filter = { _id: userId, lastKey: mongoose.trusted({ $ne: key }) };
      return counted(await Inbox.findOneAndUpdate(filter, { $inc: { latest: 1, unread: 1 }, $set: { lastKey: key, ...opens } }, { upsert: true, returnDocument: 'after' }).lean());
    } catch (error) {
      // The upsert met the inbox whose last key is this one.
      if (!isDuplicateKeyError(error)) throw error;
    }
    return (await slotTakenBefore(userId, key)) ?? null;
  }

  /** Whether and how the person gets the notice (null: not at all), and its key. */
  async function recipientOf(userId: string, notification: NewNotification) {
    const user = await deps.users.recipient(userId);
    const delivery = deliveryOf(user?.notificationPrefs, notification.kind);
    if (!user || delivery === 'off') return null;
    return { userId, user, delivery, key: noticeKey(notification.kind, userId) };
  }
  type Addressed = NonNullable<Awaited<ReturnType<typeof recipientOf>>>;

  /** The notice's slot in their inbox, queued for their digest if they take one; null when already stored (a replay). */
  async function slotFor({ userId, delivery, key }: Addressed, news?: { challengeId: string }) {
    const slot = await takeSlot(userId, key, news);
    // Before the notice, and a set: a replay after a crash in between queues it once.
    if (slot && delivery === 'digest') await PendingDigest.updateOne({ _id: userId }, { $addToSet: { seqs: slot.seq } }, { upsert: true });
    return slot;
  }

  /** The recipient's slot for a new notice; 'folded' into their latest; null when the notice is off or already stored (a replay). */
  async function prepare(userId: string, notification: NewNotification) {
    const addressed = await recipientOf(userId, notification);
    if (!addressed) return null;
    await slotsHeldFor(userId);
    const { delivery, key } = addressed;
    // Someone who asked for each by email gets each; the inbox groups the rest.
    // An "N new ideas" notice folds when read, not here (see `tellNews`).
    const group = delivery === 'email' || notification.news ? undefined : notification.group;
    if (group && ((await foldIntoTip(userId, group, key)) || (await fold(userId, group, key)))) return 'folded' as const;
    const slot = await slotFor(addressed, notification.news);
    return slot ? { ...addressed, slot } : null;
  }

  type Slotted = Exclude<Awaited<ReturnType<typeof prepare>>, 'folded' | null>;
  /** One notice to some people, each in the slot taken for them. */
  type Told = { notification: NewNotification; slotted: Slotted[] };

  /**
   * Plain notices of an outbox round (neither news nor a group's) take their slots at its end, for
   * all its people side by side: applied one after another, each entry waited for its slot's write
   * behind the requests' writes, and under load a round of screening decisions fell seconds
   * behind them. A person's slots still go in the outbox's order: their held ones are taken
   * before any slot the round takes for them meanwhile (`slotsHeldFor`).
   */
  type HeldSlot = { addressed: Addressed; notification: NewNotification };
  const heldSlots = new WeakMap<Batch, Map<string, HeldSlot[]>>();

  /** Takes the slots held for one person, in order: the notices told to them. */
  async function takeHeldSlots(held: HeldSlot[]): Promise<Told[]> {
    const told: Told[] = [];
    for (const { addressed, notification } of held) {
      const slot = await slotFor(addressed);
      if (slot) told.push({ notification, slotted: [{ ...addressed, slot }] });
    }
    return told;
  }

  /** Before a slot taken now for the person in an outbox round: the slots held for them, their notices stored with the round's. */
  async function slotsHeldFor(userId: string): Promise<void> {
    const batch = appliedEvent()?.batch;
    const held = batch && heldSlots.get(batch)?.get(userId);
    if (!batch || !held) return;
    heldSlots.get(batch)!.delete(userId);
    try {
      for (const told of await takeHeldSlots(held)) batch.hold(storeHeld, told);
    } catch (error) {
      // Their notices are no longer held: the round's end fails too, so its entries are applied
      // again (outbox.ts), each finding the slots this took (`takeSlot`), rather than passed with them lost.
      batch.hold(failRound, error);
      throw error;
    }
  }

  const failRound = async (errors: unknown[]): Promise<void> => {
    throw errors[0];
  };

  /** At the round's end: every person's held slots, people side by side, then their notices in one insert. */
  async function storeWithHeldSlots(rounds: Array<Map<string, HeldSlot[]>>): Promise<void> {
    const told = await allDone([...rounds[0]!.values()].map(takeHeldSlots));
    await storeHeld(told.flat());
  }

  /**
   * The notices of the deliveries in one insert. Which were stored now: a notice another process
   * applying the same event (a lease overlap) stored first is left to it. Built whole, with the
   * schema's defaults, and inserted as built (as-built.ts): Mongoose made a document of each to
   * cast and validate, about 6% of the app's time per screening decision with the audit entry's.
   */
  async function store(deliveries: Told[]): Promise<boolean[][]> {
    const at = new Date();
    const docs = deliveries.flatMap(({ notification: { kind, text, link, group, news }, slotted }) => {
      const shared = { kind, ...storedText(text), link, read: false, at, group: group?.key ?? null, count: 1, news: news ? { challengeId: news.challengeId, from: news.from } : null };
      return slotted.map(({ userId, key, slot }) => ({ _id: notificationId(userId, slot.seq), userId: new mongoose.Types.ObjectId(userId), seq: slot.seq, ...shared, eventKey: key ?? null }));
    });
    let taken = new Set<number>();
    if (docs.length > 0) {
      try {
        await Notification.insertMany(docs, { ordered: false, ...AS_BUILT });
      } catch (error) {
        // Unordered: the others were inserted; Mongoose gives each write error its document's index.
        taken = new Set(duplicateIndexes(error));
      }
    }
    let index = 0;
    return deliveries.map(({ slotted }) => slotted.map(() => !taken.has(index++)));
  }

  /** After the notices are stored: the header's counts, the inbox pages (here and elsewhere), and the emails. */
  async function stored(deliveries: Told[], storedNow: boolean[][], folded: string[] = []): Promise<void> {
    const delivered = deliveries.map(({ slotted }, index) => slotted.filter((_, each) => storedNow[index]![each]));
    for (const { userId, slot } of delivered.flat()) unreadCounts.set(userId, slot.unread);
    inboxChanged([...new Set([...folded, ...delivered.flat().map(({ userId }) => userId)])]);
    // At most once: a crash between the notice and the email loses the email, never doubles it.
    await Promise.all(
      deliveries.flatMap(({ notification }, index) => delivered[index]!.filter(({ delivery }) => delivery === 'email').map(({ userId, user }) => sendNotice(userId, user, notification))),
    );
  }

  /**
   * The notices held by an outbox round (see `deliver`), stored in one insert when the consumer is
   * through its entries. Their slots were taken entry by entry, in the outbox's order; a round
   * that stops before this leaves them empty, and its entries, applied again, fill them (`slotTakenBefore`).
   */
  async function storeHeld(deliveries: Told[]): Promise<void> {
    await stored(deliveries, await store(deliveries));
  }

  /**
   * Slots one by one (each an atomic update that a replay recognises), then every notice in one
   * insert: a crash in between leaves empty slots that the replay's `takeSlot` finds and fills.
   * A person's deliveries take turns in this process (events applied side by side, as the seed
   * does): a slot is empty until the batch's insert, and a notice of a group folds into the one
   * before it only if it finds that one stored. In an outbox round the insert waits for the end
   * of the round, one for all its entries' notices, unless the notice may be folded into (a
   * group's, told one by one): it is then found stored by the next one.
   */
  async function deliver(userIds: string[], notification: NewNotification): Promise<Array<{ userId: string; slot: { seq: number } }>> {
    const batch = appliedEvent()?.batch;
    const held = batch && (!notification.group || notification.news) ? batch : undefined;
    // A replay takes its slots now: it looks for the ones an earlier apply took (`takeSlot`).
    if (held && !notification.news && !appliedEvent()?.replay) return holdSlots(held, userIds, notification);
    let finished!: () => void;
    const turn = new Promise<void>((resolve) => (finished = resolve));
    // Taken at once, in call order: a batch waits only for earlier ones, so none waits in a circle.
    const earlier = userIds.map((userId) => turns.get(userId));
    for (const userId of userIds) turns.set(userId, turn);
    let slotted: Slotted[];
    let storedNow: boolean[] = [];
    let folded: string[];
    let failed: PromiseRejectedResult | undefined;
    try {
      // Settled, not all: one person's failure must not leave the others' slots without their notice.
      const prepared = await Promise.allSettled(userIds.map(async (userId, index) => (await earlier[index], prepare(userId, notification))));
      failed = prepared.find((each) => each.status === 'rejected');
      const outcomes = prepared.map((each) => (each.status === 'fulfilled' ? each.value : null));
      folded = userIds.filter((_, index) => outcomes[index] === 'folded');
      slotted = outcomes.filter((outcome): outcome is Slotted => outcome !== null && outcome !== 'folded');
      if (held && slotted.length > 0) held.hold(storeHeld, { notification, slotted });
      else storedNow = slotted.length > 0 ? (await store([{ notification, slotted }]))[0]! : [];
      // Each person's newest notice now, in their turn: a notice of another kind ends a group's folding.
      for (const [index, { userId, slot }] of slotted.entries()) {
        setTip(userId, !held && storedNow[index] && notification.group && !notification.news ? { seq: slot.seq, group: notification.group.key, count: 1 } : null);
      }
    } finally {
      finished();
      for (const userId of userIds) if (turns.get(userId) === turn) turns.delete(userId);
    }
    if (held) inboxChanged(folded);
    else await stored([{ notification, slotted }], [storedNow], folded);
    if (failed) throw failed.reason;
    return held ? slotted : slotted.filter((_, index) => storedNow[index]);
  }

  /** A plain notice in an outbox round: its slots taken at the round's end (see `heldSlots`); nothing is returned, no slot being known yet. */
  async function holdSlots(batch: Batch, userIds: string[], notification: NewNotification): Promise<[]> {
    const addressed = (await Promise.all(userIds.map((userId) => recipientOf(userId, notification)))).filter((each) => each !== null);
    let round = heldSlots.get(batch);
    if (!round) {
      round = new Map();
      heldSlots.set(batch, round);
      batch.hold(storeWithHeldSlots, round);
    }
    for (const each of addressed) {
      round.set(each.userId, [...(round.get(each.userId) ?? []), { addressed: each, notification }]);
      // A notice of another kind ends a group's folding.
      setTip(each.userId, null);
    }
    return [];
  }

  function sendNotice(userId: string, user: Recipient, notification: NewNotification) {
    const locale = localeOf(user);
    const said = translate(locale, notification.text, user.timezone ?? undefined);
    return deps.mailer.send({
      to: user.email,
      subject: said.slice(0, 150),
      text: `${translator(locale)('email.greeting', { name: user.name })}\n\n${said}\n${deps.publicUrl}${notification.link}\n${emailFooter(userId, locale)}`,
    });
  }

  /** One email with everything waiting for this person's digest; sent items leave the queue. */
  async function sendDigest(userId: string): Promise<boolean> {
    const [pending, user] = await Promise.all([PendingDigest.findById(userId).lean(), User.findById(userId, { email: 1, name: 1, suspendedAt: 1, locale: 1, timezone: 1 }).lean()]);
    const seqs = pending?.seqs ?? [];
    if (!user || user.suspendedAt || seqs.length === 0) return false;
    const found = (await Promise.all(seqs.map((seq) => Notification.findById(notificationId(userId, seq)).lean()))).filter((item) => item !== null);
    const reader = found.some((item) => item.news) ? await deps.users.activeActor(userId) : null;
    const items = await Promise.all(
      found.map(async (item) => {
        const now = await newsNow(deps.news, reader, item);
        return { text: now?.text ?? noticeText(item), link: now?.link ?? item.link };
      }),
    );
    if (items.length > 0) {
      const locale = localeOf(user);
      const t = translator(locale);
      await deps.mailer.send({
        to: user.email,
        subject: t('email.digest.subject', { count: items.length }),
        text: `${t('email.greeting', { name: user.name })}\n\n${t('email.digest.intro')}\n\n${items.map((item) => `- ${translate(locale, item.text, user.timezone)}\n  ${deps.publicUrl}${item.link}`).join('\n')}\n${emailFooter(userId, locale)}`,
      });
    }
    // Only what was sent: items queued meanwhile wait for the next digest.
    await PendingDigest.updateOne({ _id: userId }, { $pullAll: { seqs } });
    return items.length > 0;
  }

  return {
    /** Tells each recipient once; never the person whose action caused it. */
    async notify(recipientIds: Iterable<string>, notification: NewNotification, options: { except?: string | null } = {}): Promise<void> {
      const recipients = [...new Set(recipientIds)].filter((id) => id !== options.except);
      await deliver(recipients, notification);
    },

    /**
     * A new idea of the challenge, told at outbox number `position` (news-notices.ts), to those
     * of `candidates` whom `maySee` keeps: nothing is read or written for a candidate whose notice
     * of the challenge is open (it counts this idea when read, for who they are then); the others
     * get a notice opening a window here, and those who want each by email get each. Outside the
     * outbox (a seed), each is told and folded as any group.
     */
    async tellNews(candidates: Iterable<string>, challengeId: string, position: number | null, notification: NewNotification, maySee: (ids: string[]) => Promise<string[]>) {
      const event = appliedEvent();
      if (!event || position === null) return void (await deliver(await maySee([...new Set(candidates)]), notification));
      const windows = await newsWindows(challengeId);
      // Open, unless this very event opened it (a replay finds its notice stored, or the slot it took);
      // or told already, in a notice read since (its reader's count went past this idea).
      const closed = [...new Set(candidates)].filter((userId) => {
        const window = windows[userId];
        return !(window?.seq && window.key !== event.key) && position >= (window?.from ?? 0);
      });
      const opening: string[] = [];
      const each: string[] = [];
      for (const userId of await maySee(closed)) {
        const delivery = deliveryOf((await deps.users.recipient(userId))?.notificationPrefs, notification.kind);
        (delivery === 'email' ? each : opening).push(userId);
      }
      const opened = await deliver(opening, { ...notification, news: { challengeId, from: position } });
      if (opened.length > 0) await openedWindows(challengeId, Object.fromEntries(opened.map(({ userId, slot }) => [userId, { seq: slot.seq, from: position, key: event.key }])));
      await deliver(each, notification);
    },

    async unreadCount(actor: Pick<Actor, 'id'>): Promise<number> {
      const cached = unreadCounts.get(actor.id);
      if (cached !== undefined) return cached;
      const unread = (await Inbox.findById(actor.id).lean())?.unread ?? 0;
      unreadCounts.set(actor.id, unread);
      return unread;
    },

    /** Newest first, a page before notification number `before`. */
    async inbox(actor: Actor, before?: number) {
      const page = await (before ? readPage(actor.id, before) : firstPages.get(actor.id));
      // Open "N new ideas" notices say what they count now, for this reader.
      const notifications = await Promise.all(page.notifications.map(async (notice) => ({ ...notice, ...(await newsNow(deps.news, actor, notice)) })));
      return { ...page, notifications };
    },

    /** Marks one read and returns where it points. */
    async open(actor: Actor, seq: number): Promise<string> {
      const notification = await Notification.findOneAndUpdate({ _id: notificationId(actor.id, seq), read: false }, { $set: { read: true } }).lean();
      if (notification) {
        const link = notification.news ? await closeNews(deps.news, actor, notification) : notification.link;
        const inbox = await Inbox.findById(actor.id).lean();
        if (seq > (inbox?.readUpTo ?? 0)) {
          const updated = await Inbox.findOneAndUpdate({ _id: actor.id, unread: mongoose.trusted({ $gt: 0 }) }, { $inc: { unread: -1 } }, { returnDocument: 'after' }).lean();
          if (updated) unreadCounts.set(actor.id, updated.unread);
        }
        inboxChanged([actor.id]);
        return link;
      }
      const existing = await Notification.findById(notificationId(actor.id, seq)).lean();
      if (!existing) throw new NotFound(message('inbox.notFound'));
      return existing.link;
    },

    async markAllRead(actor: Actor): Promise<void> {
      const inbox = await Inbox.findById(actor.id).lean();
      if (!inbox) return;
      // Its open "N new ideas" notices keep what they say now, and count no more.
      for (const challengeId of Object.keys((inbox.news ?? {}) as Record<string, unknown>)) {
        const window = ((await NewsWindows.findById(challengeId).lean())?.users as Record<string, NewsWindow | undefined> | undefined)?.[actor.id];
        const notice = window?.seq ? await Notification.findById(notificationId(actor.id, window.seq)).lean() : null;
        if (notice) await closeNews(deps.news, actor, notice);
        else await Inbox.updateOne({ _id: actor.id }, { $unset: { [`news.${challengeId}`]: 1 } });
      }
      // The newest notice itself first: a fold into it checks only the notice (see `tips`), never `readUpTo`.
      await Notification.updateOne({ _id: notificationId(actor.id, inbox.latest), read: false }, { $set: { read: true } });
      await Inbox.updateOne({ _id: actor.id, latest: inbox.latest }, { $set: { readUpTo: inbox.latest, unread: 0 } });
      unreadCounts.set(actor.id, 0);
      inboxChanged([actor.id]);
    },

    /** The kinds this person can receive (judging news for staff, questions for copilots), with their choice. */
    async preferences(actor: Actor, options: { curates: boolean }) {
      const user = await User.findById(actor.id, { notificationPrefs: 1 }).lean();
      const receives = (kind: NotificationKind) => KIND_AUDIENCE[kind] === undefined || (KIND_AUDIENCE[kind] === 'staff' ? isStaff(actor) : options.curates || isStaff(actor));
      return NOTIFICATION_KINDS.filter(receives).map((kind) => ({ kind, delivery: deliveryOf(user?.notificationPrefs, kind) }));
    },

    /** Saves the choices made; kinds not on the form keep theirs. */
    async setPreferences(actor: Actor, prefs: Partial<Record<NotificationKind, Delivery>>): Promise<void> {
      const user = await User.findById(actor.id, { notificationPrefs: 1 }).lean();
      const current = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, deliveryOf(user?.notificationPrefs, kind)]));
      await saveNotificationPrefs(actor.id, { ...current, ...prefs });
      deps.users.forget(actor.id);
    },

    /** From an email's signed link: no sign-in needed. */
    async unsubscribe(userId: string, kind: NotificationKind | 'all'): Promise<void> {
      if (kind === 'all') {
        const user = await User.findById(userId, { notificationPrefs: 1 }).lean();
        // Emails stop; the in-app inbox keeps telling them.
        const prefs = Object.fromEntries(NOTIFICATION_KINDS.map((each) => [each, deliveryOf(user?.notificationPrefs, each) === 'off' ? 'off' : 'in-app']));
        await saveNotificationPrefs(userId, prefs);
        await PendingDigest.deleteOne({ _id: userId });
      } else {
        await saveNotificationPref(userId, kind, 'in-app');
      }
      deps.users.forget(userId);
    },

    /**
     * Sends the day's digests, once per day across app processes: the first to insert the day's
     * run document does it. Returns how many digests went out.
     */
    async runDailyDigests(now = new Date()): Promise<number> {
      try {
        await DigestRun.create({ _id: now.toISOString().slice(0, 10) });
      } catch (error) {
        if (isDuplicateKeyError(error)) return 0;
        throw error;
      }
      // Only people with something waiting have a document: a small collection, read once a day.
      const waiting = await PendingDigest.find({}, { _id: 1 }).lean();
      let sent = 0;
      for (const { _id } of waiting) if (await sendDigest(_id)) sent++;
      return sent;
    },

    /** Another process changed this inbox: read it again next time. */
    forget: (userId: string) => {
      unreadCounts.delete(userId);
      firstPages.forget(userId);
      tips.delete(userId);
    },
    reset: () => {
      unreadCounts.clear();
      firstPages.clear();
      tips.clear();
    },

    /** Retention: notifications older than `cutoff` go, and each inbox's unread count drops by its unread ones among them. */
    async deleteNotificationsBefore(cutoff: Date): Promise<number> {
      // An open "N new ideas" notice stays: it is still counting (news-notices.ts).
      const old = (await Notification.find({ at: mongoose.trusted({ $lt: cutoff }) }, { userId: 1, seq: 1, read: 1, news: 1 }).lean()).filter(
        (notice) => !notice.news || typeof notice.news.until === 'number',
      );
      const readUpTo = new Map<string, number>();
      const unreadGone = new Map<string, number>();
      for (const notice of old) {
        const userId = String(notice.userId);
        if (!readUpTo.has(userId)) readUpTo.set(userId, (await Inbox.findById(userId).lean())?.readUpTo ?? 0);
        await Notification.deleteOne({ _id: notice._id });
        if (!notice.read && notice.seq > readUpTo.get(userId)!) unreadGone.set(userId, (unreadGone.get(userId) ?? 0) + 1);
      }
      for (const [userId, count] of unreadGone) {
        await Inbox.updateOne({ _id: userId, unread: mongoose.trusted({ $gte: count }) }, { $inc: { unread: -count } });
        unreadCounts.delete(userId);
      }
      inboxChanged([...unreadGone.keys()]);
      return old.length;
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
