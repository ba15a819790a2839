type Entry<T> = { at: number; value: Promise<T> };

/**
 * Values loaded per key and kept for at most `ttlMs`, dropped earlier by `forget` when what they
 * were read from changes. Concurrent readers of one key share one load; a load that fails is not
 * kept; a load under way when its key is forgotten serves the readers already waiting for it, and
 * is not kept for later ones. At most `maxKeys` are kept, the oldest loaded going first.
 */
export function createKeyedCache<T>(load: (key: string) => PromiseLike<T>, options: { ttlMs: number; maxKeys: number }) {
  const entries = new Map<string, Entry<T>>();

  return {
    get(key: string): Promise<T> {
      const cached = entries.get(key);
      if (cached && Date.now() - cached.at < options.ttlMs) return cached.value;
      // The map keeps insertion order: a reloaded key goes to the end.
      entries.delete(key);
      if (entries.size >= options.maxKeys) entries.delete(entries.keys().next().value!);
      // Promise.resolve: a query is a thenable that runs again each time it is awaited; a promise runs once.
      const entry: Entry<T> = { at: Date.now(), value: Promise.resolve(load(key)) };
      entries.set(key, entry);
      entry.value.catch(() => entries.get(key) === entry && entries.delete(key));
      return entry.value;
    },
    forget: (key: string) => entries.delete(key),
    clear: () => entries.clear(),
  };
}
