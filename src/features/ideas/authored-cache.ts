import { CONVERGENCE_BOUND_MS } from '../../cluster/change-log.ts';
import { createKeyedCache } from '../../shared/keyed-cache.ts';
import { authoredIdeaIds } from './authored-ideas.model.ts';
import type { IdeaBoard } from './idea-board.ts';

/**
 * Each person's own ideas (authored or co-authored, drafts included), kept in memory for the
 * pages that list them on every view ("My ideas", the challenge page's "you took part"): about 50
 * reads by `_id` per view otherwise.
 *
 * A person's entry is dropped whenever one of their ideas is written, here or in another process
 * (every write ends in the board's `put`, which the change log replays everywhere), and lives at
 * most CONVERGENCE_BOUND_MS in any case, so a change that bypassed the board (a script, an
 * erasure) shows within that bound too. Only the ideas are kept: who may see which challenge is
 * asked on every view.
 */
export function createAuthoredCache<T>(board: IdeaBoard, load: (ideaId: string) => Promise<T | null>) {
  /** Their ideas on the boards, and the list of drafts and co-authorships stored apart (see authored-ideas.model.ts). */
  async function idsOf(userId: string): Promise<string[]> {
    const listed = await authoredIdeaIds(userId);
    return [...new Set([...listed, ...(await board.authoredBy(userId))])];
  }
  const cache = createKeyedCache(async (userId: string) => (await Promise.all((await idsOf(userId)).map(load))).filter((idea): idea is Awaited<T> & T => idea !== null), {
    ttlMs: CONVERGENCE_BOUND_MS,
    maxKeys: 2_000,
  });
  board.onChange((idea) => {
    if (!idea) return cache.clear();
    cache.forget(String(idea.authorId));
    for (const coAuthor of idea.coAuthors) cache.forget(String(coAuthor.userId));
  });
  return {
    /** The person's ideas as stored at most CONVERGENCE_BOUND_MS ago, and after their last write through the board. */
    ideasOf: (userId: string): Promise<T[]> => cache.get(userId),
    /** The ids of the person's ideas, read now. */
    idsOf,
  };
}
