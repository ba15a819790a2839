import mongoose from 'mongoose';
import { loadedOnce } from '../../shared/loaded-once.ts';
import { BacklogItem } from './backlog.model.ts';
import type { ItemStatus } from './workflow.ts';

export type ItemView = {
  id: string;
  backlogId: string;
  title: string;
  description: string;
  status: ItemStatus;
  statusHistory: Array<{ from?: string | null; to: ItemStatus; note: string; at: Date; byName: string; via: string }>;
  sourceIdeaIds: string[];
  challengeIds: string[];
  contributorIds: string[];
  tags: string[];
  judging: Array<{ ideaId: string; rank: number | null; score: number | null; rankLow: number | null; rankHigh: number | null; tier: string }>;
  version: number;
  updatedAt: Date;
};

type Stored = NonNullable<Awaited<ReturnType<typeof loadOne>>>;
const loadOne = (id: string) => BacklogItem.findById(id).lean();

function toView(doc: Stored): ItemView {
  return {
    id: String(doc._id),
    backlogId: doc.backlogId,
    title: doc.title,
    description: doc.description,
    status: doc.status as ItemStatus,
    statusHistory: doc.statusHistory.map((change) => ({
      from: change.from,
      to: change.to as ItemStatus,
      note: change.note ?? '',
      at: change.at ?? new Date(0),
      byName: change.byName ?? '',
      via: change.via ?? 'web',
    })),
    sourceIdeaIds: doc.sourceIdeaIds.map(String),
    challengeIds: doc.challengeIds.map(String),
    contributorIds: doc.contributorIds.map(String),
    tags: doc.tags,
    judging: doc.judging.map((entry) => ({
      ideaId: entry.ideaId ?? '',
      rank: entry.rank ?? null,
      score: entry.score ?? null,
      rankLow: entry.rankLow ?? null,
      rankHigh: entry.rankHigh ?? null,
      tier: entry.tier ?? '',
    })),
    version: doc.version,
    updatedAt: doc.updatedAt,
  };
}

/**
 * Every backlog item in memory: boards and Outcomes pages filter them without a query (items are
 * hundreds, and the embedded engine scans on anything but _id). Loaded on first use; the service
 * reloads an item by _id after each write, other processes through the cluster bus.
 */
export function createItemCatalog() {
  const loaded = loadedOnce(async () => new Map((await BacklogItem.find({}).lean()).map((doc) => [String(doc._id), toView(doc)])));
  const load = loaded.get;

  return {
    all: async () => [...(await load()).values()],
    /** An item this process has not heard of (another process's, its bus message late or lost) is read by _id once. */
    async get(id: string): Promise<ItemView | undefined> {
      const items = await load();
      if (!items.has(id) && mongoose.isValidObjectId(id)) {
        const doc = await loadOne(id);
        if (doc) items.set(id, toView(doc));
      }
      return items.get(id);
    },
    async refresh(id: string): Promise<ItemView | undefined> {
      const items = await load();
      const doc = await loadOne(id);
      if (doc) items.set(id, toView(doc));
      else items.delete(id);
      return items.get(id);
    },
    /** Forgets every item: the next use loads them again (a script changed many at once). */
    reset: () => {
      loaded.forget();
    },
  };
}

export type ItemCatalog = ReturnType<typeof createItemCatalog>;
