import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { CONVERGENCE_BOUND_MS } from '../../cluster/change-log.ts';
import { message, translate, type Locale } from '../../i18n/i18n.ts';
import { createKeyedCache } from '../../shared/keyed-cache.ts';
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

/**
 * What a challenge starts with, until its copilots write their own: in the language of the copilot
 * reading them (`curation.starter.<name>` in the catalogue), and stored in it once they change the list.
 */
const STARTERS: Array<{ kind: DecisionKind; name: string }> = [
  { kind: 'approve', name: 'welcome' },
  { kind: 'request-changes', name: 'moreDetail' },
  { kind: 'reject', name: 'outsideBrief' },
  { kind: 'reject', name: 'covered' },
];
const starters = (locale: Locale): CannedResponse[] =>
  STARTERS.map(({ kind, name }, index) => ({
    id: `starter-${index}`,
    kind,
    title: translate(locale, message(`curation.starter.${name}.title`)),
    text: translate(locale, message(`curation.starter.${name}.text`)),
  }));

export function createCannedResponses() {
  async function read(challengeId: string, locale: Locale): Promise<{ responses: CannedResponse[]; version: number }> {
    const doc = await CannedResponses.findById(challengeId).lean();
    if (!doc) return { responses: starters(locale), version: -1 };
    return { responses: doc.responses as CannedResponse[], version: doc.version };
  }

  // The screening queue shows the list on every view: read once per CONVERGENCE_BOUND_MS, and
  // again at once after this process rewrites it (another process's edit shows within the bound).
  const stored = createKeyedCache(async (challengeId: string) => ((await CannedResponses.findById(challengeId).lean())?.responses as CannedResponse[] | undefined) ?? null, {
    ttlMs: CONVERGENCE_BOUND_MS,
    maxKeys: 1_000,
  });

  /** Rewrites the list conditionally on the version read: of two editors at once, the second is told. */
  async function rewrite(actor: Actor, challenge: ChallengeView, change: (responses: CannedResponse[]) => CannedResponse[], action: string, locale: Locale) {
    const { responses, version } = await read(challenge.id, locale);
    const next = change(responses);
    if (version === -1) {
      await CannedResponses.create({ _id: challenge.id, responses: next, version: 1 }).catch(() => {
        throw new Conflict(message('curation.responses.race'));
      });
    } else {
      const result = await CannedResponses.updateOne({ _id: challenge.id, version }, { $set: { responses: next }, $inc: { version: 1 } });
      if (result.modifiedCount !== 1) throw new Conflict(message('curation.responses.race'));
    }
    stored.forget(challenge.id);
    await recordAudit(actor, { action, targetType: 'challenge', targetId: challenge.id, targetLabel: challenge.title, before: responses, after: next });
  }

  return {
    list: async (challengeId: string, locale: Locale = 'en') => (await stored.get(challengeId)) ?? starters(locale),

    async find(challengeId: string, responseId: string, locale: Locale = 'en'): Promise<CannedResponse | undefined> {
      return (await read(challengeId, locale)).responses.find((response) => response.id === responseId);
    },

    add: (actor: Actor, challenge: ChallengeView, input: Omit<CannedResponse, 'id'>, locale: Locale = 'en') =>
      rewrite(actor, challenge, (responses) => [...responses, { ...input, id: randomUUID() }], 'curation.response_added', locale),

    update: (actor: Actor, challenge: ChallengeView, responseId: string, input: Omit<CannedResponse, 'id'>, locale: Locale = 'en') =>
      rewrite(
        actor,
        challenge,
        (responses) => {
          if (!responses.some((response) => response.id === responseId)) throw new NotFound(message('curation.responses.gone'));
          return responses.map((response) => (response.id === responseId ? { ...input, id: responseId } : response));
        },
        'curation.response_changed',
        locale,
      ),

    remove: (actor: Actor, challenge: ChallengeView, responseId: string, locale: Locale = 'en') =>
      rewrite(actor, challenge, (responses) => responses.filter((response) => response.id !== responseId), 'curation.response_removed', locale),
  };
}

export type Canned = ReturnType<typeof createCannedResponses>;
