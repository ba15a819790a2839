import mongoose, { Schema } from 'mongoose';

/** The public event names a webhook may subscribe to (see webhooks/README.md for the payloads). */
export const WEBHOOK_EVENTS = ['idea.submitted', 'idea.status_changed', 'backlog_item.status_changed', 'challenge.phase_changed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** Sent only by the admin's "send a test event" button, to the one webhook. */
export type DeliveredEvent = WebhookEvent | 'ping';

/**
 * An admin-configured receiver. The secret is stored as it is, not hashed: we sign every body
 * with it (HMAC needs the key itself), so a hash would be useless. It is shown to the admin once,
 * when it is made, and never rendered again; whoever reads the database could read it, as they
 * could read the data the webhooks carry.
 */
const webhookSchema = new Schema(
  {
    url: { type: String, required: true },
    secret: { type: String, required: true },
    events: { type: [String], enum: WEBHOOK_EVENTS, default: [] },
    active: { type: Boolean, default: true },
    createdByName: { type: String, default: '' },
  },
  { versionKey: false, timestamps: true },
);
export const Webhook = mongoose.model('Webhook', webhookSchema);

/**
 * The persistent queue: one document per (webhook, event), keyed `${webhookId}:${eventId}` (the
 * `Cocreate-Delivery` id, the same on every retry so receivers can drop duplicates). It holds the
 * body signed at each attempt, and lives only until the event is delivered or given up, so the
 * worker's scan for due deliveries reads a small collection even on the embedded engine.
 * `nextAttemptAt` doubles as the lease of a claimed attempt: a worker that dies mid-delivery
 * leaves it due again once the lease runs out.
 */
const deliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    webhookId: { type: Schema.Types.ObjectId, required: true },
    event: { type: String, required: true },
    body: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    status: { type: String, enum: ['pending', 'sending'], default: 'pending' },
    lastStatusCode: { type: Number, default: null },
    // In English (the logs read it); `lastErrorMessage`: a failure of Cocreate's words as its key and values, for the admin's language.
    lastError: { type: String, default: '' },
    lastErrorMessage: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, timestamps: true },
);
export const Delivery = mongoose.model('WebhookDelivery', deliverySchema);
export const deliveryId = (webhookId: string, eventId: string) => `${webhookId}:${eventId}`;

export const LOG_OUTCOMES = ['delivered', 'retrying', 'failed', 'refused', 'cancelled'] as const;
export type LogOutcome = (typeof LOG_OUTCOMES)[number];

const logEntrySchema = new Schema(
  {
    deliveryId: String,
    event: String,
    attempt: Number,
    at: Date,
    outcome: { type: String, enum: LOG_OUTCOMES },
    statusCode: { type: Number, default: null },
    error: { type: String, default: '' },
    errorMessage: { type: Schema.Types.Mixed, default: null },
    durationMs: Number,
  },
  { _id: false },
);

/** Each webhook's delivery log, one document keyed by the webhook's id, capped to the last attempts. */
const webhookLogSchema = new Schema({ _id: { type: Schema.Types.ObjectId, required: true }, entries: { type: [logEntrySchema], default: [] } }, { versionKey: false });
export const WebhookLog = mongoose.model('WebhookLog', webhookLogSchema);
export const LOG_LIMIT = 50;
