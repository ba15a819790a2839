import { randomUUID } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import http from 'node:http';
import https from 'node:https';
import mongoose from 'mongoose';
import { isMessage, message, translate, type Message, type Text } from '../../i18n/i18n.ts';
import { appliedEvent } from '../../shared/applying-event.ts';
import { isDuplicateKeyError } from '../../shared/errors.ts';
import type { EventSubscriptions } from '../../shared/events.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Payloads } from './payloads.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from './signing.ts';
import { resolveTarget, TargetRefused, type Lookup, type ResolvedTarget } from './ssrf.ts';
import type { Subscriptions } from './subscriptions.ts';
import { Delivery, deliveryId, LOG_LIMIT, Webhook, WEBHOOK_EVENTS, WebhookLog, type DeliveredEvent, type LogOutcome } from './webhook.model.ts';

export type WorkerSettings = {
  /** How often the queue is looked at (a new event also wakes the worker at once). */
  pollMs: number;
  /** The wait before each retry: the first failure waits backoffMs[0], and so on. */
  backoffMs: number[];
  /** Attempts in all, the first included; then the delivery is given up and logged. */
  maxAttempts: number;
  timeoutMs: number;
};

const MINUTE = 60_000;

/** The receiver did not answer in time: said in the admin's language on the webhook's page. */
class NoAnswer extends Error {
  readonly text: Message;

  constructor(timeoutMs: number) {
    const text = message('admin.webhook.failure.noAnswer', { seconds: timeoutMs / 1000 });
    super(translate('en', text));
    this.text = text;
  }
}
export const DEFAULT_WORKER_SETTINGS: WorkerSettings = {
  pollMs: 5_000,
  backoffMs: [30_000, 2 * MINUTE, 10 * MINUTE, 60 * MINUTE, 6 * 60 * MINUTE],
  maxAttempts: 6,
  timeoutMs: 5_000,
};
const BATCH = 10;

type Deps = { events: EventSubscriptions; subscriptions: Subscriptions; payloads: Payloads; allowedHosts: string[]; logger: Logger; lookup?: Lookup };
type DueDelivery = { _id: string; webhookId: mongoose.Types.ObjectId; event: string; body: string; attempts: number };

/**
 * Outbound webhooks. Domain events only enqueue (a write per subscribed webhook, in the event
 * subscriber, after the request that caused them has its answer): the POSTs happen in the worker
 * loop, so a slow or failing receiver never holds up a user.
 */
export function createDispatcher({ events, subscriptions, payloads, allowedHosts, logger, lookup }: Deps) {
  let settings = DEFAULT_WORKER_SETTINGS;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  async function enqueue(event: DeliveredEvent, data: Record<string, unknown>, webhookIds: string[]) {
    if (webhookIds.length === 0) return;
    // From the outbox the id is the entry's: applying it again queues nothing new, neither while
    // the delivery waits (its id is taken) nor once it was sent (its log tells).
    const applied = appliedEvent();
    const eventId = applied?.key ?? randomUUID();
    const body = JSON.stringify({ id: eventId, event, createdAt: new Date().toISOString(), data });
    const now = new Date();
    const due = applied?.replay ? await notYetLogged(webhookIds, eventId) : webhookIds;
    if (due.length === 0) return;
    try {
      await Delivery.insertMany(
        due.map((webhookId) => ({ _id: deliveryId(webhookId, eventId), webhookId, event, body, nextAttemptAt: now })),
        { ordered: false },
      );
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    wake();
  }

  async function notYetLogged(webhookIds: string[], eventId: string): Promise<string[]> {
    const logs = await Promise.all(webhookIds.map((webhookId) => WebhookLog.findById(webhookId).lean()));
    return webhookIds.filter((webhookId, index) => !logs[index]?.entries.some((entry) => entry.deliveryId === deliveryId(webhookId, eventId)));
  }

  // In the outbox's order: the events recorded after a webhook changed find it changed here, in
  // whichever process applies them (the change log brings it to the others within its bound).
  events.on('webhooks.changed', () => subscriptions.forget());
  for (const name of WEBHOOK_EVENTS) {
    events.on(name, async (payload) => {
      const webhookIds = await subscriptions.subscribers(name);
      if (webhookIds.length === 0) return;
      await enqueue(name, await payloads[name](payload as never), webhookIds);
    });
  }

  async function appendLog(
    webhookId: string,
    { error, ...entry }: { deliveryId: string; event: string; attempt: number; outcome: LogOutcome; statusCode: number | null; error: Text; durationMs: number },
  ) {
    const stored = { ...entry, error: translate('en', error), errorMessage: isMessage(error) ? error : null, at: new Date() };
    const log = await WebhookLog.findOneAndUpdate({ _id: webhookId }, { $push: { entries: stored } }, { upsert: true, returnDocument: 'after' }).lean();
    // No $slice on the embedded engine: each append drops the oldest entry once the log is full.
    if (log && log.entries.length > LOG_LIMIT) await WebhookLog.updateOne({ _id: webhookId }, { $pop: { entries: -1 } });
  }

  /** POSTs to the address that was checked: the lookup is answered with it, so no second DNS query can differ. */
  function post(target: ResolvedTarget, headers: Record<string, string>, body: string): Promise<number> {
    const pinned = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      if (options.all) callback(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    }) as unknown as LookupFunction;
    const client = target.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request(
        target.url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Cocreate-Webhooks/1', 'content-length': String(Buffer.byteLength(body)), ...headers },
          lookup: pinned,
          agent: false,
          signal: AbortSignal.timeout(settings.timeoutMs),
        },
        (response) => {
          // Only the status matters; the body is drained and dropped.
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', (error) => reject(error.name === 'TimeoutError' || error.name === 'AbortError' ? new NoAnswer(settings.timeoutMs) : error));
      request.end(body);
    });
  }

  async function attempt(delivery: DueDelivery, attemptNo: number) {
    const webhookId = String(delivery.webhookId);
    const mine = { _id: delivery._id, attempts: attemptNo };
    const base = { deliveryId: delivery._id, event: delivery.event, attempt: attemptNo };
    const hook = await Webhook.findById(webhookId).lean();
    if (!hook || !hook.active) {
      await Delivery.deleteOne(mine);
      if (hook) await appendLog(webhookId, { ...base, outcome: 'cancelled', statusCode: null, error: message('admin.webhook.failure.disabled'), durationMs: 0 });
      return;
    }
    const started = Date.now();
    let statusCode: number | null = null;
    let error: Text = '';
    let refused = false;
    try {
      const target = await resolveTarget(hook.url, allowedHosts, lookup);
      const timestamp = Math.floor(Date.now() / 1000);
      statusCode = await post(target, { [SIGNATURE_HEADER]: signatureHeader(hook.secret, delivery.body, timestamp), [EVENT_HEADER]: delivery.event, [DELIVERY_HEADER]: delivery._id }, delivery.body);
      if (statusCode < 200 || statusCode >= 300) error = message('admin.webhook.failure.answered', { status: statusCode });
    } catch (failure) {
      refused = failure instanceof TargetRefused;
      error = failure instanceof TargetRefused || failure instanceof NoAnswer ? failure.text : (failure as Error).message || String(failure);
    }
    const durationMs = Date.now() - started;
    if (!error) {
      await Delivery.deleteOne(mine);
      await appendLog(webhookId, { ...base, outcome: 'delivered', statusCode, error, durationMs });
    } else if (refused || attemptNo >= settings.maxAttempts) {
      await Delivery.deleteOne(mine);
      await appendLog(webhookId, { ...base, outcome: refused ? 'refused' : 'failed', statusCode, error, durationMs });
      logger.warn({ webhookId, deliveryId: delivery._id, attempts: attemptNo, error: translate('en', error) }, refused ? 'webhook target refused' : 'webhook delivery given up');
    } else {
      const wait = settings.backoffMs[Math.min(attemptNo - 1, settings.backoffMs.length - 1)] ?? MINUTE;
      await Delivery.updateOne(mine, {
        $set: { status: 'pending', nextAttemptAt: new Date(Date.now() + wait), lastStatusCode: statusCode, lastError: translate('en', error), lastErrorMessage: isMessage(error) ? error : null },
      });
      await appendLog(webhookId, { ...base, outcome: 'retrying', statusCode, error, durationMs });
    }
  }

  /**
   * Claims the attempt by a conditional update on the attempt count: of two processes that read
   * the same due delivery, one increments it and sends; the other's update matches nothing. The
   * claim also moves `nextAttemptAt` past the request's timeout, a lease should the process die.
   */
  async function claimAndSend(delivery: DueDelivery) {
    const lease = new Date(Date.now() + settings.timeoutMs + MINUTE);
    const claimed = await Delivery.updateOne({ _id: delivery._id, attempts: delivery.attempts }, { $set: { status: 'sending', nextAttemptAt: lease }, $inc: { attempts: 1 } });
    if (claimed.modifiedCount !== 1) return;
    await attempt(delivery, delivery.attempts + 1);
  }

  async function drain() {
    do {
      again = false;
      const due = await Delivery.find({ nextAttemptAt: mongoose.trusted({ $lte: new Date() }) }, { body: 1, webhookId: 1, event: 1, attempts: 1 })
        .sort({ nextAttemptAt: 1 })
        .limit(BATCH)
        .lean();
      await Promise.all(due.map((delivery) => claimAndSend(delivery as DueDelivery)));
      if (due.length === BATCH) again = true;
    } while (again);
  }

  function tick(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = drain()
      .catch((error: unknown) => logger.error({ err: error }, 'webhook worker failed'))
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  function wake() {
    if (timer) setImmediate(() => void tick());
  }

  async function stop() {
    clearInterval(timer);
    timer = undefined;
    await running;
  }

  return {
    /** Starts the worker loop (the server does; tests through `services.webhooks`). Returns `stop`. */
    start(options: Partial<WorkerSettings> = {}) {
      settings = { ...DEFAULT_WORKER_SETTINGS, ...options };
      clearInterval(timer);
      timer = setInterval(() => void tick(), settings.pollMs);
      timer.unref();
      wake();
      return stop;
    },

    /** Stops the loop and waits for the deliveries in flight. */
    stop,

    /** The admin's test button: a `ping` to this one webhook, through the same queue. */
    sendPing: (webhookId: string) => enqueue('ping', { webhookId, message: 'A test event from Cocreate.' }, [webhookId]),
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
