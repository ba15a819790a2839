import type { EventBus } from '../shared/events.ts';
import type { UserCache } from '../features/accounts/user-cache.ts';
import type { UserDirectory } from '../features/accounts/user-directory.ts';
import type { ChallengeCatalog } from '../features/challenges/challenge-catalog.ts';
import type { IdeaBoard } from '../features/ideas/idea-board.ts';
import { Idea } from '../features/ideas/idea.model.ts';
import type { Notifications } from '../features/notifications/notifications.service.ts';
import type { Comparisons } from '../features/community/comparisons.service.ts';
import { followersId } from '../features/community/follow.model.ts';
import type { Follows } from '../features/community/follows.service.ts';
import type { ItemCatalog } from '../features/backlogs/item-catalog.ts';
import type { Backlogs } from '../features/backlogs/backlogs.service.ts';
import type { JudgingService } from '../features/judging/judging.service.ts';
import type { BrandingService } from '../features/site/branding.ts';
import type { Subscriptions } from '../features/webhooks/subscriptions.ts';
import type { ClusterBus, ClusterMessage } from './bus.ts';
import type { ChangeLog } from './change-log.ts';

type ReadModels = {
  catalog: ChallengeCatalog;
  board: IdeaBoard;
  users: UserCache;
  directory: UserDirectory;
  notifications: Notifications;
  follows?: Pick<Follows, 'refresh' | 'reset'>;
  comparisons?: Pick<Comparisons, 'applyStored' | 'reset'>;
  items?: Pick<ItemCatalog, 'refresh' | 'reset'>;
  backlogs?: Pick<Backlogs, 'forget'>;
  judging?: Pick<JudgingService, 'forgetSetup' | 'forgetSetups'>;
  site?: Pick<BrandingService, 'refresh' | 'reset'>;
  webhooks?: Pick<Subscriptions, 'forget'>;
};

const USER_EVENTS = ['user.roles_changed', 'user.suspended', 'user.email_changed', 'user.email_verified', 'user.profile_changed', 'user.password_changed'] as const;

export type ReadModelSync = { start: () => Promise<void>; catchUp: () => Promise<void>; stop: () => void };

/** Reloads, by _id, what another process (or a script) says it changed. Repeating it changes nothing. */
async function apply(models: ReadModels, message: ClusterMessage): Promise<void> {
  switch (message.kind) {
    case 'challenge':
      return models.catalog.refresh(message.id);
    case 'idea': {
      const idea = await Idea.findById(message.id).lean();
      if (idea) await models.board.put(idea);
      return;
    }
    case 'comparison':
      return models.comparisons?.applyStored(message.id);
    case 'user':
      models.users.forget(message.id);
      models.directory.forget(message.id);
      return;
    case 'followers':
      await Promise.all(message.ids.map((key) => models.follows?.refresh(key)));
      return;
    case 'inboxes':
      for (const id of message.ids) models.notifications.forget(id);
      return;
    case 'backlogItem':
      await models.items?.refresh(message.id);
      return;
    case 'backlog':
      models.backlogs?.forget();
      return;
    case 'judging':
      models.judging?.forgetSetup(message.id);
      return;
    case 'site':
      return models.site?.refresh();
    case 'webhooks':
      models.webhooks?.forget();
      return;
    case 'all':
      return reloadAll(models);
  }
}

/** Drops every read model's state: each reloads from the database on its next use. */
function reloadAll(models: ReadModels): void {
  models.catalog.reset();
  models.board.reset();
  models.users.reset();
  models.directory.reset();
  models.notifications.reset();
  models.follows?.reset();
  models.comparisons?.reset();
  models.items?.reset();
  models.backlogs?.forget();
  models.judging?.forgetSetups();
  models.site?.reset();
  models.webhooks?.forget();
}

/**
 * Keeps every process's in-memory read models converging to the database. Each local change is
 * recorded in the change log, which every process tails (the path correctness rests on), and
 * announced on the bus (Redis: the fast path, which may lose messages).
 * Returns the tail, which the caller starts before the read models load and stops at shutdown.
 */
export function syncReadModelsAcrossProcesses(bus: ClusterBus, log: ChangeLog, events: EventBus, models: ReadModels): ReadModelSync {
  const publish = (message: ClusterMessage) => {
    bus.publish(message);
    // Subscribers may not fail the write; the log records it or says why not.
    return log.append(message);
  };
  events.on('challenge.saved', ({ challengeId }) => publish({ kind: 'challenge', id: challengeId }));
  events.on('challenge.phase_changed', ({ challengeId }) => publish({ kind: 'challenge', id: challengeId }));
  events.on('idea.saved', ({ ideaId, challengeId }) => publish({ kind: 'idea', id: ideaId, challengeId }));
  events.on('idea.voted', ({ ideaId, challengeId }) => publish({ kind: 'idea', id: ideaId, challengeId }));
  // Curation changes ideas too: a merge (both ideas), a hidden or restored idea. (A decision is a
  // move of the idea's lifecycle, which says `idea.saved` itself.)
  // A merge moves the duplicate's followers to the target (and back): curation writes them, this
  // process and the others read them again.
  for (const event of ['idea.merged', 'idea.unmerged'] as const) {
    events.on(event, async ({ ideaId, targetId, challengeId }) => {
      const followers = followersId('idea', targetId);
      await Promise.all([
        publish({ kind: 'idea', id: ideaId, challengeId }),
        publish({ kind: 'idea', id: targetId, challengeId }),
        publish({ kind: 'followers', ids: [followers] }),
        models.follows?.refresh(followers),
      ]);
    });
  }
  events.on('followers.changed', ({ keys }) => publish({ kind: 'followers', ids: keys }));
  events.on('content.moderated', ({ ideaId, challengeId }) => publish({ kind: 'idea', id: ideaId, challengeId }));
  events.on('idea.promoted', ({ itemId }) => publish({ kind: 'backlogItem', id: itemId }));
  events.on('backlog_item.status_changed', ({ itemId }) => publish({ kind: 'backlogItem', id: itemId }));
  events.on('backlog.changed', ({ backlogId }) => publish({ kind: 'backlog', id: backlogId }));
  events.on('judging.changed', ({ challengeId }) => publish({ kind: 'judging', id: challengeId }));
  events.on('comparison.recorded', ({ comparisonId, challengeId }) => publish({ kind: 'comparison', id: comparisonId, challengeId }));
  events.on('inbox.changed', ({ userIds }) => publish({ kind: 'inboxes', ids: userIds }));
  events.on('site.branding_changed', () => publish({ kind: 'site' }));
  events.on('webhooks.changed', () => publish({ kind: 'webhooks' }));
  for (const event of USER_EVENTS) events.on(event, ({ userId }) => publish({ kind: 'user', id: userId }));

  // A message that fails to apply is not retried: the change log brings it again.
  bus.onMessage((message) => {
    void apply(models, message).catch(() => undefined);
  });
  return {
    start: () => log.start({ apply: (message) => apply(models, message), reloadAll: () => reloadAll(models) }),
    catchUp: log.catchUp,
    stop: log.stop,
  };
}
