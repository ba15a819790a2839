import mongoose, { Schema } from 'mongoose';
import { AS_BUILT } from '../db/as-built.ts';
import { Counter, incrementCounter, sequenceKey as keyOf } from '../db/counters.ts';
import { createCoalescer } from '../shared/coalesce.ts';
import type { Logger } from '../shared/logger.ts';
import type { ClusterMessage } from './bus.ts';

/**
 * How often every process reads the log's head. With one `_id` lookup of the head, one per new
 * entry and the reload of what changed (by `_id`), a change reaches every read model within
 * CONVERGENCE_BOUND_MS (README, "Running several processes").
 */
export const TAIL_INTERVAL_MS = 500;
export const CONVERGENCE_BOUND_MS = 2_000;
/** A key whose writer took it but never wrote the entry (it died in between) is given up after this. */
const GAP_GRACE_MS = 5_000;
/** Entries older than this are pruned; a process that was away longer reloads everything. */
const RETENTION_MS = 15 * 60_000;
const PRUNE_EVERY_MS = 60_000;
/** Entries read in parallel per round; further behind than MAX_BEHIND, reloading everything is cheaper. */
const BATCH = 100;
const MAX_BEHIND = 2_000;
const HEAD = 'change-log';

const changeSchema = new Schema(
  {
    _id: { type: String, required: true },
    message: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
// Pruning by age on MongoDB; the embedded engine scans the (small, pruned) collection anyway.
changeSchema.index({ at: 1 });

export const Change = mongoose.model('Change', changeSchema, 'changes');

/**
 * The persistent, ordered record of "what changed", which every app process tails so its
 * in-memory read models converge to the database whatever path a write took: this process,
 * another one, a script, or while Redis (the fast path) was away. An entry's number comes from
 * one atomic `$inc` on the head counter (by the size of a batch of changes made at once); the
 * entry itself is one document by that number.
 */
/** Deletes the entries written before `before`; how many went. */
export async function pruneChanges(before: Date): Promise<number> {
  // Trusted: the filters' operators are removed from queries (operator injection) unless marked so.
  return (await Change.deleteMany({ at: mongoose.trusted({ $lt: before }) })).deletedCount;
}

export const appendChange = (message: ClusterMessage): Promise<number> => appendTogether(HEAD, message);

/** Changes made at once take their numbers in one `$inc` and are written in one insert: two writes, not two per change. */
const appendTogether = createCoalescer(async (head: string, messages: ClusterMessage[]) => {
  const last = await incrementCounter(head, messages.length);
  const seqs = messages.map((_, index) => last - messages.length + 1 + index);
  const at = new Date();
  await Change.insertMany(
    messages.map((message, index) => ({ _id: keyOf(seqs[index]!), message, at })),
    AS_BUILT,
  );
  return seqs;
});

async function headOfLog(): Promise<number> {
  return (await Counter.findById(HEAD).lean())?.value ?? 0;
}

export type ChangeLog = {
  /** Records a change made by this process (its own tail skips it: it applied it already). */
  append: (message: ClusterMessage) => Promise<void>;
  /**
   * Starts following the log from its head now: call it before the read models load, so nothing
   * written while they load is missed (reloading by `_id` twice is harmless).
   */
  start: (handlers: { apply: (message: ClusterMessage) => Promise<void>; reloadAll: () => void }) => Promise<void>;
  /** One round of reading the log now (tests; the timer does it every TAIL_INTERVAL_MS). */
  catchUp: () => Promise<void>;
  stop: () => void;
};

/**
 * For an app instance that writes a great deal and serves nothing (the demo seed): it records
 * nothing entry by entry, and its caller appends one `{ kind: 'all' }` when done.
 */
export const unrecordedChanges: ChangeLog = { append: async () => {}, start: async () => {}, catchUp: async () => {}, stop: () => {} };

export function createChangeLog(options: { logger: Logger; intervalMs?: number }): ChangeLog {
  const own = new Set<number>();
  let last = 0;
  let gap: { seq: number; since: number } | undefined;
  let handlers: Parameters<ChangeLog['start']>[0] | undefined;
  let timers: NodeJS.Timeout[] = [];
  let running: Promise<void> | undefined;

  const reloadAll = (head: number) => {
    handlers!.reloadAll();
    last = head;
    gap = undefined;
    for (const seq of own) if (seq <= head) own.delete(seq);
  };

  async function readNewEntries(): Promise<void> {
    if (!handlers) return;
    const head = await headOfLog();
    // A smaller head is another database (restored, replaced); far behind, one reload beats many.
    if (head < last || head - last > MAX_BEHIND) return reloadAll(head);
    while (last < head) {
      const seqs = Array.from({ length: Math.min(BATCH, head - last) }, (_, index) => last + 1 + index);
      const entries = await Promise.all(seqs.map((seq) => (own.has(seq) ? null : Change.findById(keyOf(seq)).lean())));
      for (const [index, seq] of seqs.entries()) {
        if (own.delete(seq)) {
          last = seq;
          continue;
        }
        const entry = entries[index];
        if (!entry) {
          // Its writer took the number a moment ago and is writing it (wait), or died in between,
          // or it was pruned while this process was away: then nobody knows what changed.
          if (gap?.seq !== seq) gap = { seq, since: Date.now() };
          if (Date.now() - gap.since < GAP_GRACE_MS) return;
          options.logger.warn({ seq }, 'a change-log entry is missing: reloading every read model');
          return reloadAll(head);
        }
        await handlers.apply(entry.message as ClusterMessage);
        last = seq;
      }
    }
  }

  // One round at a time: a slow round (the database busy) is not overlapped by the next.
  const catchUp = () =>
    (running ??= readNewEntries()
      .catch((error: unknown) => options.logger.warn({ err: error }, 'reading the change log failed; retrying'))
      .finally(() => {
        running = undefined;
      }));

  return {
    append: async (message) => {
      const seq = await appendChange(message);
      // Unless the tail has passed it already (and applied it once more, harmlessly).
      if (seq > last) own.add(seq);
    },
    start: async (given) => {
      last = await headOfLog();
      handlers = given;
      const tail = setInterval(() => void catchUp(), options.intervalMs ?? TAIL_INTERVAL_MS);
      const prune = setInterval(() => {
        pruneChanges(new Date(Date.now() - RETENTION_MS)).catch((error: unknown) => options.logger.warn({ err: error }, 'pruning the change log failed'));
      }, PRUNE_EVERY_MS);
      timers = [tail, prune];
      for (const timer of timers) timer.unref();
    },
    catchUp,
    stop: () => {
      for (const timer of timers) clearInterval(timer);
      timers = [];
      handlers = undefined;
    },
  };
}
