import { EventEmitter } from 'node:events';
import type { Text } from '../i18n/i18n.ts';
import type { Logger } from './logger.ts';

/**
 * Domain events, emitted by services after their write succeeded. Subscribers react without the
 * service knowing about them: in process (read models, realtime; lost if the process dies), or,
 * for the effects that must not be lost (notifications, webhooks, insights, the activity index),
 * from the database's outbox (`cluster/outbox.ts`), which records the event as it is emitted.
 */
export type DomainEvents = {
  'user.registered': { userId: string; email: string };
  'user.email_verified': { userId: string };
  'user.signed_in': { userId: string };
  'user.password_changed': { userId: string };
  'user.email_changed': { userId: string; email: string };
  'user.roles_changed': { userId: string; roles: string[] };
  'user.suspended': { userId: string; suspended: boolean };
  'user.profile_changed': { userId: string };
  'challenge.saved': { challengeId: string };
  /** An admin added, changed or removed a webhook: the subscriptions are read again (by the outbox's webhooks consumer, in order with the events). */
  'webhooks.changed': Record<string, never>;
  /** Who follows these challenges and ideas (`keys`, follow.model.ts) changed: other processes read them again. */
  'followers.changed': { keys: string[] };
  /** An admin changed the site's name, logo or accent colour. */
  'site.branding_changed': Record<string, never>;
  /** Any write to an idea: read models and live pages follow it (no durable consumer: a lost one costs nothing, the change log converges). */
  'idea.saved': { ideaId: string; challengeId: string };
  /**
   * An idea's first save (a draft or a submission at once): counted once in insights. `tags`, here
   * and on `idea.submitted` and `idea.status_changed`: the idea's, so the insights' counters read no
   * idea (absent from entries recorded before they were carried, and from status changes read back
   * from the database, which then read the idea).
   */
  'idea.created': { ideaId: string; challengeId: string; authorId: string; tags?: string[] };
  // The inviter's name, or a message where their account is gone.
  'idea.coauthor_invited': { ideaId: string; challengeId: string; userId: string; byId: string; byName: Text; title: string };
  'idea.coauthor_joined': { ideaId: string; challengeId: string; userId: string; name: string; authorId: string; title: string };
  /** Several people's inboxes at once (one notice to many): one change-log entry, not one per person. */
  'inbox.changed': { userIds: string[] };
  'question.asked': { challengeId: string; questionId: string; byId: string; byName: string; title: string };
  'question.answered': { challengeId: string; questionId: string; askerId: string; byId: string; title: string };
  'challenge.announced': { challengeId: string; byId: string; title: string; text: string };
  'content.reported': { challengeId: string; ideaId: string; commentId: string | null; count: number };
  /**
   * `tags`: the idea's, for the insights' counters, which then read no idea; `at`: the comment's
   * `createdAt`, for the activity index, which then reads no discussion (both absent from entries
   * recorded before they were carried).
   */
  'comment.added': { ideaId: string; challengeId: string; commentId: string; authorId: string; authorName: string; ideaTitle: string; mentionedIds: string[]; tags?: string[]; at?: Date };
  'comparison.recorded': { comparisonId: string; challengeId: string };
  /**
   * `delta` +1 for a vote cast by `userId`, −1 for one withdrawn. `tags`: the idea's, for the
   * insights' counters, which then read no idea; `at`: a cast vote's `at`, for the activity index,
   * which then reads no vote (both absent from entries recorded before they were carried).
   */
  'idea.voted': { ideaId: string; challengeId: string; votes: number; userId: string; delta: 1 | -1; tags?: string[]; at?: Date };
  'idea.submitted': { ideaId: string; challengeId: string; authorId: string; tags?: string[] };
  /**
   * A copilot's screening decision on a submitted idea; `authorIds` starts with its author. `tags`,
   * `submittedAt` and `firstDecisionAt`: the idea's, for the insights' counters and SLA, which then
   * read no idea (absent from entries recorded before they were carried).
   */
  'idea.decided': {
    ideaId: string;
    challengeId: string;
    kind: 'approve' | 'request-changes' | 'reject';
    reason: string;
    message: string;
    byId: string;
    byName: string;
    title: string;
    authorIds: string[];
    tags?: string[];
    submittedAt?: Date | null;
    firstDecisionAt?: Date | null;
  };
  'idea.merged': { ideaId: string; targetId: string; challengeId: string; byId: string; byName: string; title: string; targetTitle: string; creditedIds: string[] };
  'idea.unmerged': { ideaId: string; targetId: string; challengeId: string; byId: string; byName: string; title: string; authorIds: string[] };
  /** An idea or comment hidden from the crowd (by reports or by a copilot), restored, or removed for good. */
  'content.moderated': {
    challengeId: string;
    ideaId: string;
    commentId: string | null;
    action: 'hidden' | 'restored' | 'removed';
    cause: 'reports' | 'copilot';
    reason: string;
    authorId: string;
    title: string;
  };
  'shortlist.changed': { challengeId: string; byId: string };
  /** An idea went into a backlog item (a new item, or one it now also feeds); `thenMoved`: a move follows at once, and its news tells of both. */
  // `backlogName`: missing from a promotion recorded before it was added.
  'idea.promoted': {
    ideaId: string;
    challengeId: string;
    itemId: string;
    backlogId: string;
    backlogName?: string;
    byId: string;
    title: string;
    itemTitle: string;
    created: boolean;
    thenMoved: boolean;
  };
  /** An idea's status moved (other than by its submission, which is `idea.submitted`); `from` is null when unknown. `authorId`: with `tags`. */
  'idea.status_changed': { ideaId: string; challengeId: string; from: string | null; to: string; authorId?: string; tags?: string[] };
  'backlog_item.status_changed': { itemId: string; backlogId: string; from: string; to: string; note: string; byId: string | null; byName: string; via: 'web' | 'api' };
  'scorecard.submitted': { challengeId: string; ideaId: string; judgeId: string };
  /** A challenge's judging setup was written (its mode, assignments, conflicts, or the scores' version): read models forget it. */
  'judging.changed': { challengeId: string };
  /** A backlog was added or its owners changed: read models read it again. */
  'backlog.changed': { backlogId: string };
  /** Something in the challenge's screening queue changed: copilots' queue pages refresh. */
  'curation.queue_changed': { challengeId: string; ideaId: string; byName: string };
  'challenge.phase_changed': { challengeId: string; from: string; to: string; byId: string | null; reason: string };
};

export type DomainEventName = keyof DomainEvents;

export type Handler<K extends DomainEventName> = (payload: DomainEvents[K]) => void | Promise<void>;

/** What a subscriber needs: the bus itself (in process, may be lost) or an outbox consumer (durable). */
export type EventSubscriptions = Pick<EventBus, 'on'>;

/** One event a write is about to cause, named with its payload. */
export type PlannedEvent = { [K in DomainEventName]: [K, DomainEvents[K]] }[DomainEventName];

/**
 * Whether the write a recorded event describes happened: the payload to apply (as recorded, or
 * completed from the written document), or null while the write is not visible. It reads by
 * `_id` only, and checks `mark` where the write is an update that could be confused with another.
 */
export type Verifier<K extends DomainEventName> = (payload: DomainEvents[K], mark: string) => Promise<DomainEvents[K] | null>;

/** Records events in the database before their durable consumers may see them (the outbox). */
export type DurableRecorder = {
  records: (name: DomainEventName) => boolean;
  /** After the write (`emit`): the entry needs no verifying. */
  record: (name: DomainEventName, payload: unknown) => Promise<void>;
  /** Before the write (`intend`): entries marked with a key the write stores; their numbers. */
  recordIntended: (events: PlannedEvent[]) => Promise<{ seqs: number[]; mark: string }>;
  /** The write happened: this process applies the entries without reading them back. */
  confirm: (seqs: number[], written: Array<[DomainEventName, unknown]>) => void;
  /** The write did not happen: the entries go. */
  discard: (seqs: number[]) => Promise<void>;
};

/**
 * A write announced before it happens (see `EventBus.intend`). `mark` goes into the write (on the
 * document it creates or the history entry it pushes) so that a consumer in any process can tell
 * by `_id` that this very write happened.
 */
export type Intent = {
  mark: string;
  /** The write succeeded: tell the in-process subscribers (each payload patched by its `patches` entry, for what the write returned). */
  done: (...patches: Array<Record<string, unknown> | undefined>) => Promise<void>;
  /** The write did not happen (refused, or it found nothing to change): its events are dropped. */
  abandon: () => Promise<void>;
};

/** Where a test stops a process, to kill it there: after recording an intent, or after the write and before `done`. */
export type StallPoint = 'recorded' | 'written';

export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly pending = new Set<Promise<void>>();
  private readonly verifiers = new Map<DomainEventName, Verifier<DomainEventName>>();
  private recorder: DurableRecorder | undefined;
  private readonly logger: Logger | undefined;
  private readonly stall: StallPoint | undefined;

  constructor(logger?: Logger, stall?: StallPoint) {
    this.logger = logger;
    this.stall = stall;
    this.emitter.setMaxListeners(100);
  }

  on<K extends DomainEventName>(name: K, handler: Handler<K>): () => void {
    const wrapped = (payload: DomainEvents[K]) => {
      // A failing subscriber must never undo or fail the write that already happened.
      const running = Promise.resolve()
        .then(() => handler(payload))
        .catch((error: unknown) => this.logger?.error({ err: error, event: name }, 'domain event subscriber failed'))
        .finally(() => this.pending.delete(running));
      this.pending.add(running);
    };
    this.emitter.on(name, wrapped);
    return () => this.emitter.off(name, wrapped);
  }

  /** From now on the events `recorder` records are written to the database as they are emitted. */
  recordDurably(recorder: DurableRecorder): void {
    this.recorder = recorder;
  }

  /** Registered by the feature that owns the model the event's write changes (one per durable event). */
  verifyWith<K extends DomainEventName>(name: K, verifier: Verifier<K>): void {
    this.verifiers.set(name, verifier as unknown as Verifier<DomainEventName>);
  }

  verifierOf<K extends DomainEventName>(name: K): Verifier<K> | undefined {
    return this.verifiers.get(name) as unknown as Verifier<K> | undefined;
  }

  /**
   * Tells the in-process subscribers at once, and records the event when an outbox consumer
   * needs it: a service awaits that before it answers, so what it promised survives a crash.
   * Never rejects: the write happened, and a failed record is logged, not turned into an error page.
   * For the events durable consumers take, prefer `intend`: a crash between the write and this
   * record loses the event.
   */
  emit<K extends DomainEventName>(name: K, payload: DomainEvents[K]): Promise<void> {
    this.emitter.emit(name, payload);
    if (!this.recorder?.records(name)) return Promise.resolve();
    const recording = this.recorder
      .record(name, payload)
      .catch((error: unknown) => this.logger?.error({ err: error, event: name }, 'recording a durable event failed: its notifications, webhooks and counters are lost'))
      .finally(() => this.pending.delete(recording));
    this.pending.add(recording);
    return recording;
  }

  /**
   * Records the events a write is about to cause, before the write (the same cost as `emit`'s
   * record after it: one counter `$inc` and one insert for all of them). A crash after the write
   * then loses nothing: a consumer finds the entry, checks by `_id` that the write happened (its
   * verifier) and applies it; a crash before the write leaves an entry whose write never shows,
   * dropped after a grace. Rejects when the record fails: the service has not written yet, and
   * refuses rather than promise effects it could lose.
   */
  async intend(...planned: PlannedEvent[]): Promise<Intent> {
    const durable = planned.filter(([name]) => this.recorder?.records(name));
    const recorded = this.recorder && durable.length > 0 ? await this.recorder.recordIntended(durable) : { seqs: [], mark: '' };
    if (this.stall === 'recorded' && recorded.seqs.length > 0) await new Promise(() => {});
    const recorder = this.recorder;
    let settled = false;
    return {
      mark: recorded.mark,
      done: async (...patches) => {
        if (settled) return;
        settled = true;
        if (this.stall === 'written' && recorded.seqs.length > 0) await new Promise(() => {});
        const payloads = planned.map(([, payload], index) => ({ ...payload, ...patches[index] }));
        for (const [index, [name]] of planned.entries()) this.emitter.emit(name, payloads[index]);
        const written = planned.flatMap(([name], index): Array<[DomainEventName, unknown]> => (durable.includes(planned[index]!) ? [[name, payloads[index]]] : []));
        if (recorder && recorded.seqs.length > 0) recorder.confirm(recorded.seqs, written);
      },
      abandon: async () => {
        if (settled) return;
        settled = true;
        if (recorder && recorded.seqs.length > 0)
          await recorder.discard(recorded.seqs).catch((error: unknown) => this.logger?.warn({ err: error }, 'dropping an intent failed: its entry is dropped after the grace'));
      },
    };
  }

  /**
   * Resolves once every subscriber has finished, including those started by events that
   * subscribers emitted: a script waits for it before closing the database.
   */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }
}
