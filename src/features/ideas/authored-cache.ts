import { CONVERGENCE_BOUND_MS } from '../../cluster/change-log.ts';
import { authoredIdeaIds } from './authored-ideas.model.ts';
import type { IdeaBoard } from './idea-board.ts';

type Loaded<T> = { at: number; ideas: Promise<T[]> };

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
export function createAuthoredCache<T>(board: IdeaBoard, load: (ideaId: string) => Promise<T | null>, options: { ttlMs?: number; maxPeople?: number } = {}) {
  const ttlMs = options.ttlMs ?? CONVERGENCE_BOUND_MS;
  const maxPeople = options.maxPeople ?? 2_000;
  const entries = new Map<string, Loaded<T>>();

  board.onChange((idea) => {
    if (!idea) return entries.clear();
    entries.delete(String(idea.authorId));
    for (const coAuthor of idea.coAuthors) entries.delete(String(coAuthor.userId));
  });

  async function loadAll(userId: string): Promise<T[]> {
    const ideas = await Promise.all((await authoredIdeaIds(userId)).map(load));
    return ideas.filter((idea): idea is Awaited<T> & T => idea !== null);
  }

  return {
    /** The person's ideas as stored at most CONVERGENCE_BOUND_MS ago, and after their last write through the board. */
    ideasOf(userId: string): Promise<T[]> {
      const cached = entries.get(userId);
      if (cached && Date.now() - cached.at < ttlMs) return cached.ideas;
      // Oldest first out: the map keeps insertion order, and a refreshed entry goes to the end.
      entries.delete(userId);
      if (entries.size >= maxPeople) entries.delete(entries.keys().next().value!);
      const entry: Loaded<T> = { at: Date.now(), ideas: loadAll(userId) };
      entries.set(userId, entry);
      // A failed read is not kept: the next view tries again.
      entry.ideas.catch(() => entries.get(userId) === entry && entries.delete(userId));
      return entry.ideas;
    },
  };
}
