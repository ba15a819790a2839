import mongoose, { Schema } from 'mongoose';

/** k judges per idea; every judge every idea; or adaptive: k per idea, then pulled by the prize line (adaptive.ts). */
export const ASSIGNMENT_MODES = ['k', 'all', 'adaptive'] as const;
export const BUDGET_UNITS = ['total', 'judge'] as const;
export type BudgetUnit = (typeof BUDGET_UNITS)[number];
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

/**
 * How a challenge is judged, in one document keyed by the challenge's id: the mode, blind review,
 * the crowd's share, who scores which shortlisted idea, and declared conflicts. Small (a shortlist
 * of tens of ideas), read by _id on every judging page, rewritten conditionally on `version`.
 */
const judgingSchema = new Schema(
  {
    _id: { type: String, required: true },
    mode: { type: String, enum: ASSIGNMENT_MODES, default: 'k' },
    perIdea: { type: Number, default: 3 },
    blind: { type: Boolean, default: false },
    // Share of the crowd's pairwise score in the blended ranking, 0–0.3.
    crowdWeight: { type: Number, default: 0 },
    assignments: { type: [new Schema({ ideaId: String, judgeIds: [String] }, { _id: false })], default: [] },
    conflicts: { type: [new Schema({ ideaId: String, judgeId: String, note: String, at: Date }, { _id: false })], default: [] },
    // Adaptive judging: how many scorecards staff allow, in all or per judge (null: k + 1 per idea in all).
    budget: { type: Number, default: null },
    budgetPer: { type: String, enum: BUDGET_UNITS, default: 'total' },
    // Staff stopped adaptive judging early (the winners were settled): no more scorecards are handed out.
    stoppedAt: { type: Date, default: null },
    // Bumped on every submitted scorecard: the cached ranking is recomputed when it moves.
    scoresVersion: { type: Number, default: 0 },
    // The phase move (its outbox entry's key) that handed out the first assignments: applying it again tells, never re-plans.
    assignedFor: { type: String, default: null },
    version: { type: Number, default: 0 },
  },
  { versionKey: false },
);
export const Judging = mongoose.model('Judging', judgingSchema);

const criterionScoreSchema = new Schema({ score: { type: Number, default: null }, comment: { type: String, default: '' } }, { _id: false });

/**
 * One scorecard per judge per idea, keyed `${ideaId}:${judgeId}`: the unique _id makes two
 * parallel first saves one scorecard. Criterion scores are in the scorecard's criteria order.
 */
const scorecardSchema = new Schema(
  {
    _id: { type: String, required: true },
    challengeId: { type: Schema.Types.ObjectId, required: true },
    ideaId: { type: Schema.Types.ObjectId, required: true },
    judgeId: { type: Schema.Types.ObjectId, required: true },
    criteria: { type: [criterionScoreSchema], default: [] },
    // For the author (shown during appeals and after), and for the other judges only.
    comment: { type: String, default: '' },
    privateNote: { type: String, default: '' },
    status: { type: String, enum: ['draft', 'submitted'], default: 'draft' },
    submittedAt: { type: Date, default: null },
    // The weighted total on a 0–100 scale, set when submitted.
    total: { type: Number, default: null },
    version: { type: Number, default: 0 },
  },
  { versionKey: false, timestamps: true },
);
export const Scorecard = mongoose.model('Scorecard', scorecardSchema);

export const scorecardId = (ideaId: string, judgeId: string) => `${ideaId}:${judgeId}`;
