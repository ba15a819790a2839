/**
 * A read model's contents, loaded by its first reader and shared by the others; a load that fails
 * is not kept (the next reader tries again), and `forget` makes the next reader load afresh.
 */
export function loadedOnce<T>(load: () => PromiseLike<T>) {
  let loading: Promise<T> | undefined;
  return {
    get(): Promise<T> {
      if (!loading) {
        const started = Promise.resolve(load());
        loading = started;
        started.catch(() => {
          if (loading === started) loading = undefined;
        });
      }
      return loading;
    },
    forget: () => {
      loading = undefined;
    },
  };
}
