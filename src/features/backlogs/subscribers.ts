import type { EventSubscriptions } from '../../shared/events.ts';
import { message } from '../../i18n/i18n.ts';
import type { UserCache } from '../accounts/user-cache.ts';
import type { ChallengeCatalog } from '../challenges/challenge-catalog.ts';
import type { Follows } from '../community/follows.service.ts';
import { Vote } from '../community/vote.model.ts';
import { Idea } from '../ideas/idea.model.ts';
import { canSeeIdea } from '../ideas/ideas.policy.ts';
import { accessOf } from '../ideas/ideas.service.ts';
import type { Notifications } from '../notifications/notifications.service.ts';
import type { ItemCatalog } from './item-catalog.ts';

type Deps = { events: EventSubscriptions; notifications: Notifications; follows: Follows; items: ItemCatalog; catalog: ChallengeCatalog; users: UserCache };

/**
 * The loop back to the crowd: everyone credited on an item's source ideas, and everyone following
 * or voting for them, hears of each promotion and each move, with the team's note; never someone who may not
 * see the idea, and never the person who made the change.
 */
export function notifyOnBacklogEvents({ events, notifications, follows, items, catalog, users }: Deps): void {
  async function audienceOf(ideaIds: string[], credited: string[]): Promise<string[]> {
    const recipients = new Set<string>();
    for (const ideaId of ideaIds) {
      const idea = await Idea.findById(ideaId).lean();
      const challenge = idea ? await catalog.get(String(idea.challengeId)) : undefined;
      if (!idea || !challenge) continue;
      // Voters hear what became of what they voted for. Listing an idea's votes is a query by
      // ideaId (a scan on the embedded engine): acceptable for a status change, which is rare.
      const voters = (await Vote.find({ ideaId }, { userId: 1 }).lean()).map((vote) => String(vote.userId));
      const candidates = [...credited, ...(await follows.followerIds('idea', ideaId)), ...voters];
      for (const id of new Set(candidates)) {
        const actor = await users.activeActor(id);
        if (actor && canSeeIdea(actor, accessOf(idea), challenge)) recipients.add(id);
      }
    }
    return [...recipients];
  }

  events.on('idea.promoted', async ({ ideaId, itemId, backlogId, backlogName, byId, title, thenMoved }) => {
    // Accepted at once by the product team: the one notice is the acceptance's, with its note.
    if (thenMoved) return;
    const item = await items.get(itemId);
    if (!item) return;
    const recipients = await audienceOf([ideaId], item.contributorIds);
    await notifications.notify(
      recipients,
      { kind: 'backlog_update', text: message('notifications.promoted', { title, backlog: backlogName ?? backlogId }), link: `/backlog-items/${itemId}` },
      { except: byId },
    );
  });

  events.on('backlog_item.status_changed', async ({ itemId, to, note, byId }) => {
    const item = await items.get(itemId);
    if (!item) return;
    const recipients = await audienceOf(item.sourceIdeaIds, item.contributorIds);
    const status = message(`common.itemStatus.${to}`);
    const text = note ? message('notifications.itemStatusNote', { title: item.title, status, note }) : message('notifications.itemStatus', { title: item.title, status });
    await notifications.notify(recipients, { kind: 'backlog_update', text, link: `/backlog-items/${itemId}` }, byId ? { except: byId } : {});
  });
}
