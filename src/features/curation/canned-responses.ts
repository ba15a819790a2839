import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import type { Actor } from '../../shared/actor.ts';
import { Conflict, NotFound } from '../../shared/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import { DECISION_KINDS, type DecisionKind } from './decisions.ts';

/** A challenge's canned responses in one document keyed by the challenge's id, rewritten conditionally on `version`. */
const cannedSchema = new Schema(
  {
    _id: { type: String, required: true },
    responses: { type: [new Schema({ id: String, kind: { type: String, enum: DECISION_KINDS }, title: String, text: String }, { _id: false })], default: [] },
    version: { type: Number, default: 0 },
  },
  { versionKey: false },
);
const CannedResponses = mongoose.model('CannedResponses', cannedSchema);

export type CannedResponse = { id: string; kind: DecisionKind; title: string; text: string };

/** What a challenge starts with, until its copilots write their own. */
const STARTERS: Array<Omit<CannedResponse, 'id'>> = [
  { kind: 'approve', title: 'Welcome to the running', text: 'Thank you, {author}! “{title}” is now open to everyone in {challenge}.' },
  { kind: 'request-changes', title: 'More detail, please', text: 'Hi {author}, thank you for “{title}”. Please add who it helps and how we would know it works, then submit it again.' },
  { kind: 'reject', title: 'Outside the brief', text: 'Hi {author}, thank you for “{title}”. It falls outside what {challenge} asks for, so we cannot take it forward here.' },
  { kind: 'reject', title: 'Already covered', text: 'Hi {author}, “{title}” is close to an idea already in {challenge}: add your thoughts there so they count together.' },
];

export function createCannedResponses() {
  async function read(challengeId: string): Promise<{ responses: CannedResponse[]; version: number }> {
    const doc = await CannedResponses.findById(challengeId).lean();
    if (!doc) return { responses: STARTERS.map((starter, index) => ({ ...starter, id: `starter-${index}` })), version: -1 };
    return { responses: doc.responses as CannedResponse[], version: doc.version };
  }

  /** Rewrites the list conditionally on the version read: of two editors at once, the second is told. */
  async function rewrite(actor: Actor, challenge: ChallengeView, change: (responses: CannedResponse[]) => CannedResponse[], action: string) {
    const { responses, version } = await read(challenge.id);
    const next = change(responses);
    if (version === -1) {
      await CannedResponses.create({ _id: challenge.id, responses: next, version: 1 }).catch(() => {
        throw new Conflict('Another copilot changed the responses a moment ago. Reload and try again.');
      });
    } else {
      const result = await CannedResponses.updateOne({ _id: challenge.id, version }, { $set: { responses: next }, $inc: { version: 1 } });
      if (result.modifiedCount !== 1) throw new Conflict('Another copilot changed the responses a moment ago. Reload and try again.');
    }
    await recordAudit(actor, { action, targetType: 'challenge', targetId: challenge.id, targetLabel: challenge.title, before: responses, after: next });
  }

  return {
    list: async (challengeId: string) => (await read(challengeId)).responses,

    async find(challengeId: string, responseId: string): Promise<CannedResponse | undefined> {
      return (await read(challengeId)).responses.find((response) => response.id === responseId);
    },

    add: (actor: Actor, challenge: ChallengeView, input: Omit<CannedResponse, 'id'>) =>
      rewrite(actor, challenge, (responses) => [...responses, { ...input, id: randomUUID() }], 'curation.response_added'),

    update: (actor: Actor, challenge: ChallengeView, responseId: string, input: Omit<CannedResponse, 'id'>) =>
      rewrite(
        actor,
        challenge,
        (responses) => {
          if (!responses.some((response) => response.id === responseId)) throw new NotFound('That response no longer exists.');
          return responses.map((response) => (response.id === responseId ? { ...input, id: responseId } : response));
        },
        'curation.response_changed',
      ),

    remove: (actor: Actor, challenge: ChallengeView, responseId: string) =>
      rewrite(actor, challenge, (responses) => responses.filter((response) => response.id !== responseId), 'curation.response_removed'),
  };
}

export type Canned = ReturnType<typeof createCannedResponses>;
