import { message, type Text } from '../../i18n/i18n.ts';
import type { MaybeActor } from '../../shared/actor.ts';
import type { IdeaNews } from '../ideas/idea-news.ts';
import { appliedEvent, type Batch } from '../../shared/applying-event.ts';
import { Inbox, Notification, NewsWindows, storedText, type NewsWindow } from './notification.model.ts';

/**
 * "N new ideas in a challenge you follow", told on read: a new idea writes nothing to each
 * follower whose notice of the challenge is open (unread); the notice holds where its window
 * starts (`news.from`, an outbox number) and says, when read, how many of the challenge's ideas
 * told since then the reader may see now (idea-news.ts). Opening it, or marking all read, keeps
 * what it said then and closes the window (`NewsWindows`): the next new idea opens another.
 */
type NewsNotice = { _id: string; seq: number; userId: unknown; news?: { challengeId?: string | null; from?: number | null; until?: number | null } | null };

/** An open window's notice as its reader reads it now; null when it is not one, or says nothing new (the stored words stand). */
export async function newsNow(news: IdeaNews, reader: MaybeActor, notice: NewsNotice): Promise<{ text: Text; link: string; count: number; until: number } | null> {
  const window = notice.news;
  if (!window?.challengeId || typeof window.from !== 'number' || typeof window.until === 'number') return null;
  const now = await news.since(reader, window.challengeId, window.from);
  if (!now?.latest) return null;
  const said = { challenge: now.challenge.title, title: now.latest.title };
  return now.count === 1
    ? { text: message('notifications.newIdea', said), link: `/ideas/${now.latest.id}`, count: 1, until: now.until }
    : { text: message('notifications.newIdeas', { count: now.count, ...said }), link: `/challenges/${window.challengeId}#ideas-title`, count: now.count, until: now.until };
}

/**
 * Keeps what the notice says now and closes its window: the challenge's next new idea opens a
 * notice of its own, from where this one stopped counting. The notice is marked read too.
 * Returns where it leads.
 */
export async function closeNews(news: IdeaNews, reader: MaybeActor, notice: NewsNotice & { link: string }): Promise<string> {
  const challengeId = notice.news?.challengeId;
  if (!challengeId) return notice.link;
  const now = await newsNow(news, reader, notice);
  const until = now?.until ?? notice.news?.from ?? 0;
  const userId = String(notice.userId);
  await Notification.updateOne({ _id: notice._id }, { $set: { read: true, 'news.until': until, ...(now ? { ...storedText(now.text), link: now.link, count: now.count } : {}) } });
  // Only the window this notice holds: a newer one (its replacement) stays open.
  await NewsWindows.updateOne({ _id: challengeId, [`users.${userId}.seq`]: notice.seq }, { $set: { [`users.${userId}`]: { seq: 0, from: until } } });
  await Inbox.updateOne({ _id: userId }, { $unset: { [`news.${challengeId}`]: 1 } });
  return now?.link ?? notice.link;
}

type Windows = Record<string, NewsWindow | undefined>;
const windowsOfRound = new WeakMap<Batch, Map<string, Promise<Windows>>>();

/**
 * The challenge's news windows by reader, for telling them of a new idea. In an outbox round, read
 * once for all its entries (and kept current with the windows the round opens, see `openedWindows`): the
 * round applies its entries one after another, and under load each read waited several
 * milliseconds for its turn, so the notices fell seconds behind the submissions.
 *
 * A reader who opens their notice during the round is still taken as having it open, and is not
 * told of the round's ideas again. They lose nothing: opening counted every idea their process's
 * board knew (the window closes past them), and the ideas the round tells were stored, and on that
 * board, before it began (within the change log's bound, for another process's).
 */
export function newsWindows(challengeId: string): Promise<Windows> {
  const read = async () => ((await NewsWindows.findById(challengeId).lean())?.users ?? {}) as Windows;
  const batch = appliedEvent()?.batch;
  if (!batch) return read();
  const round = windowsOfRound.get(batch) ?? new Map<string, Promise<Windows>>();
  windowsOfRound.set(batch, round);
  let windows = round.get(challengeId);
  if (!windows) {
    windows = read();
    round.set(challengeId, windows);
    windows.catch(() => round.delete(challengeId));
  }
  return windows;
}

/** Windows opened now: written, and kept in the round's copy of the challenge's windows. */
export async function openedWindows(challengeId: string, opened: Windows): Promise<void> {
  const set = Object.fromEntries(Object.entries(opened).map(([userId, window]) => [`users.${userId}`, window]));
  await NewsWindows.updateOne({ _id: challengeId }, { $set: set }, { upsert: true });
  const batch = appliedEvent()?.batch;
  const round = batch && windowsOfRound.get(batch)?.get(challengeId);
  if (round) Object.assign(await round, opened);
}
