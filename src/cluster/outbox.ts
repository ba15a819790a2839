import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { databaseUnavailable } from '../db/connection.ts';
import { AS_BUILT } from '../db/as-built.ts';
import { Counter, incrementCounter, sequenceKey } from '../db/counters.ts';
import { acquireLease, releaseLease } from '../db/lease.ts';
import { createBatch, whileApplying, type Batch } from '../shared/applying-event.ts';
import { createCoalescer } from '../shared/coalesce.ts';
import type { DomainEventName, EventBus, EventSubscriptions, Handler, PlannedEvent } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';

/**
 * The effects that must not be lost, each consumed with a cursor of its own. `phases`: what a
 * challenge's phase move sets off (the shortlist frozen or opened again, judges assigned, the
 * winners announced), each idempotent, so a crash right after the move still does it once.
 */
export const CONSUMERS = ['notifications', 'webhooks', 'insights', 'activity', 'phases'] as const;
export type ConsumerName = (typeof CONSUMERS)[number];

const HEAD = 'outbox';
const CURSORS = 'outbox-consumers';
export const OUTBOX_POLL_MS = 500;
/** A consumer process that dies unannounced is replaced after this; a clean stop hands over at once. */
const LEASE_MS = 15_000;
const BATCH = 100;
/** A number whose writer took it but never wrote the entry (it died in between) is given up after this. */
const GAP_GRACE_MS = 5_000;
/** A handler that keeps failing on one entry (other than for want of a database) is given up after this many rounds, and logged. */
const MAX_ATTEMPTS = 5;
/**
 * An intended write not visible after this (by the entry's own clock) never happened: its writer
 * died between recording and writing. Writes take milliseconds; this leaves room for a database
 * that queues them for a while, and bounds how long a dead writer's entry holds up a consumer.
 */
export const INTENT_GRACE_MS = 10_000;
/** This process's own pending intent is waited for (without reading) until its service says done or abandon, or this long. */
const LOCAL_INTENT_MS = 60_000;
const PRUNE_EVERY_MS = 60_000;

const entrySchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
    /** Set when recorded before the write (an intent): the key that write stores, which the event's verifier looks for. */
    mark: { type: String },
    /** The intended write did not happen: consumers pass the entry by (kept, not deleted, so they do not wait for a missing number). */
    abandoned: { type: Boolean },
  },
  { versionKey: false, minimize: false },
);
/** Durable domain events, numbered by one counter: consumers read them by `_id`, the embedded engine's one fast read. */
export const OutboxEntry = mongoose.model('OutboxEntry', entrySchema, 'outbox');

/** One document: each consumer's position (the last entry whose effects it applied), written once per batch. */
const cursorSchema = new Schema({ _id: { type: String, required: true }, positions: { type: Schema.Types.Mixed, default: {} } }, { versionKey: false, minimize: false });
export const OutboxCursor = mongoose.model('OutboxCursor', cursorSchema, 'outbox_cursors');

type Entry = { name: DomainEventName; payload: unknown; at?: Date; mark?: string | null; abandoned?: boolean | null };
/** This process's knowledge of an intent it recorded: spares a consumer in this process the verifier's read. */
type Local = { state: 'pending' | 'done' | 'abandoned'; since: number };
/** What a consumer does with an entry: apply this payload, wait for its write, or pass it by. */
type Verdict = { apply: unknown } | 'wait' | 'skip';
type Positions = Record<ConsumerName, number>;

export type Outbox = {
  /** Where a consumer's subscribers register, as they would on the bus. */
  consumer: (name: ConsumerName) => EventSubscriptions;
  /** Starts consuming after `startDelayMs` (the server and tests; scripts that only write need not). */
  start: () => void;
  /** One round now (tests; the timer does it every OUTBOX_POLL_MS). */
  catchUp: () => Promise<void>;
  stop: () => Promise<void>;
  /** Events a consumer subscribes to with no verifier registered (a test keeps this empty). */
  unverified: () => DomainEventName[];
};

/**
 * For an app instance that writes a great deal and serves nothing (the demo seed): the consumers
 * subscribe to the bus itself and run in process, as they did before the outbox. Each consumer
 * still applies events one after the other in the order they were emitted, as the outbox's do:
 * run side by side, a reply's notice could take its reader's inbox slot before its comment's
 * (the comment's subscriber was still reading when the reply's reached the inbox).
 */
export function inProcessConsumers(events: EventBus): Outbox {
  const queues = new Map<ConsumerName, Promise<unknown>>();
  const inTurn =
    (name: ConsumerName, handler: Handler<DomainEventName>): Handler<DomainEventName> =>
    (payload) => {
      // The bus calls subscribers in the order of the events (each a microtask after its emit).
      const applied = (queues.get(name) ?? Promise.resolve()).then(() => handler(payload));
      queues.set(
        name,
        applied.catch(() => undefined),
      );
      return applied;
    };
  return {
    consumer: (name) => ({ on: (event, handler) => events.on(event, inTurn(name, handler as Handler<DomainEventName>)) }),
    start: () => {},
    catchUp: async () => {},
    stop: async () => {},
    unverified: () => [],
  };
}

/**
 * The transactional outbox, on an engine without multi-document transactions: the service's
 * write happens, then the event is recorded (counter `$inc` + one insert) before the service
 * answers; consumers apply it later from a persisted cursor, so a crash after the answer loses
 * nothing. Effects are applied at least once, and each consumer makes a second apply a no-op by
 * a key derived from the entry (see `applying-event.ts`): a notification's inbox slot, a webhook
 * delivery's id, a counter's last applied effect. Among several processes a lease picks the one
 * that consumes; the keys make an overlap (a paused holder whose lease ran out) harmless too.
 */
export function createOutbox(options: { events: EventBus; logger: Logger; startDelayMs?: number; pollMs?: number; intentGraceMs?: number; leaseMs?: number }): Outbox {
  const { events, logger } = options;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const intentGraceMs = options.intentGraceMs ?? INTENT_GRACE_MS;
  const handlers = new Map<ConsumerName, Map<DomainEventName, Array<Handler<DomainEventName>>>>(CONSUMERS.map((name) => [name, new Map()]));
  const holder = randomUUID();
  // Entries this process recorded while it holds the lease: applied from memory, not read back.
  const recent = new Map<number, Entry>();
  // Intents this process recorded while it holds the lease, until its consumers are past them.
  const local = new Map<number, Local>();
  const attempts = new Map<string, number>();
  let held = false;
  let heldUntil = 0;
  let claimAgainAt = 0;
  let positions: Positions | undefined;
  // The newest entry this process recorded: a round it wakes goes that far without reading the counter.
  let knownHead = 0;
  // Entries up to this one may have been applied in part by the process that held the consumers before.
  let suspectUpTo = 0;
  // Entries up to this one are applied with each effect written at once: holding them for one write failed.
  let unbatchedUpTo = 0;
  let gap: { seq: number; since: number } | undefined;
  let prunedAt = Date.now();
  let timers: NodeJS.Timeout[] = [];
  let running: Promise<void> | undefined;
  let again = false;

  /**
   * Events recorded at about the same time by concurrent writes take their numbers in one `$inc`
   * and go in one insert: two writes for all of them, where each write cost its own two (the
   * counter's document and the outbox are rewritten once per batch under load). `mark`: set on
   * the entries of one intent (the key its write stores), null on events recorded after their write.
   */
  const recordTogether = createCoalescer(async (head: string, batches: Array<{ planned: PlannedEvent[]; intended: boolean }>) => {
    const count = batches.reduce((sum, batch) => sum + batch.planned.length, 0);
    let next = (await incrementCounter(head, count)) - count + 1;
    const at = new Date();
    const recorded = batches.map(({ planned, intended }) => {
      const seqs = planned.map(() => next++);
      const mark = intended ? sequenceKey(seqs[0]!) : undefined;
      return { seqs, mark, docs: planned.map(([name, payload], index) => ({ _id: sequenceKey(seqs[index]!), name, payload, at, mark })) };
    });
    const docs = recorded.flatMap((batch) => batch.docs);
    await OutboxEntry.insertMany(docs, AS_BUILT);
    return recorded.map(({ seqs, mark }) => ({ seqs, mark: mark ?? '' }));
  });

  events.recordDurably({
    records: (name) => CONSUMERS.some((consumer) => handlers.get(consumer)!.has(name)),
    record: async (name, payload) => {
      const [seq] = (await recordTogether(HEAD, { planned: [[name, payload] as PlannedEvent], intended: false })).seqs;
      if (!held) return;
      recent.set(seq!, { name, payload });
      knownHead = Math.max(knownHead, seq!);
      setImmediate(wake);
    },
    recordIntended: async (planned) => {
      const recorded = await recordTogether(HEAD, { planned, intended: true });
      if (held) for (const seq of recorded.seqs) local.set(seq, { state: 'pending', since: Date.now() });
      return recorded;
    },
    confirm: (seqs, written) => {
      if (!held) return;
      for (const [index, seq] of seqs.entries()) {
        if (!local.has(seq)) continue;
        local.set(seq, { state: 'done', since: Date.now() });
        const [name, payload] = written[index]!;
        recent.set(seq, { name, payload, mark: sequenceKey(seqs[0]!) });
        knownHead = Math.max(knownHead, seq);
      }
      setImmediate(wake);
    },
    discard: async (seqs) => {
      for (const seq of seqs) if (local.has(seq)) local.set(seq, { state: 'abandoned', since: Date.now() });
      setImmediate(wake);
      // By _id, one at a time: a `$in` on _id scans on the embedded engine, and this is the rare path.
      for (const seq of seqs) await OutboxEntry.updateOne({ _id: sequenceKey(seq) }, { $set: { abandoned: true } });
    },
  });

  /**
   * Whether an entry's write happened: entries recorded after their write need no check; this
   * process's own intents are known without a read; others ask the event's verifier (reads by
   * `_id`). Not visible yet: wait while the entry is young, drop it after INTENT_GRACE_MS.
   */
  async function verdictOf(seq: number, entry: Entry): Promise<Verdict> {
    if (entry.mark == null) return { apply: entry.payload };
    if (entry.abandoned) return 'skip';
    const mine = local.get(seq);
    if (mine?.state === 'done') return { apply: recent.get(seq)?.payload ?? entry.payload };
    if (mine?.state === 'abandoned') return 'skip';
    // Its service is still writing (or failed without knowing whether the write landed): the
    // verifier is asked only once the write is overdue, and the wait lasts longer than for others'.
    if (mine?.state === 'pending' && Date.now() - mine.since < intentGraceMs) return 'wait';
    const verifier = events.verifierOf(entry.name);
    if (!verifier) return { apply: entry.payload };
    const verified = await verifier(entry.payload as never, entry.mark);
    if (verified) return { apply: verified };
    if (Date.now() - (mine?.since ?? entry.at?.getTime() ?? 0) < (mine ? LOCAL_INTENT_MS : intentGraceMs)) return 'wait';
    logger.warn({ seq, event: entry.name }, 'an intended write never happened (its writer died before writing): its event is dropped');
    return 'skip';
  }

  async function holdLease(): Promise<boolean> {
    const now = Date.now();
    if (held && heldUntil - now > leaseMs / 2) return true;
    if (!held && now < claimAgainAt) return false;
    const won = await acquireLease(CURSORS, holder, leaseMs, new Date(now));
    // Taken anew (or held past its expiry): another holder may have moved the cursors meanwhile.
    if (!held || now > heldUntil) positions = undefined;
    held = won;
    heldUntil = now + leaseMs;
    if (!won) {
      claimAgainAt = now + leaseMs / 3;
      recent.clear();
      local.clear();
    }
    return won;
  }

  /**
   * Renews the lease while a round runs, before it runs out: a round longer than half the lease
   * (a busy machine, a hundred entries) would otherwise find it lapsed at the next round, take its
   * positions for lost and apply every entry since again, as replays that read what they check.
   */
  async function renewDuringRound(): Promise<void> {
    const now = Date.now();
    if (!running || !held || now >= heldUntil || heldUntil - now > leaseMs / 2) return;
    if (await acquireLease(CURSORS, holder, leaseMs, new Date(now))) heldUntil = Math.max(heldUntil, now + leaseMs);
  }

  /** A consumer new to this database starts at the head: it has no earlier effects to make up. */
  async function loadPositions(head: number): Promise<Positions> {
    const doc = await OutboxCursor.findById(CURSORS).lean();
    const stored = (doc?.positions ?? {}) as Partial<Positions>;
    return Object.fromEntries(CONSUMERS.map((consumer) => [consumer, stored[consumer] ?? (doc ? head : 0)])) as Positions;
  }

  /** How many of the entries, from the first, may be applied now: a missing one is waited for, then given up. */
  function applicable(seqs: number[], entries: Array<Entry | null>): number {
    for (const [index, seq] of seqs.entries()) {
      if (entries[index]) continue;
      if (gap?.seq !== seq) gap = { seq, since: Date.now() };
      if (Date.now() - gap.since < GAP_GRACE_MS) return index;
      logger.warn({ seq }, 'an outbox entry is missing (its writer died before writing it): skipped');
    }
    return seqs.length;
  }

  /** True once the consumer is done with the entry: applied, not its business, or given up after MAX_ATTEMPTS. */
  async function applyTo(consumer: ConsumerName, seq: number, entry: Entry, batch: Batch | undefined): Promise<boolean> {
    const subscribed = handlers.get(consumer)!.get(entry.name) ?? [];
    try {
      const replay = seq <= suspectUpTo || attempts.has(`${consumer}:${seq}`);
      await whileApplying({ key: sequenceKey(seq), seq, replay, batch }, async () => {
        for (const handler of subscribed) await handler(entry.payload as never);
      });
      attempts.delete(`${consumer}:${seq}`);
      return true;
    } catch (error) {
      // A database that does not answer fails every entry alike: wait for it, give nothing up.
      if (databaseUnavailable(error)) return false;
      const tries = (attempts.get(`${consumer}:${seq}`) ?? 0) + 1;
      attempts.set(`${consumer}:${seq}`, tries);
      if (tries < MAX_ATTEMPTS) return false;
      attempts.delete(`${consumer}:${seq}`);
      logger.error({ err: error, consumer, seq, event: entry.name }, 'an outbox consumer kept failing on an entry: given up');
      return true;
    }
  }

  /**
   * Each consumer goes through the entries in order and stops at its first failure (retried next
   * round), or at an entry of its own events whose write is not visible yet (the others go on).
   * The effects its handlers hold (applying-event.ts, Batch) are written when it stops; if that
   * fails, it is back where it started, and applies those entries again as replays, one at a time.
   */
  async function consume(consumer: ConsumerName, seqs: number[], entries: Array<Entry | null>, verdict: (seq: number, entry: Entry) => Promise<Verdict>): Promise<void> {
    const start = positions![consumer];
    const batch = start < unbatchedUpTo ? undefined : createBatch();
    for (const [index, seq] of seqs.entries()) {
      if (positions![consumer] >= seq) continue;
      const entry = entries[index];
      if (entry && handlers.get(consumer)!.has(entry.name)) {
        const decided = await verdict(seq, entry);
        if (decided === 'wait') break;
        if (decided !== 'skip' && !(await applyTo(consumer, seq, { name: entry.name, payload: decided.apply }, batch))) break;
      }
      positions![consumer] = seq;
    }
    try {
      await batch?.flush();
    } catch (error) {
      const last = positions![consumer];
      positions![consumer] = start;
      unbatchedUpTo = Math.max(unbatchedUpTo, last);
      suspectUpTo = Math.max(suspectUpTo, last);
      if (!databaseUnavailable(error)) logger.warn({ err: error, consumer }, "writing an outbox consumer's held effects failed: its entries are applied again, one at a time");
    }
  }

  async function round(): Promise<void> {
    if (!(await holdLease())) return;
    const head = positions && knownHead > Math.min(...Object.values(positions)) ? knownHead : ((await Counter.findById(HEAD).lean())?.value ?? 0);
    knownHead = 0;
    if (!positions) {
      positions = await loadPositions(head);
      suspectUpTo = head;
    }
    const from = Math.min(...Object.values(positions));
    if (Date.now() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = Date.now();
      // The outbox stays small: what every consumer has applied goes.
      await OutboxEntry.deleteMany({ _id: mongoose.trusted({ $lte: sequenceKey(from) }) });
    }
    if (from >= head) return;
    const seqs = Array.from({ length: Math.min(BATCH, head - from) }, (_, index) => from + 1 + index);
    const entries = await Promise.all(seqs.map(async (seq): Promise<Entry | null> => recent.get(seq) ?? ((await OutboxEntry.findById(sequenceKey(seq)).lean()) as Entry | null)));
    // Each entry's write is checked once per round, for all consumers, and only if one still needs it.
    const verdicts = new Map<number, Promise<Verdict>>();
    const verdict = (seq: number, entry: Entry) => {
      if (!verdicts.has(seq)) verdicts.set(seq, verdictOf(seq, entry));
      return verdicts.get(seq)!;
    };
    const ready = applicable(seqs, entries);
    if (ready === 0) return;
    const before = JSON.stringify(positions);
    await Promise.all(CONSUMERS.map((consumer) => consume(consumer, seqs.slice(0, ready), entries.slice(0, ready), verdict)));
    for (const seq of seqs.slice(0, ready)) {
      if (!Object.values(positions).every((position) => position >= seq)) continue;
      recent.delete(seq);
      local.delete(seq);
    }
    if (JSON.stringify(positions) !== before) await OutboxCursor.updateOne({ _id: CURSORS }, { $set: { positions } }, { upsert: true });
    // More waiting than one batch: go on at once rather than at the next tick.
    if (ready === seqs.length && seqs[seqs.length - 1]! < head) again = true;
  }

  async function loop(): Promise<void> {
    do {
      again = false;
      await round();
    } while (again);
  }

  // One round at a time: a slow round (the database busy) is not overlapped by the next.
  const catchUp = () =>
    (running ??= loop()
      .catch((error: unknown) => logger.warn({ err: error }, 'reading the outbox failed; retrying'))
      .finally(() => {
        running = undefined;
      }));
  // A write of this process done (or given up) during a round makes it go round once more rather than wait for the timer.
  const wake = () => {
    if (running) again = true;
    void catchUp();
  };

  return {
    consumer: (name) => ({
      on: (event, handler) => {
        const list = handlers.get(name)!.get(event) ?? [];
        list.push(handler as Handler<DomainEventName>);
        handlers.get(name)!.set(event, list);
        return () => {
          list.splice(list.indexOf(handler as Handler<DomainEventName>), 1);
        };
      },
    }),
    start: () => {
      const begin = setTimeout(() => {
        const poll = setInterval(() => void catchUp(), options.pollMs ?? OUTBOX_POLL_MS);
        const renew = setInterval(() => void renewDuringRound().catch(() => undefined), leaseMs / 3);
        poll.unref();
        renew.unref();
        timers.push(poll, renew);
        void catchUp();
      }, options.startDelayMs ?? 0);
      begin.unref();
      timers = [begin];
    },
    catchUp,
    unverified: () => [...new Set(CONSUMERS.flatMap((consumer) => [...handlers.get(consumer)!.keys()]))].filter((name) => !events.verifierOf(name)),
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers = [];
      await running;
      if (held) await releaseLease(CURSORS, holder).catch(() => undefined);
      held = false;
    },
  };
}
