/**
 * Coalesces writes to one key: while a write of the key is in flight, the items added meanwhile
 * wait and go together in the next write. Every caller's promise settles when the write carrying
 * its item has (with that write's result for the item, or its error), so awaiting it still means
 * "written": under load N writes of a hot document become about one per round trip, and with
 * no load each item is written at once, alone.
 *
 * On the embedded engine every write takes one process-wide lock and rewrites the whole document,
 * so N small updates of one counter document cost N times the document; one merged update costs
 * it once.
 */
export function createCoalescer<T, R>(write: (key: string, items: T[]) => Promise<R[]>) {
  type Waiting = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };
  const queues = new Map<string, Waiting[]>();
  const inFlight = new Set<string>();

  async function flush(key: string): Promise<void> {
    inFlight.add(key);
    // Items added in the same tick join the first write too.
    await Promise.resolve();
    const batch = queues.get(key) ?? [];
    queues.delete(key);
    try {
      const results = await write(
        key,
        batch.map((waiting) => waiting.item),
      );
      batch.forEach((waiting, index) => waiting.resolve(results[index]!));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      inFlight.delete(key);
      if (queues.has(key)) void flush(key);
    }
  }

  return (key: string, item: T): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      const queue = queues.get(key);
      if (queue) queue.push({ item, resolve, reject });
      else queues.set(key, [{ item, resolve, reject }]);
      if (!inFlight.has(key)) void flush(key);
    });
}
