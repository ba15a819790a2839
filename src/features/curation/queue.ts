import { percentile } from '../../shared/durations.ts';
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

const oldestFirst = (a: IdeaCard, b: IdeaCard) => a.queuedAt.getTime() - b.queuedAt.getTime() || (a.id < b.id ? -1 : 1);

/**
 * One page of the queue from the board's cards (in memory: 5,000 waiting items filter and sort
 * in a few milliseconds), with the count of each status for the tabs.
 */
export function queuePage(cards: readonly IdeaCard[], filters: Omit<QueueFilters, 'similarTo'> & { similarIds?: Set<string> }, limit: number, after?: string) {
  const counts: Record<QueueStatus, number> & { reported: number; hidden: number } = {
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
  const start = after ? matching.findIndex((card) => card.id === after) + 1 : 0;
  const page = matching.slice(start, start + limit);
  return { cards: page, total: matching.length, counts, nextAfter: start + limit < matching.length ? (page[page.length - 1]?.id ?? null) : null };
}

/**
 * The moderation SLA: time from submission to the first decision (median and 90th percentile, in
 * ms) over decided ideas, and how long the oldest waiting item has waited.
 */
export function screeningSla(cards: readonly IdeaCard[], now = Date.now()) {
  const waits = cards
    .filter((card) => card.firstDecisionAt !== null)
    .map((card) => card.firstDecisionAt!.getTime() - card.submittedAt.getTime())
    .sort((a, b) => a - b);
  const waiting = cards.filter((card) => card.status === 'submitted');
  const oldest = waiting.reduce<number | null>((min, card) => (min === null || card.queuedAt.getTime() < min ? card.queuedAt.getTime() : min), null);
  return {
    decided: waits.length,
    medianMs: percentile(waits, 0.5),
    p90Ms: percentile(waits, 0.9),
    oldestWaitingMs: oldest === null ? null : now - oldest,
  };
}
