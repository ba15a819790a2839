import { message, type Message } from '../../i18n/i18n.ts';
import mongoose from 'mongoose';
import { hasRole, type Actor, type MaybeActor } from '../../shared/actor.ts';
import { Forbidden, Invalid, NotFound } from '../../shared/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { EventBus } from '../../shared/events.ts';
import type { Dispatcher } from './dispatcher.ts';
import { generateSecret } from './signing.ts';
import { resolveTarget, TargetRefused, type Lookup } from './ssrf.ts';
import type { Subscriptions } from './subscriptions.ts';
import { Delivery, Webhook, WebhookLog, type WebhookEvent } from './webhook.model.ts';

/** Webhooks send data out of the platform to an address of the admin's choosing: admins only. */
export const canManageWebhooks = (actor: MaybeActor) => hasRole(actor, 'admin');

type Deps = { events: EventBus; dispatcher: Dispatcher; subscriptions: Subscriptions; allowedHosts: string[]; lookup?: Lookup };
export type WebhookInput = { url: string; events: WebhookEvent[] };

export function createWebhooks({ events, dispatcher, subscriptions, allowedHosts, lookup }: Deps) {
  function admin(actor: Actor) {
    if (!canManageWebhooks(actor)) throw new Forbidden(message('admin.webhooks.forbidden'));
  }

  // Recorded after its write (never intended), so there is no write to look for.
  events.verifyWith('webhooks.changed', async (payload) => payload);

  /**
   * After any write to a webhook: this process's subscriptions now; the outbox's consumer before
   * it applies any event recorded later; other processes through the change log.
   */
  async function changed() {
    subscriptions.forget();
    await events.emit('webhooks.changed', {});
  }

  async function load(id: string) {
    const hook = mongoose.isValidObjectId(id) ? await Webhook.findById(id).lean() : null;
    if (!hook) throw new NotFound(message('admin.webhooks.noSuch'));
    return hook;
  }

  /** A failure as the admin reads it: Cocreate's words in their language where stored, else the English kept for the logs. */
  const failureText = (message: unknown, english: string): Message | string => (message as Message | null) ?? english;

  const toView = (hook: Awaited<ReturnType<typeof load>>) => ({
    id: String(hook._id),
    url: hook.url,
    events: hook.events as WebhookEvent[],
    active: hook.active,
    createdAt: hook.createdAt,
    createdByName: hook.createdByName,
  });

  return {
    /** The delivery worker: the server starts it, and tests start it with short settings. */
    startWorker: dispatcher.start,
    stopWorker: dispatcher.stop,

    /** Each webhook, and its last attempt when that failed: an admin sees a failing receiver in the list. */
    async list(actor: Actor) {
      admin(actor);
      const hooks = (await Webhook.find({}).sort({ _id: 1 }).lean()).map(toView);
      return Promise.all(
        hooks.map(async (hook) => {
          const last = (await WebhookLog.findById(hook.id).lean())?.entries.at(-1);
          const failed = last && last.outcome !== 'delivered' && last.outcome !== 'cancelled';
          return { ...hook, lastFailure: failed ? { at: last.at, error: failureText(last.errorMessage, last.error) } : null };
        }),
      );
    },

    /** Checks the target as the worker will (so an internal address is refused now, not only later); returns the secret, shown once. */
    async create(actor: Actor, input: WebhookInput): Promise<{ id: string; secret: string }> {
      admin(actor);
      try {
        await resolveTarget(input.url, allowedHosts, lookup);
      } catch (error) {
        throw new Invalid({ url: error instanceof TargetRefused ? error.text : message('admin.webhooks.unreachable', { error: (error as Error).message }) });
      }
      const secret = generateSecret();
      const hook = await Webhook.create({ url: input.url, secret, events: input.events, active: true, createdByName: actor.name });
      await changed();
      await recordAudit(actor, { action: 'webhook.created', targetType: 'webhook', targetId: String(hook._id), targetLabel: input.url, after: { url: input.url, events: input.events } });
      return { id: String(hook._id), secret };
    },

    /** The webhook, its deliveries still queued, and the log of attempts (newest first). */
    async get(actor: Actor, id: string) {
      admin(actor);
      const hook = toView(await load(id));
      // The queue holds only deliveries not yet done, so this scan stays small.
      const queued = await Delivery.find({ webhookId: new mongoose.Types.ObjectId(id) }, { body: 0 })
        .sort({ nextAttemptAt: 1 })
        .limit(50)
        .lean();
      const log = (await WebhookLog.findById(id).lean())?.entries ?? [];
      return {
        webhook: hook,
        queued: queued.map((delivery) => ({
          id: delivery._id,
          event: delivery.event,
          attempts: delivery.attempts,
          // While an attempt is out, nextAttemptAt is its lease, not a time anyone scheduled: the page says it is being sent.
          sending: delivery.status === 'sending',
          nextAttemptAt: delivery.nextAttemptAt,
          lastStatusCode: delivery.lastStatusCode,
          lastError: failureText(delivery.lastErrorMessage, delivery.lastError),
        })),
        log: [...log].reverse().map((entry) => ({ ...entry, error: failureText(entry.errorMessage, entry.error) })),
      };
    },

    async setActive(actor: Actor, id: string, active: boolean) {
      admin(actor);
      const hook = await load(id);
      await Webhook.updateOne({ _id: id }, { $set: { active } });
      await changed();
      await recordAudit(actor, {
        action: active ? 'webhook.enabled' : 'webhook.disabled',
        targetType: 'webhook',
        targetId: id,
        targetLabel: hook.url,
        before: { active: hook.active },
        after: { active },
      });
    },

    async remove(actor: Actor, id: string) {
      admin(actor);
      const hook = await load(id);
      await Webhook.deleteOne({ _id: id });
      await changed();
      await Delivery.deleteMany({ webhookId: hook._id });
      await WebhookLog.deleteOne({ _id: id });
      await recordAudit(actor, { action: 'webhook.deleted', targetType: 'webhook', targetId: id, targetLabel: hook.url, before: { url: hook.url, events: hook.events } });
    },

    async sendTest(actor: Actor, id: string) {
      admin(actor);
      const hook = await load(id);
      if (!hook.active) throw new Invalid({ form: message('admin.webhooks.enableFirst') });
      await dispatcher.sendPing(id);
    },
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
