import type { EventSubscriptions } from '../../shared/events.ts';
import { Comparison } from '../community/comparison.model.ts';
import { ReportTally } from '../community/report.model.ts';
import { Idea } from '../ideas/idea.model.ts';
import { STATUS_METRICS } from './keys.ts';
import type { Recorder } from './recorder.ts';

/** What the counters need of an idea: read by _id, only once its marker says it counts. */
const ideaFacts = (ideaId: string) => Idea.findById(ideaId, { authorId: 1, tags: 1, submittedAt: 1, firstDecisionAt: 1 }).lean();

/**
 * Domain events → the insights read model, from the outbox's `insights` consumer: a failing
 * counter never fails the request that emitted the event, and is retried from the outbox.
 */
export function recordInsightsOnDomainEvents(deps: { events: EventSubscriptions; recorder: Recorder }) {
  const { events, recorder } = deps;

  /** An idea reaching a status counts once per idea, whatever moves back and forth later. `carried`: its author and tags, when the event carries them. */
  async function reached(challengeId: string, ideaId: string, status: string, carried?: { authorId?: string; tags?: string[] }) {
    const metric = STATUS_METRICS[status];
    if (!metric) return;
    await recorder.once(`${status}:${ideaId}`, async () => {
      const idea = carried?.authorId && carried.tags ? carried : await ideaFacts(ideaId);
      if (idea) await recorder.count(challengeId, metric, { personId: String(idea.authorId), tags: idea.tags });
    });
  }

  events.on('idea.created', async ({ ideaId, challengeId, authorId, tags }) => {
    const counted = tags ?? (await ideaFacts(ideaId))?.tags;
    if (!counted) return;
    await recorder.draft(challengeId, ideaId, authorId, counted);
  });
  events.on('idea.submitted', ({ ideaId, challengeId, authorId, tags }) => reached(challengeId, ideaId, 'submitted', { authorId, tags }));
  events.on('idea.status_changed', ({ ideaId, challengeId, to, authorId, tags }) => reached(challengeId, ideaId, to, { authorId, tags }));
  // An approved idea can feed a backlog without its status moving: it was promoted all the same.
  events.on('idea.promoted', ({ ideaId, challengeId }) => reached(challengeId, ideaId, 'promoted'));

  events.on('idea.voted', async ({ ideaId, challengeId, userId, delta, tags }) => {
    const counted = tags ?? (await ideaFacts(ideaId))?.tags;
    await recorder.count(challengeId, 'votes', { personId: userId, tags: counted, by: delta });
    if (delta > 0) await recorder.participant(challengeId, userId);
  });

  events.on('comment.added', async ({ ideaId, challengeId, authorId, tags }) => {
    const counted = tags ?? (await ideaFacts(ideaId))?.tags;
    await recorder.count(challengeId, 'comments', { personId: authorId, tags: counted });
    await recorder.participant(challengeId, authorId);
  });

  events.on('comparison.recorded', async ({ comparisonId, challengeId }) => {
    const comparison = await Comparison.findById(comparisonId).lean();
    if (!comparison) return;
    await recorder.participant(challengeId, String(comparison.memberId));
    if (!comparison.winnerId) return;
    const winner = await ideaFacts(String(comparison.winnerId));
    if (winner) await recorder.count(challengeId, 'pairwiseWins', { personId: String(winner.authorId), tags: winner.tags });
  });

  events.on('idea.decided', async ({ ideaId, challengeId, kind, byId, authorIds, tags, submittedAt, firstDecisionAt }) => {
    const idea = tags ? { authorId: authorIds[0], tags, submittedAt, firstDecisionAt } : await ideaFacts(ideaId);
    if (!idea) return;
    await recorder.count(challengeId, 'decisions', { personId: String(idea.authorId), tags: idea.tags, extra: { decision: kind } });
    // The SLA is the wait for the first decision only; a resubmission's wait is not the copilots' first answer.
    const { submittedAt: from, firstDecisionAt: to } = idea;
    if (from && to) await recorder.once(`firstDecision:${ideaId}`, () => recorder.decisionSample(challengeId, { ms: to.getTime() - from.getTime(), copilotId: byId, at: to }));
  });

  events.on('idea.merged', async ({ ideaId, challengeId }) => {
    const idea = await ideaFacts(ideaId);
    await recorder.count(challengeId, 'merged', { personId: idea ? String(idea.authorId) : null, tags: idea?.tags });
  });

  events.on('content.moderated', async ({ challengeId, ideaId, commentId, action, cause }) => {
    if (cause !== 'reports' || action === 'hidden') return;
    await recorder.count(challengeId, 'reportsHandled');
    const tally = await ReportTally.findById(commentId ? `comment:${commentId}` : `idea:${ideaId}`, { hiddenAt: 1 }).lean();
    const now = new Date();
    if (tally?.hiddenAt) await recorder.reportSample(challengeId, { ms: now.getTime() - tally.hiddenAt.getTime(), at: now });
  });
}
