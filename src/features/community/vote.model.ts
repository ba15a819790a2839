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
 * `ballotPartIds`): a list page marks every card's button from one lookup of them by `_id` (fifty
 * `Vote` lookups cost a member's challenge page most of its time). `Vote` stays the record; this
 * is its index, written after it.
 */
const ballotSchema = new Schema({ _id: { type: String, required: true }, ideaIds: { type: [String], default: [] } }, { versionKey: false });
export const Ballot = mongoose.model('Ballot', ballotSchema);

export const voteId = (ideaId: string, userId: string) => `${ideaId}:${userId}`;
export const budgetId = (challengeId: string, userId: string) => `${challengeId}:${userId}`;

/**
 * A ballot is spread over this many parts by idea: a vote rewrites one part, not every idea the
 * person voted for in the challenge (the embedded engine decodes and rewrites a whole document per
 * update). With 8 parts, a member voting on 3,000 ideas made each vote rewrite about 375 ids, and
 * a vote cost 7.2 to 8.7 ms of CPU in `bench:all`; with 64 parts, 6.0 to 6.4 ms. Part ids name
 * the count, so ballots stored with another count are told apart and built again (`ballots.ts`).
 */
const BALLOT_PARTS = 64;

/** Present once every stored vote is in a ballot part of this layout. */
export const BALLOTS_COMPLETE = `every-vote-recorded/${BALLOT_PARTS}`;

/** Whether a ballot document belongs to the current layout (its parts and its completeness mark). */
export const inBallotLayout = (id: string) => id.endsWith(`/${BALLOT_PARTS}`) || id.includes(`/${BALLOT_PARTS}:`);

/** The ballot part that holds `ideaId`. */
export const ballotPartId = (challengeId: string, userId: string, ideaId: string) => `${budgetId(challengeId, userId)}/${BALLOT_PARTS}:${bucketOf(ideaId, BALLOT_PARTS)}`;

/** Every part of a person's ballot in a challenge. */
export const ballotPartIds = (challengeId: string, userId: string) => Array.from({ length: BALLOT_PARTS }, (_, part) => `${budgetId(challengeId, userId)}/${BALLOT_PARTS}:${part}`);
