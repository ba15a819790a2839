import mongoose from 'mongoose';
import { CONVERGENCE_BOUND_MS } from '../../cluster/change-log.ts';
import { createCoalescer } from '../../shared/coalesce.ts';
import { duplicateIndexes, isDuplicateKeyError } from '../../shared/errors.ts';
import { createKeyedCache } from '../../shared/keyed-cache.ts';
import type { Logger } from '../../shared/logger.ts';
import { Ballot, BALLOTS_COMPLETE, ballotPartId, ballotPartIds, budgetId, inBallotLayout, Vote } from './vote.model.ts';

/**
 * Ballots read recently, by `${challengeId}:${userId}`. Every list page a member opens marks its
 * vote buttons from their ballot: a round trip to the database per page view, for documents that
 * change only when they vote. Kept CONVERGENCE_BOUND_MS at most (a vote through another process
 * shows within that, as its count does) and each dropped here as soon as this process writes it.
 */
const recentBallots = createKeyedCache(
  async (key: string): Promise<ReadonlySet<string>> => {
    const [challengeId, userId] = key.split(':') as [string, string];
    // One query for every part, by _id (the embedded engine's fix 5 finds a list of ids by the index).
    const parts = await Ballot.find({ _id: mongoose.trusted({ $in: ballotPartIds(challengeId, userId) }) }, { ideaIds: 1 }).lean();
    return new Set(parts.flatMap((part) => part.ideaIds));
  },
  { ttlMs: CONVERGENCE_BOUND_MS, maxKeys: 10_000 },
);

/** Adds ideas to a part of a ballot; an upsert that lost the race to create it retries as an update. */
async function addToBallot(id: string, ideaIds: string[]): Promise<void> {
  const update = () => Ballot.updateOne({ _id: id }, { $addToSet: { ideaIds: { $each: ideaIds } } }, { upsert: true });
  try {
    await update();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await update();
  }
}

/**
 * Ideas marked at about the same time by concurrent votes go in one command of an update per part
 * (unordered): the embedded engine takes its one write lock once per command, and 20 updates in
 * one command cost it about half of 20 sent one by one (scripts/bench/engine-ops.ts). Alone, a mark is
 * written at once. A part whose upsert lost the race to create it is written again alone.
 */
const markTogether = createCoalescer(async (_key: string, marks: Array<{ partId: string; ideaId: string }>) => {
  const byPart = new Map<string, string[]>();
  for (const { partId, ideaId } of marks) byPart.set(partId, [...(byPart.get(partId) ?? []), ideaId]);
  const parts = [...byPart];
  try {
    await Ballot.bulkWrite(
      parts.map(([partId, ideaIds]) => ({ updateOne: { filter: { _id: partId }, update: { $addToSet: { ideaIds: { $each: ideaIds } } }, upsert: true } })),
      { ordered: false },
    );
  } catch (error) {
    await Promise.all(duplicateIndexes(error).map((index) => addToBallot(...parts[index]!)));
  }
  return marks.map(() => undefined);
});

export async function markVoted(challengeId: string, userId: string, ideaId: string): Promise<void> {
  try {
    await markTogether('ballots', { partId: ballotPartId(challengeId, userId, ideaId), ideaId });
  } finally {
    recentBallots.forget(budgetId(challengeId, userId));
  }
}

export async function unmarkVoted(challengeId: string, userId: string, ideaId: string): Promise<void> {
  try {
    await Ballot.updateOne({ _id: ballotPartId(challengeId, userId, ideaId) }, { $pull: { ideaIds: ideaId } });
  } finally {
    recentBallots.forget(budgetId(challengeId, userId));
  }
}

/** The ideas the person voted for in the challenge: one query, shared by the pages they open within CONVERGENCE_BOUND_MS. */
export const votedIdeas = (challengeId: string, userId: string): Promise<ReadonlySet<string>> => recentBallots.get(budgetId(challengeId, userId));

/**
 * Whether every stored vote is in a ballot part, so a missing part means "no votes". A database
 * from before ballots existed, or whose ballots have another layout, gets them built once, in the
 * background (a scan of the votes); until then callers read `Vote` itself. Asked once per process
 * until it is true.
 */
export function ballotsCompleteness(logger?: Logger): () => Promise<boolean> {
  let complete = false;
  let building: Promise<void> | undefined;
  return async () => {
    if (complete) return true;
    if (await Ballot.exists({ _id: BALLOTS_COMPLETE })) return (complete = true);
    if (!(await Vote.exists({}))) {
      await addToBallot(BALLOTS_COMPLETE, []);
      return (complete = true);
    }
    building ??= buildBallots()
      .then(() => {
        complete = true;
      })
      .catch((error: unknown) => {
        building = undefined;
        logger?.error({ err: error }, 'building the voters’ ballots failed; list pages read each vote until it succeeds');
      });
    return false;
  };
}

/**
 * Deletes the ballots of another layout (before parts, or with another count of them), then puts
 * every stored vote in its ballot part and marks them complete. A vote withdrawn while this runs
 * may be put back in its ballot: the button shows "Voted" until the voter withdraws again, which
 * removes it (withdrawing a vote that is gone still clears the ballot).
 */
async function buildBallots(): Promise<void> {
  const stale: string[] = [];
  for await (const ballot of Ballot.find({}, { _id: 1 }).lean().cursor()) if (!inBallotLayout(ballot._id)) stale.push(ballot._id);
  for (let start = 0; start < stale.length; start += 500) await Ballot.deleteMany({ _id: mongoose.trusted({ $in: stale.slice(start, start + 500) }) });
  const ballots = new Map<string, string[]>();
  for await (const vote of Vote.find({}, { ideaId: 1, challengeId: 1, userId: 1 }).lean().cursor()) {
    const id = ballotPartId(String(vote.challengeId), String(vote.userId), String(vote.ideaId));
    ballots.set(id, [...(ballots.get(id) ?? []), String(vote.ideaId)]);
  }
  for (const [id, ideaIds] of ballots) await addToBallot(id, ideaIds);
  await addToBallot(BALLOTS_COMPLETE, []);
}
