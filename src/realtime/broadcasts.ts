import type { ChallengeCatalog, ChallengeView } from '../features/challenges/challenge-catalog.ts';
import { PHASE_LABELS } from '../features/challenges/phases.ts';
import type { Notifications } from '../features/notifications/notifications.service.ts';
import type { EventBus } from '../shared/events.ts';
import type { RealtimeServer } from './realtime.ts';
import { rooms } from './rooms.ts';

type Deps = {
  events: EventBus;
  catalog: Pick<ChallengeCatalog, 'get'>;
  notifications: Pick<Notifications, 'unreadCount'>;
};

/**
 * Who may see a challenge's ideas that reached the crowd (canSeeOthersIdeas): everyone in its room
 * when submissions are open, only its team when they are sealed (or while it is a draft).
 */
export function ideasAudience(challenge: ChallengeView): string {
  return challenge.phase !== 'draft' && challenge.submissionVisibility === 'open' ? rooms.challenge(challenge.id) : rooms.challengeTeam(challenge.id);
}

/** Who may see a just-submitted idea: the crowd where it reaches them at once, else the team until a copilot approves it. */
const submittedAudience = (challenge: ChallengeView) => (challenge.crowdSees === 'submitted' ? ideasAudience(challenge) : rooms.challengeTeam(challenge.id));

/**
 * Domain events → emits to the rooms of those who may see them. With the Redis adapter an emit
 * reaches the sockets of every app process; each event is emitted once, by the process where it
 * happened. Returns the unsubscribers.
 */
export function broadcastDomainEvents(io: RealtimeServer, deps: Deps): Array<() => void> {
  const { events, catalog } = deps;
  return [
    events.on('idea.submitted', async ({ ideaId, challengeId, authorId }) => {
      const challenge = await catalog.get(challengeId);
      if (!challenge) return;
      // The author's own other tabs too, even on a sealed challenge.
      io.to([submittedAudience(challenge), rooms.user(authorId)]).emit('idea:new', { challengeId, ideaId });
      io.to(rooms.curation(challengeId)).emit('queue:changed', { challengeId, ideaId, byName: '' });
    }),

    events.on('idea.decided', async ({ ideaId, challengeId, kind }) => {
      const challenge = await catalog.get(challengeId);
      // Approved where the crowd waits for approval: it is new to them now.
      if (challenge && kind === 'approve' && challenge.crowdSees === 'approved') io.to(ideasAudience(challenge)).emit('idea:new', { challengeId, ideaId });
    }),

    events.on('curation.queue_changed', ({ challengeId, ideaId, byName }) => {
      io.to(rooms.curation(challengeId)).emit('queue:changed', { challengeId, ideaId, byName });
    }),

    events.on('idea.voted', async ({ ideaId, challengeId, votes }) => {
      const challenge = await catalog.get(challengeId);
      if (!challenge) return;
      // The idea's room holds only sockets allowed to see this idea (its authors, on a sealed challenge).
      io.to([ideasAudience(challenge), rooms.idea(ideaId)]).emit('idea:votes', { ideaId, votes });
    }),

    events.on('comment.added', ({ ideaId, commentId }) => {
      io.to(rooms.idea(ideaId)).emit('comment:new', { ideaId, commentId });
    }),

    events.on('challenge.phase_changed', ({ challengeId, to }) => {
      // Never the reason: followers read it in their notifications, the team in the history.
      io.to(to === 'draft' ? rooms.challengeTeam(challengeId) : rooms.challenge(challengeId)).emit('challenge:phase', {
        challengeId,
        phase: to as keyof typeof PHASE_LABELS,
        label: PHASE_LABELS[to as keyof typeof PHASE_LABELS] ?? to,
      });
    }),

    // No check that the person is active (a read of them per notice, every decision's author): a
    // suspended person's sockets are dropped by realtime.ts's checks of the user, so their room has nobody to tell.
    events.on('inbox.changed', async ({ userIds }) => {
      await Promise.all(userIds.map(async (userId) => io.to(rooms.user(userId)).emit('inbox:count', { unread: await deps.notifications.unreadCount({ id: userId }) })));
    }),
  ];
}
