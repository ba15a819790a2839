/**
 * Activity on the large challenge for the insights benchmark (insights.ts), written straight to
 * the database before the app starts, as a site that ran for three weeks would hold it: the
 * insights rebuild then computes every counter from these documents, which is what it is timed on.
 * Needs seedLargeChallenge first (its ideas, all submitted, and its 200 members in six segments).
 *
 * What it adds, deterministically: the challenge's life (created and opened 20 days ago, so the
 * page's default range spans 21 day documents); screening decisions on half of the ideas by the
 * staff copilot (approve, request changes, reject; a few hours after submission, for the SLA
 * table); about 60 votes by each member, so every segment votes; comments on a tenth of the
 * ideas; and visits of the challenge page (members and anonymous visitors), the only counters the
 * rebuild carries over instead of recomputing. Raw driver writes: no events, no timestamps
 * rewritten, so the read model starts empty and the rebuild starts from scratch.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { User } from '../../src/features/accounts/user.model.ts';
import { Challenge } from '../../src/features/challenges/challenge.model.ts';
import { CommentThread } from '../../src/features/community/comment.model.ts';
import { Vote, voteId } from '../../src/features/community/vote.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { dimensionsOf } from '../../src/features/insights/dimensions.ts';
import { InsightDay, InsightMark } from '../../src/features/insights/insights.model.ts';
import { ALL_CHALLENGES, counterKeys, dayDocId, dayOf } from '../../src/features/insights/keys.ts';
import { LARGE_CHALLENGE_ID } from '../../src/db/seed-challenges.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const VOTES_PER_MEMBER = 60;
const COMMENTED_SHARE = 10; // one idea in ten
const COMMENTS_PER_IDEA = 3;
const ANONYMOUS_VISITORS_PER_DAY = 150;
const BATCH = 1000;

/** What each idea's screening came to, by its position: half approved, some sent back or rejected, the rest still waiting. */
function decisionOf(n: number): { status: 'approved' | 'changes-requested' | 'rejected'; kind: 'approve' | 'request-changes' | 'reject' } | null {
  const slot = n % 20;
  if (slot < 10) return { status: 'approved', kind: 'approve' };
  if (slot < 12) return { status: 'changes-requested', kind: 'request-changes' };
  if (slot < 13) return { status: 'rejected', kind: 'reject' };
  return null;
}

async function inBatches<T>(items: T[], write: (batch: T[]) => Promise<unknown>) {
  for (let start = 0; start < items.length; start += BATCH) await write(items.slice(start, start + BATCH));
}

/** Returns how many ideas were decided, votes cast, comments written and visits counted. */
export async function seedInsightsActivity(now = Date.now()) {
  const staff = await User.findOne({ email: 'staff@demo.cocreate.local' }).lean();
  if (!staff) throw new Error('seed the demo data first: the staff account decides');
  const opened = new Date(now - 20 * DAY);
  await Challenge.collection.updateOne(
    { _id: LARGE_CHALLENGE_ID },
    { $set: { createdAt: opened, phaseHistory: [{ from: 'draft', to: 'open', at: opened, byId: staff._id, byName: staff.name, reason: 'Launch' }] } },
  );

  const ideas = await Idea.find({ challengeId: LARGE_CHALLENGE_ID }, { _id: 1, authorId: 1, submittedAt: 1 }).lean();
  ideas.sort((a, b) => a.submittedAt!.getTime() - b.submittedAt!.getTime() || String(a._id).localeCompare(String(b._id)));
  const members = await User.find({ email: mongoose.trusted({ $regex: '^crowd-\\d+@demo\\.cocreate\\.local$' }) }, { _id: 1, roles: 1, profile: 1 }).lean();

  // Votes: member i on VOTES_PER_MEMBER ideas spread over the challenge, never their own.
  const votes: Array<{ _id: string; ideaId: mongoose.Types.ObjectId; challengeId: mongoose.Types.ObjectId; userId: mongoose.Types.ObjectId; at: Date; viaMergeOf: null }> = [];
  const voteCount = new Map<string, number>();
  for (const [i, member] of members.entries()) {
    for (let k = 0; k < VOTES_PER_MEMBER; k++) {
      const idea = ideas[(i * 37 + k * 163) % ideas.length]!;
      if (String(idea.authorId) === String(member._id)) continue;
      const at = new Date(Math.min(now - 60_000, idea.submittedAt!.getTime() + ((i + k) % 48) * HOUR));
      votes.push({ _id: voteId(String(idea._id), String(member._id)), ideaId: idea._id, challengeId: LARGE_CHALLENGE_ID, userId: member._id, at, viaMergeOf: null });
      voteCount.set(String(idea._id), (voteCount.get(String(idea._id)) ?? 0) + 1);
    }
  }
  await inBatches(votes, (batch) => Vote.collection.insertMany(batch as never[], { ordered: false }));

  // Decisions, vote counts and each idea's first save (a little before it was submitted). The
  // ideas are written again whole: a bulkWrite of updates hung on the embedded engine (FerretDB 1.24).
  const stored = await Idea.collection.find({ challengeId: LARGE_CHALLENGE_ID }).toArray();
  const position = new Map(ideas.map((idea, n) => [String(idea._id), n]));
  let decided = 0;
  for (const idea of stored) {
    const n = position.get(String(idea._id))!;
    const submitted = idea.submittedAt as Date;
    Object.assign(idea, { createdAt: new Date(submitted.getTime() - 10 * 60_000), voteCount: voteCount.get(String(idea._id)) ?? 0 });
    const decision = decisionOf(n);
    if (!decision) continue;
    decided++;
    const at = new Date(Math.min(now - 60_000, submitted.getTime() + (1 + (n % 30)) * HOUR));
    Object.assign(idea, {
      status: decision.status,
      firstDecisionAt: at,
      decision: { kind: decision.kind, reason: '', message: 'Thank you!', at, byId: staff._id, byName: staff.name },
      statusHistory: [...(idea.statusHistory as object[]), { status: decision.status, at, byId: staff._id, byName: staff.name, note: '' }],
    });
  }
  await Idea.collection.deleteMany({ challengeId: LARGE_CHALLENGE_ID });
  await inBatches(stored, (batch) => Idea.collection.insertMany(batch, { ordered: false }));

  // Comments: threads keyed by the idea's id, by members of every segment.
  const threads = ideas
    .filter((_, n) => n % COMMENTED_SHARE === 0)
    .map((idea, t) => ({
      _id: String(idea._id),
      version: 0,
      comments: Array.from({ length: COMMENTS_PER_IDEA }, (_, c) => {
        const author = members[(t * 7 + c * 61) % members.length]!;
        return {
          id: randomUUID(),
          authorId: author._id,
          parentId: null,
          body: 'Would this work for us too?',
          bodyHtml: '<p>Would this work for us too?</p>',
          createdAt: new Date(Math.min(now - 60_000, idea.submittedAt!.getTime() + (c + 1) * HOUR)),
          editedAt: null,
          removedAt: null,
          removedById: null,
          official: false,
          kind: 'comment',
          hidden: null,
        };
      }),
    }));
  await inBatches(threads, (batch) => CommentThread.collection.insertMany(batch as never[], { ordered: false }));

  // Visits: the rebuild keeps these counters and markers as they are (they have no other source).
  const counters = new Map<string, Record<string, number>>();
  const marks: Array<{ _id: string; at: Date }> = [];
  const visit = (at: Date, key: string, person: ReturnType<typeof dimensionsOf> | null) => {
    const day = dayOf(at);
    marks.push({ _id: `visitor:${String(LARGE_CHALLENGE_ID)}:${day}:${key}`, at });
    for (const scope of [String(LARGE_CHALLENGE_ID), ALL_CHALLENGES]) {
      const id = dayDocId(scope, day, 'visitors');
      const c = counters.get(id) ?? counters.set(id, {}).get(id)!;
      for (const counterKey of counterKeys('visitors', { person, phase: 'open' })) c[counterKey] = (c[counterKey] ?? 0) + 1;
    }
  };
  for (let d = 0; d <= 20; d++) {
    const at = new Date(Math.min(now - 60_000, opened.getTime() + d * DAY));
    for (const [i, member] of members.entries()) if ((i + d) % 3 === 0) visit(at, String(member._id), dimensionsOf(member));
    for (let a = 0; a < ANONYMOUS_VISITORS_PER_DAY; a++) visit(at, `anon${d}-${a}`, null);
  }
  await inBatches(marks, (batch) => InsightMark.collection.insertMany(batch as never[], { ordered: false }));
  for (const [id, c] of counters) {
    const $inc = Object.fromEntries(Object.entries(c).map(([key, value]) => [`c.${key}`, value]));
    await InsightDay.collection.updateOne({ _id: id as never }, { $inc }, { upsert: true });
  }
  return { decided, votes: votes.length, comments: threads.length * COMMENTS_PER_IDEA, visits: marks.length };
}
