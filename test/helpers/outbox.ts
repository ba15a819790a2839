import { Counter } from '../../src/db/counters.ts';
import type { TestApp } from './app.ts';
import { actorFor, createChallenge } from './challenges.ts';
import { createUser } from './users.ts';
import { OutboxCursor } from '../../src/cluster/outbox.ts';
import { InsightDay } from '../../src/features/insights/insights.model.ts';
import { Notification, noticeText } from '../../src/features/notifications/notification.model.ts';
import { translate } from '../../src/i18n/i18n.ts';

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

/** A person's notices, with what each says to an English reader (they are stored as keys and values). */
export const notificationsOf = async (userId: string) => (await Notification.find({ userId }).lean()).map((notice) => ({ ...notice, text: translate('en', noticeText(notice)) }));

/** An open challenge with a copilot (who hears of new ideas), an author, and a webhook for `idea.submitted` at `webhookUrl`. */
export async function watchedChallenge(app: TestApp, title: string, webhookUrl: string) {
  const admin = actorFor(await createUser({ roles: ['staff', 'admin'], name: 'Ada Admin' }), ['staff', 'admin']);
  await app.services.webhooks.create(admin, { url: webhookUrl, events: ['idea.submitted'] });
  const copilot = await createUser({ name: 'Cory Copilot' });
  const { id } = await createChallenge(app, { phase: 'open', form: { title, copilots: copilot.email } });
  return { id, copilot, author: await createUser({ name: 'Ann Author' }) };
}
