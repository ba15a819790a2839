import { loadedOnce } from '../../shared/loaded-once.ts';
import { Followers } from './follow.model.ts';

type FollowersDoc = { userIds?: unknown[] | null } | null;

const EMPTY: ReadonlySet<string> = new Set();
const idsOf = (doc: FollowersDoc): ReadonlySet<string> => new Set((doc?.userIds ?? []).map(String));

/**
 * Who follows each challenge and idea, all in memory: telling an idea's followers of a comment, or
 * a challenge's of a new idea, reads nothing (a cache by key missed on every idea not told of
 * lately, which is most of them). Loaded by one pass over the followers on first use; a key is
 * set from the database again after each write of it: here from the write's own answer, from
 * other processes through the change log (`refresh`), and every key after a script's changes
 * (`reset`).
 *
 * Of two settings of one key under way at once, the one begun last wins. What it read may miss a
 * write that ended after it began: such a write then reads its key again, begun later still. So
 * once every write has ended, each key is as the database holds it.
 */
export function createFollowerIndex() {
  const loaded = loadedOnce(async () => new Map((await Followers.find({}).lean()).map((doc) => [String(doc._id), idsOf(doc)])));
  const all = loaded.get;
  let clock = 0;
  const latest = new Map<string, number>();
  /** Everything is read again at the next use (a script changed many keys, or a key could not be read back). */
  const reset = () => {
    loaded.forget();
    latest.clear();
  };

  /** Sets the key from `read` (a read, or a write answering with the document after it), unless a later setting began meanwhile. */
  async function settle(key: string, read: () => Promise<FollowersDoc>, wrote: boolean): Promise<void> {
    const index = await all();
    const mine = ++clock;
    latest.set(key, mine);
    let doc: FollowersDoc;
    try {
      doc = await read();
    } catch (error) {
      // A write that failed may still have landed: the key is read again either way.
      if (wrote) await settle(key, () => Followers.findById(key).lean(), false).catch(reset);
      throw error;
    }
    if (latest.get(key) === mine) {
      index.set(key, idsOf(doc));
      latest.delete(key);
    } else if (wrote) {
      await settle(key, () => Followers.findById(key).lean(), false);
    }
  }

  return {
    /** Makes the index load now, so the first reader does not wait for it. */
    warm: async () => {
      await all();
    },
    ids: async (key: string): Promise<ReadonlySet<string>> => (await all()).get(key) ?? EMPTY,
    /**
     * A follow this process will write at its outbox round's end (follows.service.ts): shown at
     * once, so the round's later entries tell the new follower; the write's answer then sets the key.
     */
    expect: async (key: string, userId: string): Promise<void> => {
      const index = await all();
      index.set(key, new Set([...(index.get(key) ?? EMPTY), userId]));
    },
    /** After this process's write of the key: `write` answers with the document as it left it. */
    wrote: (key: string, write: () => Promise<FollowersDoc>): Promise<void> => settle(key, write, true),
    /** Another process (or a merge) changed the key: read it again. */
    refresh: (key: string): Promise<void> => settle(key, () => Followers.findById(key).lean(), false),
    reset,
  };
}

export type FollowerIndex = ReturnType<typeof createFollowerIndex>;
