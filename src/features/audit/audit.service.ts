import mongoose from 'mongoose';
import type { MaybeActor } from '../../shared/actor.ts';
import { AS_BUILT } from '../../db/as-built.ts';
import { createCoalescer } from '../../shared/coalesce.ts';
import { AuditEntry } from './audit.model.ts';

export type AuditInput = {
  action: string;
  targetType: string;
  targetId: string;
  targetLabel?: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
  /** Who acted when no person did: a tracker's token, the scheduler ("system" when unsaid). */
  byName?: string;
};

/**
 * Entries recorded at about the same time (copilots deciding side by side, a bulk decision's
 * neighbours) go in one insert, each caller answered once its entry is stored: one write per
 * round trip under load, where each entry cost its own. Built whole, with the schema's defaults,
 * and inserted as built (as-built.ts): Mongoose made a document of each to cast and validate,
 * about 5% of the app's time per screening decision (CPU profile of the decision bench).
 */
const insertTogether = createCoalescer(async (_key: string, entries: Array<Record<string, unknown>>) => {
  await AuditEntry.insertMany(entries, AS_BUILT);
  return entries.map(() => undefined);
});

/** Records who did what to what, and the value before and after. */
export async function recordAudit(actor: MaybeActor, { byName, ...input }: AuditInput): Promise<void> {
  await insertTogether('audit', {
    actorId: actor ? new mongoose.Types.ObjectId(actor.id) : null,
    actorName: actor ? actor.name : (byName ?? 'system'),
    action: input.action,
    targetType: input.targetType,
    targetId: String(input.targetId),
    targetLabel: input.targetLabel ?? '',
    before: input.before ?? null,
    after: input.after ?? null,
    reason: input.reason ?? '',
    at: new Date(),
  });
}

/** Retention: entries older than `cutoff` go. Returns how many. */
export async function deleteAuditEntriesBefore(cutoff: Date): Promise<number> {
  const result = await AuditEntry.deleteMany({ at: mongoose.trusted({ $lt: cutoff }) });
  return result.deletedCount;
}

export type AuditPage = {
  entries: Array<{ id: string; actorName: string; action: string; targetType: string; targetId: string; targetLabel: string; before: unknown; after: unknown; reason: string; at: Date }>;
  nextAfter: string | null;
};

/** Newest first, keyset-paginated by _id (ObjectIds grow with time). */
export async function listAudit(options: { targetId?: string; after?: string; limit?: number }): Promise<AuditPage> {
  const limit = options.limit ?? 50;
  const filter: Record<string, unknown> = {};
  if (options.targetId) filter.targetId = options.targetId;
  if (options.after && mongoose.isValidObjectId(options.after)) {
    filter._id = mongoose.trusted({ $lt: new mongoose.Types.ObjectId(options.after) });
  }
  const rows = await AuditEntry.find(filter)
    .sort({ _id: -1 })
    .limit(limit + 1)
    .lean();
  const page = rows.slice(0, limit);
  return {
    entries: page.map((row) => ({
      id: String(row._id),
      actorName: row.actorName,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      targetLabel: row.targetLabel,
      before: row.before,
      after: row.after,
      reason: row.reason,
      at: row.at,
    })),
    nextAfter: rows.length > limit ? String(page[page.length - 1]?._id) : null,
  };
}
