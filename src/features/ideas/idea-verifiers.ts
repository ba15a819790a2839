import mongoose from 'mongoose';
import type { EventBus } from '../../shared/events.ts';
import { Idea } from './idea.model.ts';

/**
 * How an outbox consumer tells, by the idea's `_id`, that a write an entry announced happened
 * (see `EventBus.intend`). A write that moves the idea's status pushes a history entry carrying
 * the intent's mark: the only sign that tells this move from another to the same status (a
 * resubmission, a second shortlisting), and it costs no write of its own.
 */
const historyOf = (ideaId: string) => (mongoose.isValidObjectId(ideaId) ? Idea.findById(ideaId, { statusHistory: 1, challengeId: 1, coAuthors: 1 }).lean() : null);

/** The history entry `mark` pushed, with the status before it, or null while it is not there. */
async function markedMove(ideaId: string, mark: string) {
  const idea = await historyOf(ideaId);
  const index = idea?.statusHistory.findIndex((change) => change.key === mark) ?? -1;
  if (!idea || index < 0) return null;
  return { challengeId: String(idea.challengeId), from: index > 0 ? (idea.statusHistory[index - 1]!.status ?? null) : null };
}

export function registerIdeaVerifiers(events: EventBus) {
  // The idea's creation: that it exists is the write.
  events.verifyWith('idea.created', async (payload) => ((await historyOf(payload.ideaId)) ? payload : null));
  events.verifyWith('idea.submitted', async (payload, mark) => ((await markedMove(payload.ideaId, mark)) ? payload : null));
  // Recorded before the conditional update knew the idea's challenge and former status: both come from the idea.
  events.verifyWith('idea.status_changed', async (payload, mark) => {
    const moved = await markedMove(payload.ideaId, mark);
    return moved && { ...payload, ...moved };
  });
  // A decision and an unmerge are the move itself (`also` in idea-lifecycle.ts); a merge has its own record (curation).
  for (const name of ['idea.decided', 'idea.unmerged'] as const) {
    events.verifyWith(name, async (payload, mark) => ((await markedMove(payload.ideaId, mark)) ? payload : null));
  }
  // Invitations and acceptances are states of the co-author list, told once per entry: the person being there is the write.
  events.verifyWith('idea.coauthor_invited', async (payload) => {
    const idea = await historyOf(payload.ideaId);
    return idea?.coAuthors.some((c) => String(c.userId) === payload.userId) ? payload : null;
  });
  events.verifyWith('idea.coauthor_joined', async (payload) => {
    const idea = await historyOf(payload.ideaId);
    return idea?.coAuthors.some((c) => String(c.userId) === payload.userId && c.status === 'accepted') ? payload : null;
  });
}
