import { Counter } from '../../src/db/counters.ts';
import { OutboxCursor } from '../../src/cluster/outbox.ts';
import { InsightDay } from '../../src/features/insights/insights.model.ts';
import { Notification } from '../../src/features/notifications/notification.model.ts';

/** True once every outbox consumer has applied everything recorded so far. */
export async function outboxConsumed(): Promise<boolean> {
  const head = (await Counter.findById('outbox').lean())?.value ?? 0;
  const positions = Object.values(((await OutboxCursor.findById('outbox-consumers').lean())?.positions ?? {}) as Record<string, number>);
  return positions.length > 0 && positions.every((position) => position >= head);
}

/** A challenge's insights counter (e.g. `votes|*`), summed over its days. */
export async function insightsCount(challengeId: string, key: string): Promise<number> {
  let total = 0;
  for (const doc of await InsightDay.find({ _id: new RegExp(`^${challengeId}:`) }).lean()) total += (doc.c as Record<string, number>)[key] ?? 0;
  return total;
}

export const notificationsOf = (userId: string) => Notification.find({ userId }).lean();
