import mongoose from 'mongoose';
import { appliedEvent, nextEffectNumber } from '../../shared/applying-event.ts';
import { isDuplicateKeyError } from '../../shared/errors.ts';
import type { ChallengeCatalog } from '../challenges/challenge-catalog.ts';
import type { PersonDimensions } from './dimensions.ts';
import { ALL_CHALLENGES, counterKeys, dayDocId, dayOf, incrementOf, tagAuthorKeys, type Metric } from './keys.ts';
import { InsightDay, InsightMark, InsightSla, type DecisionSample, type ReportSample } from './insights.model.ts';

type Upsert = (guard: Record<string, unknown>, set: { $set?: { applied: number } }) => Promise<unknown>;

/**
 * One upsert, taken once per outbox effect: the document keeps the number of the last effect it
 * took and matches none that is not above it, so the upsert meets the document instead (a
 * duplicate key: counted already). Outside the outbox (a visit, a script) a plain upsert.
 */
async function countOnce(effect: number | undefined, upsert: Upsert): Promise<void> {
  if (effect === undefined) {
    await upsert({}, {});
    return;
  }
  try {
    await upsert({ applied: mongoose.trusted({ $not: { $gte: effect } }) }, { $set: { applied: effect } });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

export type Counted = { personId?: string | null; tags?: readonly string[]; extra?: Record<string, string>; by?: number };

/**
 * Writes the insights read model: one `$inc` upsert per event on the challenge's day document
 * and on the `all:` one; markers make what must count once count once, across processes too.
 */
export function createRecorder(deps: { catalog: ChallengeCatalog; dimensions: PersonDimensions }) {
  const { catalog, dimensions } = deps;
  // Visitors already counted today by this process: the hot challenge page writes nothing after a first view.
  let visitedDay = '';
  const visited = new Set<string>();

  /**
   * True the first time, false when it was already marked (by this process or another); true
   * again when an earlier apply of the same outbox entry marked it and may have died before counting.
   */
  async function mark(id: string): Promise<boolean> {
    const event = appliedEvent();
    try {
      await InsightMark.create({ _id: id, by: event?.key });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return event?.replay === true && (await InsightMark.findById(id).lean())?.by === event.key;
    }
  }

  async function increment(scopes: string[], keys: string[], by = 1, at = new Date()) {
    const day = dayOf(at);
    const $inc = incrementOf(keys, by);
    const effect = nextEffectNumber();
    await Promise.all(scopes.map((scope) => countOnce(effect, (guard, set) => InsightDay.updateOne({ _id: dayDocId(scope, day), ...guard }, { $inc, ...set }, { upsert: true }))));
  }

  async function count(challengeId: string, metric: Metric, counted: Counted = {}, scopes = [challengeId, ALL_CHALLENGES]) {
    const [person, challenge] = await Promise.all([counted.personId ? dimensions.of(counted.personId) : null, catalog.get(challengeId)]);
    await increment(scopes, counterKeys(metric, { person, tags: counted.tags, phase: challenge?.phase, extra: counted.extra }), counted.by ?? 1);
  }

  return {
    mark,
    count,

    /** A person's first action in a challenge makes them a participant. */
    async participant(challengeId: string, userId: string) {
      if (await mark(`participant:${challengeId}:${userId}`)) await count(challengeId, 'participants', { personId: userId }, [challengeId]);
      // Across challenges a person counts once, at their first action anywhere: the people per
      // group behind the fewer-than-5 rule must be people, not person-challenges.
      if (await mark(`participant:all:${userId}`)) await count(challengeId, 'participants', { personId: userId }, [ALL_CHALLENGES]);
    },

    /** An idea's first save: a draft, and its author an author of each of its tags. */
    async draft(challengeId: string, ideaId: string, authorId: string, tags: readonly string[]) {
      if (!(await mark(`draft:${ideaId}`))) return false;
      await count(challengeId, 'drafts', { personId: authorId, tags });
      const person = await dimensions.of(authorId);
      for (const tag of new Set(tags)) {
        if (await mark(`author:${challengeId}:${authorId}:${tag}`)) await increment([challengeId, ALL_CHALLENGES], tagAuthorKeys(person, tag));
      }
      return true;
    },

    /** The first view of the challenge page per visitor per day. */
    async visit(challengeId: string, visitor: { userId: string | null; key: string }) {
      const day = dayOf(new Date());
      if (day !== visitedDay) {
        visited.clear();
        visitedDay = day;
      }
      const id = `visitor:${challengeId}:${day}:${visitor.key}`;
      if (visited.has(id)) return;
      visited.add(id);
      if (await mark(id)) await count(challengeId, 'visitors', { personId: visitor.userId });
    },

    async decisionSample(challengeId: string, sample: DecisionSample) {
      await countOnce(nextEffectNumber(), (guard, set) => InsightSla.updateOne({ _id: challengeId, ...guard }, { $push: { decisions: sample }, ...set }, { upsert: true }));
    },

    async reportSample(challengeId: string, sample: ReportSample) {
      await countOnce(nextEffectNumber(), (guard, set) => InsightSla.updateOne({ _id: challengeId, ...guard }, { $push: { reports: sample }, ...set }, { upsert: true }));
    },
  };
}

export type Recorder = ReturnType<typeof createRecorder>;
