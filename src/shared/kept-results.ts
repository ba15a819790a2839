/**
 * Results kept by their key, at most `max` of them; past it, all go and keeping starts again. For
 * results that many requests ask for again (a date as written, a sentence escaped, a queue's
 * matches) from a set small enough that starting again is rare: no order is kept, so a read pays
 * for nothing but the lookup. `make` computes a result missing; pass one made once where the
 * caller is hot (a function that closes over the call's values is made on every call).
 */
export function keptResults<K, V>(max: number): (key: K, make: (key: K) => V) => V {
  const kept = new Map<K, V>();
  return (key, make) => {
    let result = kept.get(key);
    if (result === undefined) {
      if (kept.size >= max) kept.clear();
      kept.set(key, (result = make(key)));
    }
    return result;
  };
}
