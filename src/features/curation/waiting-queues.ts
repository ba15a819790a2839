import type { IdeaBoard, IdeaCard } from '../ideas/idea-board.ts';
import { oldestFirst } from './queue.ts';

/** Where `card` goes in `queue` (oldest first): the first place whose card does not wait longer. */
function placeIn(queue: readonly IdeaCard[], card: IdeaCard): number {
  let low = 0;
  let high = queue.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (oldestFirst(queue[middle]!, card) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Each challenge's waiting ideas, oldest first, kept in step with the board: the idea a copilot
 * is sent to after a decision is the first of them. A pass over a 10,000-idea board for it cost
 * every decision about half a millisecond of the app's time (CPU profile of the decision bench).
 * A challenge's queue is made from its board on first use, then moved by each card the board
 * places (told in the same turn, so it never misses one), and forgotten with the board.
 */
export function createWaitingQueues(board: Pick<IdeaBoard, 'cards' | 'onPlaced'>) {
  const queues = new Map<string, IdeaCard[]>();

  board.onPlaced((card, before) => {
    if (!card) return void queues.clear();
    const queue = queues.get(card.challengeId);
    if (!queue) return;
    if (before?.status === 'submitted') {
      const place = placeIn(queue, before);
      const index = queue[place]?.id === before.id ? place : queue.findIndex((waiting) => waiting.id === before.id);
      if (index >= 0) queue.splice(index, 1);
    }
    if (card.status === 'submitted') queue.splice(placeIn(queue, card), 0, card);
  });

  return {
    /** The challenge's longest-waiting idea; null when none waits. */
    async oldest(challengeId: string): Promise<IdeaCard | null> {
      let queue = queues.get(challengeId);
      if (!queue) {
        const cards = await board.cards(challengeId);
        // Made in one turn with reading the board: a card placed after it moves it.
        queue = queues.get(challengeId) ?? cards.filter((card) => card.status === 'submitted').sort(oldestFirst);
        queues.set(challengeId, queue);
      }
      return queue[0] ?? null;
    },
  };
}

export type WaitingQueues = ReturnType<typeof createWaitingQueues>;
