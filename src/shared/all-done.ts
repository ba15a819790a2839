/**
 * Like `Promise.all`, but every promise runs to its end before the first failure (if any) is
 * thrown: a caller that retries on failure never retries while part of the first try still runs.
 */
export async function allDone<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
