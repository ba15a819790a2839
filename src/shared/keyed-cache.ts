/** `at`: when its load began (what it shows is at least that recent); `refreshing`: a reload of it is under way. */
type Entry<T> = { at: number; value: Promise<T>; loaded: boolean; refreshing: boolean };

/**
 * Values loaded per key and kept for at most `ttlMs`, dropped earlier by `forget` when what they
 * were read from changes. Concurrent readers of one key share one load; a load that fails is not
 * kept; a load under way when its key is forgotten serves the readers already waiting for it, and
 * is not kept for later ones. At most `maxKeys` are kept, the oldest loaded going first.
 *
 * A value past half its time is still served, while a reload starts behind it and takes its place
 * once it succeeds: a key in steady use is never seen expired, so its readers do not all wait
 * for the same reload together (a signed-in page's 50 connections each waited for it every
 * `ttlMs`, the tail of every page). Nothing older than `ttlMs` from the start of its load is served.
 */
export function createKeyedCache<T>(load: (key: string) => PromiseLike<T>, options: { ttlMs: number; maxKeys: number }) {
  const entries = new Map<string, Entry<T>>();

  const put = (key: string, entry: Entry<T>) => {
    // The map keeps insertion order: a reloaded key goes to the end.
    entries.delete(key);
    if (entries.size >= options.maxKeys) entries.delete(entries.keys().next().value!);
    entries.set(key, entry);
  };

  // Promise.resolve: a query is a thenable that runs again each time it is awaited; a promise runs once.
  const start = (key: string): Entry<T> => {
    const entry: Entry<T> = { at: Date.now(), value: Promise.resolve(load(key)), loaded: false, refreshing: false };
    entry.value.then(
      () => (entry.loaded = true),
      () => undefined,
    );
    return entry;
  };

  /** Replaces `current` once the reload has succeeded, unless the key was forgotten (or reloaded) meanwhile. */
  function refreshBehind(key: string, current: Entry<T>): void {
    current.refreshing = true;
    const next = start(key);
    next.value.then(
      () => entries.get(key) === current && put(key, next),
      // Left to the next reader to try again; the value it replaces still expires on time.
      () => (current.refreshing = false),
    );
  }

  return {
    get(key: string): Promise<T> {
      const cached = entries.get(key);
      const age = cached ? Date.now() - cached.at : Infinity;
      if (cached && age < options.ttlMs) {
        if (age >= options.ttlMs / 2 && cached.loaded && !cached.refreshing) refreshBehind(key, cached);
        return cached.value;
      }
      const entry = start(key);
      put(key, entry);
      entry.value.catch(() => entries.get(key) === entry && entries.delete(key));
      return entry.value;
    },
    forget: (key: string) => entries.delete(key),
    /** What this process just wrote under `key`, kept as if loaded now: its next readers need no load. */
    keep: (key: string, value: T) => put(key, { at: Date.now(), value: Promise.resolve(value), loaded: true, refreshing: false }),
    clear: () => entries.clear(),
  };
}
