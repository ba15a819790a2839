import mongoose from 'mongoose';
import { AS_BUILT } from '../../db/as-built.ts';
import { createCoalescer } from '../../shared/coalesce.ts';
import { bulkWriteErrors, isDuplicateKeyError } from '../../shared/errors.ts';
import { Vote } from './vote.model.ts';

type CastVote = { _id: string; ideaId: string; challengeId: string; userId: string; at: Date; key: string };
type Outcome = { inserted: true } | { inserted: false; duplicate: true } | { inserted: false; duplicate: false; error: unknown };

/**
 * Votes cast at about the same time by concurrent requests go in one insert (unordered: each
 * vote stands or falls alone). The embedded engine takes its one write lock once per command,
 * and 20 documents inserted in one command cost it a seventh of 20 inserted one by one
 * (scripts/bench/engine-ops.ts: 0.05 against 0.35 ms of CPU each). Alone, a vote is inserted at once.
 */
const insertTogether = createCoalescer(async (_key: string, votes: CastVote[]): Promise<Outcome[]> => {
  // Built as Mongoose would cast and default them (as-built.ts): ids as ObjectIds, no merge.
  const docs = votes.map((vote) => ({
    ...vote,
    ideaId: new mongoose.Types.ObjectId(vote.ideaId),
    challengeId: new mongoose.Types.ObjectId(vote.challengeId),
    userId: new mongoose.Types.ObjectId(vote.userId),
    viaMergeOf: null,
  }));
  try {
    await Vote.insertMany(docs, { ordered: false, ...AS_BUILT });
    return votes.map(() => ({ inserted: true }));
  } catch (error) {
    // Unordered: the others were inserted; each refused one is named by its index.
    const writeErrors = bulkWriteErrors(error);
    if (!writeErrors) throw error;
    const refused = new Map(writeErrors.map((writeError) => [writeError.index, writeError]));
    return votes.map((_, index): Outcome => {
      const writeError = refused.get(index);
      if (!writeError) return { inserted: true };
      return isDuplicateKeyError(writeError) ? { inserted: false, duplicate: true } : { inserted: false, duplicate: false, error: writeError };
    });
  }
});

/** Stores a cast vote; false when this person's vote on the idea is there already (its unique _id). */
export async function insertVote(vote: CastVote): Promise<boolean> {
  const outcome = await insertTogether('votes', vote);
  if (outcome.inserted) return true;
  if (outcome.duplicate) return false;
  throw outcome.error instanceof Error ? outcome.error : new Error(`The vote ${vote._id} was not stored: ${JSON.stringify(outcome.error)}`);
}
