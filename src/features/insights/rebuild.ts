import mongoose from 'mongoose';
import { User } from '../accounts/user.model.ts';
import { AuditEntry } from '../audit/audit.model.ts';
import { Challenge } from '../challenges/challenge.model.ts';
import { CommentThread } from '../community/comment.model.ts';
import { Comparison } from '../community/comparison.model.ts';
import { ReportTally } from '../community/report.model.ts';
import { Vote } from '../community/vote.model.ts';
import { Idea } from '../ideas/idea.model.ts';
import { dimensionsOf } from './dimensions.ts';
import { ALL_CHALLENGES, counterKeys, dayDocId, dayOf, slaDocId, STATUS_METRICS, tagAuthorKeys, type Dimensions, type Metric } from './keys.ts';
import { InsightDay, InsightMark, InsightSla, type DecisionSample, type ReportSample } from './insights.model.ts';

const BATCH = 2000;
const DECISION_KINDS: Record<string, string> = { approved: 'approve', 'changes-requested': 'request-changes', rejected: 'reject' };

type PhaseMove = { to: string; at: Date };
type IdeaFacts = { challengeId: string; authorId: string; tags: string[] };

/** The phase a challenge was in at a moment, from its phase history. */
function phaseAt(moves: readonly PhaseMove[], at: Date): string {
  let phase = 'draft';
  for (const move of moves) if (move.at.getTime() <= at.getTime()) phase = move.to;
  return phase;
}

/**
 * Drops and recomputes the insights read model from the source documents (ideas and their status
 * history, votes, comment threads, comparisons, report tallies with their audit entries, users).
 * Counters accumulate in memory and are written as one document per day, so a 10,000-idea
 * challenge takes seconds. Visitor counters and markers have no other source: they are kept.
 * Run it while the site is quiet: events counted during the rebuild may be lost.
 */
export async function rebuildInsights(progress: (step: string) => void = () => undefined): Promise<{ days: number; marks: number; ms: number }> {
  const started = Date.now();
  progress('reading people, challenges and ideas');
  const people = new Map((await User.find({}, { roles: 1, profile: 1 }).lean()).map((user) => [String(user._id), dimensionsOf(user)]));
  const personOf = (id: unknown): Dimensions => people.get(String(id)) ?? dimensionsOf(null);
  const phases = new Map((await Challenge.find({}, { phaseHistory: 1 }).lean()).map((challenge) => [String(challenge._id), challenge.phaseHistory.map((move) => ({ to: move.to, at: move.at }))]));

  const days = new Map<string, Record<string, number>>();
  const marks = new Set<string>();
  const sla = new Map<string, { decisions: DecisionSample[]; reports: ReportSample[] }>();
  const slaOf = (challengeId: string, at: Date) => {
    const id = slaDocId(challengeId, dayOf(at));
    return sla.get(id) ?? sla.set(id, { decisions: [], reports: [] }).get(id)!;
  };
  const add = (metric: Metric, challengeId: string, at: Date, keys: string[], by = 1, scopes = [challengeId, ALL_CHALLENGES]) => {
    for (const scope of scopes) {
      const id = dayDocId(scope, dayOf(at), metric);
      const counters = days.get(id) ?? days.set(id, {}).get(id)!;
      for (const key of keys) counters[key] = (counters[key] ?? 0) + by;
    }
  };
  const count = (challengeId: string, metric: Metric, at: Date, subject: { person?: Dimensions | null; tags?: readonly string[]; extra?: Record<string, string> } = {}, scopes?: string[]) =>
    add(metric, challengeId, at, counterKeys(metric, { ...subject, phase: phaseAt(phases.get(challengeId) ?? [], at) }), 1, scopes);
  // A person's first action in a challenge, whatever it was.
  const firstActions = new Map<string, Date>();
  const acted = (challengeId: string, userId: string, at: Date) => {
    const key = `${challengeId}:${userId}`;
    const earlier = firstActions.get(key);
    if (!earlier || at < earlier) firstActions.set(key, at);
  };

  const ideas = new Map<string, IdeaFacts>();
  const ideaDocs = await Idea.find({}, { challengeId: 1, authorId: 1, tags: 1, status: 1, statusHistory: 1, submittedAt: 1, firstDecisionAt: 1, createdAt: 1, promotedTo: 1, updatedAt: 1 }).lean();
  for (const idea of ideaDocs) {
    const id = String(idea._id);
    const challengeId = String(idea.challengeId);
    const authorId = String(idea.authorId);
    const facts = { challengeId, authorId, tags: idea.tags };
    ideas.set(id, facts);
    const person = personOf(authorId);
    const subject = { person, tags: idea.tags };
    count(challengeId, 'drafts', idea.createdAt, subject);
    marks.add(`draft:${id}`);
    for (const tag of new Set(idea.tags.map((t) => t.trim()).filter(Boolean))) {
      const mark = `author:${challengeId}:${authorId}:${tag}`;
      if (!marks.has(mark)) {
        marks.add(mark);
        add('authors', challengeId, idea.createdAt, tagAuthorKeys(person, tag));
      }
    }
    acted(challengeId, authorId, idea.createdAt);
    const history = idea.statusHistory.filter((entry) => entry.status && entry.at) as Array<{ status: string; at: Date; byId?: unknown }>;
    for (const [index, entry] of history.entries()) {
      const metric = STATUS_METRICS[entry.status];
      if (metric && !marks.has(`${entry.status}:${id}`)) {
        marks.add(`${entry.status}:${id}`);
        count(challengeId, metric, entry.at, subject);
      }
      const kind = DECISION_KINDS[entry.status];
      if (kind && history[index - 1]?.status === 'submitted') count(challengeId, 'decisions', entry.at, { ...subject, extra: { decision: kind } });
      if (entry.status === 'merged') count(challengeId, 'merged', entry.at, subject);
    }
    if (idea.promotedTo.length && !marks.has(`promoted:${id}`)) {
      marks.add(`promoted:${id}`);
      count(challengeId, 'promoted', idea.updatedAt, subject);
    }
    if (idea.submittedAt && idea.firstDecisionAt) {
      marks.add(`firstDecision:${id}`);
      const first = history.find((entry) => DECISION_KINDS[entry.status] && entry.at.getTime() === idea.firstDecisionAt!.getTime());
      slaOf(challengeId, idea.firstDecisionAt).decisions.push({
        ms: idea.firstDecisionAt.getTime() - idea.submittedAt.getTime(),
        copilotId: first?.byId ? String(first.byId) : '',
        at: idea.firstDecisionAt,
      });
    }
  }

  progress(`counted ${ideaDocs.length} ideas; reading votes`);
  // A vote a merge moved carries no event of its own: it was counted where it was cast.
  for (const vote of await Vote.find({ viaMergeOf: null }).lean()) {
    const challengeId = String(vote.challengeId);
    count(challengeId, 'votes', vote.at, { person: personOf(vote.userId), tags: ideas.get(String(vote.ideaId))?.tags });
    acted(challengeId, String(vote.userId), vote.at);
  }

  progress('reading comments');
  for (const thread of await CommentThread.find({}).lean()) {
    const idea = ideas.get(thread._id);
    if (!idea) continue; // a challenge's questions and announcements are not idea comments
    for (const comment of thread.comments) {
      if (comment.kind && comment.kind !== 'comment') continue;
      count(idea.challengeId, 'comments', comment.createdAt, { person: personOf(comment.authorId), tags: idea.tags });
      acted(idea.challengeId, String(comment.authorId), comment.createdAt);
    }
  }

  progress('reading pairwise comparisons');
  for (const comparison of await Comparison.find({}).lean()) {
    const challengeId = String(comparison.challengeId);
    acted(challengeId, String(comparison.memberId), comparison.at);
    const winner = comparison.winnerId ? ideas.get(String(comparison.winnerId)) : undefined;
    if (winner) count(challengeId, 'pairwiseWins', comparison.at, { person: personOf(winner.authorId), tags: winner.tags });
  }

  // Across challenges a person counts once, at their first action anywhere (as the recorder does).
  const firstAnywhere = new Map<string, { challengeId: string; at: Date }>();
  for (const [key, at] of firstActions) {
    const [challengeId, userId] = key.split(':') as [string, string];
    marks.add(`participant:${key}`);
    count(challengeId, 'participants', at, { person: personOf(userId) }, [challengeId]);
    const earliest = firstAnywhere.get(userId);
    if (!earliest || at < earliest.at) firstAnywhere.set(userId, { challengeId, at });
  }
  for (const [userId, { challengeId, at }] of firstAnywhere) {
    marks.add(`participant:all:${userId}`);
    count(challengeId, 'participants', at, { person: personOf(userId) }, [ALL_CHALLENGES]);
  }

  await rebuildReports(count, slaOf);

  // Visitors have no source but the counters and markers themselves: carried over as they are.
  const kept = await InsightMark.find({ _id: mongoose.trusted({ $regex: '^visitor:' }) }).lean();
  for (const day of await InsightDay.find({}).lean()) {
    for (const [key, value] of Object.entries((day.c ?? {}) as Record<string, number>)) {
      if (!key.startsWith('visitors|')) continue;
      const counters = days.get(day._id) ?? days.set(day._id, {}).get(day._id)!;
      counters[key] = value;
    }
  }

  progress(`writing ${days.size} day documents and ${marks.size} markers`);
  await InsightDay.deleteMany({});
  await InsightMark.deleteMany({});
  await InsightSla.deleteMany({});
  await insertInBatches(
    InsightDay,
    [...days].map(([_id, c]) => ({ _id, c })),
  );
  await insertInBatches(InsightMark, [...[...marks].map((_id) => ({ _id })), ...kept]);
  await insertInBatches(
    InsightSla,
    [...sla].map(([_id, samples]) => ({ _id, ...samples })),
  );
  return { days: days.size, marks: marks.size + kept.length, ms: Date.now() - started };
}

/** Reports handled: a reviewed tally, on the day its review was audited; timed from when the reports hid it. */
async function rebuildReports(count: (challengeId: string, metric: Metric, at: Date) => void, slaOf: (challengeId: string, at: Date) => { reports: ReportSample[] }) {
  const tallies = await ReportTally.find({ status: mongoose.trusted({ $in: ['restored', 'removed'] }) }).lean();
  if (!tallies.length) return;
  const reviews = new Map<string, Date>();
  for (const entry of await AuditEntry.find({ action: mongoose.trusted({ $in: ['content.restored', 'content.removed'] }) }, { targetId: 1, at: 1 }).lean()) {
    const earlier = reviews.get(entry.targetId);
    if (!earlier || entry.at > earlier) reviews.set(entry.targetId, entry.at);
  }
  for (const tally of tallies) {
    const at = reviews.get(tally.commentId ?? String(tally.ideaId));
    if (!at || !tally.challengeId) continue;
    const challengeId = String(tally.challengeId);
    count(challengeId, 'reportsHandled', at);
    if (tally.hiddenAt) slaOf(challengeId, at).reports.push({ ms: at.getTime() - tally.hiddenAt.getTime(), at });
  }
}

async function insertInBatches(model: { insertMany: (docs: object[], options: { ordered: boolean; lean: boolean }) => Promise<unknown> }, docs: object[]) {
  for (let start = 0; start < docs.length; start += BATCH) await model.insertMany(docs.slice(start, start + BATCH), { ordered: false, lean: true });
}
