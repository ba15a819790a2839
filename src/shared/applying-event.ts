import { AsyncLocalStorage } from 'node:async_hooks';
import { allDone } from './all-done.ts';

/**
 * The durable event an outbox consumer is applying right now. Its effects (a notification, a
 * webhook delivery, a counter) derive their deduplication keys from it, so that applying the
 * same event again after a crash changes nothing, without every handler passing the key along.
 */
export type AppliedEvent = {
  /** The outbox entry's key: unique, and increasing in the order the consumer applies entries. */
  key: string;
  seq: number;
  /**
   * It may have been applied in part before: it was in the outbox when this process took the
   * consumers over from one that may have died, or an earlier try failed. Checks that cost a
   * read are made only then.
   */
  replay: boolean;
  /** Effects taken so far while applying it, in order: a replay numbers them the same way. */
  steps: number;
  /** Where effects may be held until the consumer is through the entries of its round (absent: write at once). */
  batch?: Batch;
};

/** Writes the effects held for it, in the order they were held (oldest entry first). */
export type HeldWrite<T> = (items: T[]) => Promise<void>;

/**
 * Effects an outbox consumer holds back while it applies the entries of one round, written when
 * it is through them: the effects of many entries on one document become one write. The
 * consumer's position moves past those entries only once they are written.
 */
export type Batch = { hold: <T>(write: HeldWrite<T>, item: T) => void };

export function createBatch(): Batch & { flush: () => Promise<void> } {
  const held = new Map<HeldWrite<never>, unknown[]>();
  return {
    hold: <T>(write: HeldWrite<T>, item: T) => {
      const items = held.get(write as HeldWrite<never>) ?? [];
      items.push(item);
      held.set(write as HeldWrite<never>, items);
    },
    /** Every write runs to its end before the first failure (if any) is thrown. */
    flush: async () => {
      const writes = [...held];
      held.clear();
      await allDone(writes.map(([write, items]) => write(items as never[])));
    },
  };
}

const current = new AsyncLocalStorage<AppliedEvent>();

/** The event being applied, or undefined outside a consumer (a request, a script, a test). */
export const appliedEvent = (): AppliedEvent | undefined => current.getStore();

export function whileApplying<T>(event: Omit<AppliedEvent, 'steps'>, run: () => Promise<T>): Promise<T> {
  return current.run({ ...event, steps: 0 }, run);
}

/**
 * A number for the next effect of the event being applied, larger than any effect's of an
 * earlier event (an event has fewer than 1,000 effects): a document that records the last one it
 * took refuses it a second time.
 */
export function nextEffectNumber(): number | undefined {
  const event = current.getStore();
  if (!event) return undefined;
  event.steps += 1;
  return event.seq * 1_000 + event.steps;
}
