import { CONVERGENCE_BOUND_MS } from '../../cluster/change-log.ts';
import { createKeyedCache } from '../../shared/keyed-cache.ts';
import { CommentThread, type StoredComment } from './comment.model.ts';

/**
 * An idea's discussion as its page shows it, kept in memory: the idea page read its thread from
 * the database on every view (the one round trip left on a warm page, about a third of its CPU
 * with the engine's share). Every write of a thread in this process forgets it once stored (see
 * `forgetThread`), so a comment posted, edited, removed or hidden shows on the next view; a write
 * made elsewhere (another process, a script) shows within CONVERGENCE_BOUND_MS, as the kept ideas
 * do. Only the page reads from here: checks before a write read the thread as stored.
 */
const recent = createKeyedCache(async (ideaId: string) => ((await CommentThread.findById(ideaId).lean())?.comments ?? []) as StoredComment[], {
  ttlMs: CONVERGENCE_BOUND_MS,
  maxKeys: 2_000,
});

/** The idea's comments as stored at most CONVERGENCE_BOUND_MS ago, and after this process's last write of them. Shared: never change them. */
export const recentComments = (ideaId: string): Promise<readonly StoredComment[]> => recent.get(ideaId);

/** Called after each write of an idea's thread (a read under way then is not kept either). */
export const forgetThread = (ideaId: string): void => void recent.forget(ideaId);
