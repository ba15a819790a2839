import type { EventBus } from '../shared/events.ts';
import type { UserCache } from '../features/accounts/user-cache.ts';
import type { UserDirectory } from '../features/accounts/user-directory.ts';
import type { ChallengeCatalog } from '../features/challenges/challenge-catalog.ts';
import type { IdeaBoard } from '../features/ideas/idea-board.ts';
import { Idea } from '../features/ideas/idea.model.ts';
import type { Notifications } from '../features/notifications/notifications.service.ts';
import type { Comparisons } from '../features/community/comparisons.service.ts';
import type { ItemCatalog } from '../features/backlogs/item-catalog.ts';
import type { ClusterBus } from './bus.ts';

type ReadModels = {
  catalog: ChallengeCatalog;
  board: IdeaBoard;
  users: UserCache;
  directory: UserDirectory;
  notifications: Notifications;
  comparisons?: Pick<Comparisons, 'applyStored'>;
  items?: Pick<ItemCatalog, 'refresh'>;
};

const USER_EVENTS = ['user.roles_changed', 'user.suspended', 'user.email_changed', 'user.email_verified', 'user.profile_changed', 'user.password_changed'] as const;

/**
 * Keeps every process's in-memory read models current: local writes are announced on the bus,
 * and what other processes announce is reloaded here by _id.
 */
export function syncReadModelsAcrossProcesses(bus: ClusterBus, events: EventBus, models: ReadModels): void {
  events.on('challenge.saved', ({ challengeId }) => bus.publish({ kind: 'challenge', id: challengeId }));
  events.on('challenge.phase_changed', ({ challengeId }) => bus.publish({ kind: 'challenge', id: challengeId }));
  events.on('idea.saved', ({ ideaId, challengeId }) => bus.publish({ kind: 'idea', id: ideaId, challengeId }));
  events.on('idea.voted', ({ ideaId, challengeId }) => bus.publish({ kind: 'idea', id: ideaId, challengeId }));
  // Curation changes ideas too: a decision, a merge (both ideas), a hidden or restored idea.
  events.on('idea.decided', ({ ideaId, challengeId }) => bus.publish({ kind: 'idea', id: ideaId, challengeId }));
  for (const event of ['idea.merged', 'idea.unmerged'] as const) {
    events.on(event, ({ ideaId, targetId, challengeId }) => {
      bus.publish({ kind: 'idea', id: ideaId, challengeId });
      bus.publish({ kind: 'idea', id: targetId, challengeId });
    });
  }
  events.on('content.moderated', ({ ideaId, challengeId }) => bus.publish({ kind: 'idea', id: ideaId, challengeId }));
  events.on('idea.promoted', ({ itemId }) => bus.publish({ kind: 'backlogItem', id: itemId }));
  events.on('backlog_item.status_changed', ({ itemId }) => bus.publish({ kind: 'backlogItem', id: itemId }));
  events.on('comparison.recorded', ({ comparisonId, challengeId }) => bus.publish({ kind: 'comparison', id: comparisonId, challengeId }));
  events.on('inbox.changed', ({ userId }) => bus.publish({ kind: 'inbox', id: userId }));
  for (const event of USER_EVENTS) events.on(event, ({ userId }) => bus.publish({ kind: 'user', id: userId }));

  bus.onMessage((message) => {
    switch (message.kind) {
      case 'challenge':
        void models.catalog.refresh(message.id);
        break;
      case 'idea':
        void Idea.findById(message.id)
          .lean()
          .then((idea) => idea && models.board.put(idea));
        break;
      case 'comparison':
        void models.comparisons?.applyStored(message.id);
        break;
      case 'user':
        models.users.forget(message.id);
        models.directory.forget(message.id);
        break;
      case 'inbox':
        models.notifications.forget(message.id);
        break;
      case 'backlogItem':
        void models.items?.refresh(message.id);
        break;
    }
  });
}
