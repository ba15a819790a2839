import { percentile } from '../../shared/durations.ts';
import { keptResults } from '../../shared/kept-results.ts';
import type { IdeaCard } from '../ideas/idea-board.ts';

/** Which queue a copilot looks at: waiting items by default, or what was already decided. */
export const QUEUE_STATUSES = ['submitted', 'changes-requested', 'approved', 'rejected', 'merged', 'all'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export type QueueFilters = {
  status: QueueStatus;
  tag?: string;
  reported?: boolean;
  attachments?: boolean;
  /** Ideas similar to this idea's title (likely duplicates). */
  similarTo?: string;
  sort: 'oldest' | 'newest';
};

/** The queue's order: longest waiting first (an equal wait by id). */
export const oldestFirst = (a: IdeaCard, b: IdeaCard) => a.queuedAt.getTime() - b.queuedAt.getTime() || (a.id < b.id ? -1 : 1);

type QueueMatches = { matching: IdeaCard[]; counts: Record<QueueStatus, number> & { reported: number; hidden: number } };
type MatchFilters = Omit<QueueFilters, 'similarTo'> & { similarIds?: Set<string> };

/** The cards the filters keep, in the order asked, with the count of each status for the tabs. */
function queueMatches(cards: readonly IdeaCard[], filters: MatchFilters): QueueMatches {
  const counts: QueueMatches['counts'] = {
    submitted: 0,
    'changes-requested': 0,
    approved: 0,
    rejected: 0,
    merged: 0,
    all: 0,
    reported: 0,
    hidden: 0,
  };
  const tag = filters.tag?.toLowerCase();
  const matching: IdeaCard[] = [];
  for (const card of cards) {
    if (card.status in counts) counts[card.status as QueueStatus]++;
    counts.all++;
    counts.reported += (card.openReports > 0 ? 1 : 0) + card.reportedComments;
    if (card.hidden) counts.hidden++;
    if (filters.status !== 'all' && card.status !== filters.status) continue;
    if (tag && !card.tags.some((candidate) => candidate.toLowerCase() === tag)) continue;
    if (filters.reported && card.openReports === 0 && card.reportedComments === 0) continue;
    if (filters.attachments && card.attachmentCount === 0) continue;
    if (filters.similarIds && !filters.similarIds.has(card.id)) continue;
    matching.push(card);
  }
  matching.sort(oldestFirst);
  if (filters.sort === 'newest') matching.reverse();
  return { matching, counts };
}

function pageOf({ matching, counts }: QueueMatches, limit: number, after?: string) {
  const start = after ? matching.findIndex((card) => card.id === after) + 1 : 0;
  const page = matching.slice(start, start + limit);
  return { cards: page, total: matching.length, counts, nextAfter: start + limit < matching.length ? (page[page.length - 1]?.id ?? null) : null };
}

/**
 * One page of the queue from the board's cards (in memory: 5,000 waiting items filter and sort
 * in a few milliseconds), with the count of each status for the tabs.
 */
export function queuePage(cards: readonly IdeaCard[], filters: MatchFilters, limit: number, after?: string) {
  return pageOf(queueMatches(cards, filters), limit, after);
}

/**
 * The moderation SLA: time from submission to the first decision (median and 90th percentile, in
 * ms) over decided ideas, and when the oldest waiting item entered the queue.
 */
function slaStats(cards: readonly IdeaCard[]) {
  const waits = cards
    .filter((card) => card.firstDecisionAt !== null)
    .map((card) => card.firstDecisionAt!.getTime() - card.submittedAt.getTime())
    .sort((a, b) => a - b);
  const waiting = cards.filter((card) => card.status === 'submitted');
  const oldest = waiting.reduce<number | null>((min, card) => (min === null || card.queuedAt.getTime() < min ? card.queuedAt.getTime() : min), null);
  return { decided: waits.length, medianMs: percentile(waits, 0.5), p90Ms: percentile(waits, 0.9), oldest };
}

/** The SLA as shown: how long the oldest waiting item has waited by `now`. */
function slaAt({ oldest, ...stats }: ReturnType<typeof slaStats>, now: number) {
  return { ...stats, oldestWaitingMs: oldest === null ? null : now - oldest };
}

/** Filter sets remembered per board version: tags are typed by people, so the list is capped. */
const MAX_FILTER_SETS = 32;

/**
 * The queue's order and SLA, kept per challenge until its board changes (`versionOf`, the idea
 * board's version): every copilot's queue page and every decision's "next item" read them, and
 * sorting 10,000 cards per request made the page slower as the challenge grew. Ideas similar to
 * a title are not kept (each title is its own set).
 */
export function createQueueCache(versionOf: (challengeId: string) => number) {
  const entries = new Map<string, { version: number; matches: ReturnType<typeof keptResults<string, QueueMatches>>; sla?: ReturnType<typeof slaStats> }>();
  // Read right after the cards were awaited: a change since then moved the version, so nothing older is kept.
  function entry(challengeId: string) {
    const version = versionOf(challengeId);
    let found = entries.get(challengeId);
    if (found?.version !== version) entries.set(challengeId, (found = { version, matches: keptResults<string, QueueMatches>(MAX_FILTER_SETS) }));
    return found;
  }
  return {
    page(challengeId: string, cards: readonly IdeaCard[], filters: MatchFilters, limit: number, after?: string) {
      if (filters.similarIds) return queuePage(cards, filters, limit, after);
      const { matches } = entry(challengeId);
      const key = JSON.stringify([filters.status, filters.tag?.toLowerCase() ?? '', Boolean(filters.reported), Boolean(filters.attachments), filters.sort]);
      return pageOf(
        matches(key, () => queueMatches(cards, filters)),
        limit,
        after,
      );
    },
    sla(challengeId: string, cards: readonly IdeaCard[], now = Date.now()) {
      const found = entry(challengeId);
      found.sla ??= slaStats(cards);
      return slaAt(found.sla, now);
    },
  };
}
