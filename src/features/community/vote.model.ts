import mongoose, { Schema } from 'mongoose';
import { bucketOf } from '../../shared/hash-bucket.ts';

/**
 * One document per person per idea, keyed `${ideaId}:${userId}`: the unique _id is the guard
 * against double votes (on MongoDB and the embedded engine alike), and "has this person voted?"
 * is a lookup by _id.
 */
const voteSchema = new Schema(
  {
    _id: { type: String, required: true },
    ideaId: { type: Schema.Types.ObjectId, required: true },
    challengeId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, default: () => new Date() },
    // Set on a vote that a merge moved here from a duplicate: that vote took no budget of its own.
    viaMergeOf: { type: Schema.Types.ObjectId, default: null },
    // The outbox mark of the `idea.voted` event that cast it: the vote (same _id for the same
    // person and idea) cast by this very request, not by an earlier or later one.
    key: { type: String },
  },
  { versionKey: false },
);
export const Vote = mongoose.model('Vote', voteSchema);

/** Votes a person has used in a challenge with a vote budget, keyed `${challengeId}:${userId}`. */
const voteBudgetSchema = new Schema({ _id: { type: String, required: true }, used: { type: Number, default: 0 } }, { versionKey: false });
export const VoteBudget = mongoose.model('VoteBudget', voteBudgetSchema);

/**
 * The ideas a person has a vote on in one challenge, in BALLOT_PARTS documents by idea (see
 * `ballotPartIds`): a list page marks every card's button from these few lookups by `_id` (fifty
 * `Vote` lookups cost a member's challenge page most of its time). `Vote` stays the record; this
 * is its index, written after it.
 */
const ballotSchema = new Schema({ _id: { type: String, required: true }, ideaIds: { type: [String], default: [] } }, { versionKey: false });
export const Ballot = mongoose.model('Ballot', ballotSchema);

/** Present once every vote stored before ballots existed is in one (see `ballot-backfill.ts`). */
export const BALLOTS_COMPLETE = 'every-vote-recorded';

export const voteId = (ideaId: string, userId: string) => `${ideaId}:${userId}`;
export const budgetId = (challengeId: string, userId: string) => `${challengeId}:${userId}`;

/**
 * A ballot is spread over this many parts by idea: a vote rewrites one part, not every idea the
 * person voted for in the challenge (the embedded engine decodes and rewrites a whole document per
 * update, and a busy voter's ballot passed 1,000 ideas).
 */
const BALLOT_PARTS = 8;

/** The ballot part that holds `ideaId`. */
export const ballotPartId = (challengeId: string, userId: string, ideaId: string) => `${budgetId(challengeId, userId)}:${bucketOf(ideaId, BALLOT_PARTS)}`;

/** Every document of a person's ballot in a challenge: the one ballot stored before parts (keyed like the budget, read and cleared as they are), then its parts. */
export const ballotPartIds = (challengeId: string, userId: string) => {
  const whole = budgetId(challengeId, userId);
  return [whole, ...Array.from({ length: BALLOT_PARTS }, (_, part) => `${whole}:${part}`)];
};
