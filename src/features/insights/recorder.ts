import { AsyncLocalStorage } from 'node:async_hooks';
import mongoose from 'mongoose';
import { appliedEvent, nextEffectNumber } from '../../shared/applying-event.ts';
import { AS_BUILT } from '../../db/as-built.ts';
import { allDone } from '../../shared/all-done.ts';
import { createCoalescer } from '../../shared/coalesce.ts';
import { duplicateIndexes, isDuplicateKeyError } from '../../shared/errors.ts';
import type { ChallengeCatalog } from '../challenges/challenge-catalog.ts';
import type { PersonDimensions } from './dimensions.ts';
import { ALL_CHALLENGES, counterKeys, dayDocId, dayOf, incrementOf, SLA_PART_SEQS, slaDocId, slaPartId, tagAuthorKeys, type Metric } from './keys.ts';
import { InsightDay, InsightMark, InsightSla, type DecisionSample, type ReportSample } from './insights.model.ts';

type Upsert = (guard: Record<string, unknown>, set: { $set: { applied: number } }) => Promise<unknown>;

/**
 * One upsert, taken once per outbox effect: the document keeps the number of the last effect it
 * took and matches none that is not above it, so the upsert meets the document instead (a
 * duplicate key: counted already).
 */
async function countOnce(effect: number, upsert: Upsert): Promise<void> {
  try {
    await upsert({ applied: mongoose.trusted({ $not: { $gte: effect } }) }, { $set: { applied: effect } });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

type Increment = Record<string, number>;
type Sample = { decisions: DecisionSample } | { reports: ReportSample };

/** Increments of one document as one `$inc`. */
function sumOf(increments: Increment[]): Increment {
  const $inc: Increment = {};
  for (const increment of increments) for (const [key, by] of Object.entries(increment)) $inc[key] = ($inc[key] ?? 0) + by;
  return $inc;
}

/** Samples of one SLA document as one `$push`. */
const pushOf = (samples: Sample[]) => ({
  decisions: { $each: samples.flatMap((sample) => ('decisions' in sample ? [sample.decisions] : [])) },
  reports: { $each: samples.flatMap((sample) => ('reports' in sample ? [sample.reports] : [])) },
});

type Write<U> = (docId: string, updates: U[], guard: Record<string, unknown>, set: { $set?: { applied: number } }) => Promise<unknown>;
const writeDay: Write<Increment> = (docId, increments, guard, set) => InsightDay.updateOne({ _id: docId, ...guard }, { $inc: sumOf(increments), ...set }, { upsert: true });
const writeSla: Write<Sample> = (docId, samples, guard, set) => InsightSla.updateOne({ _id: docId, ...guard }, { $push: pushOf(samples), ...set }, { upsert: true });

/** One outbox effect on one document: its number, and the update it makes. */
type Effect<U> = { docId: string; effect: number; update: U };

/**
 * Writes the effects an outbox consumer held over its round (applying-event.ts, Batch): those on
 * one document as one upsert, taken if the document took none of them yet. A document that took
 * some (the round replays one that stopped halfway) is offered each alone, each taken once.
 */
const heldEffects =
  <U>(write: Write<U>) =>
  async (effects: Array<Effect<U>>) => {
    const byDoc = new Map<string, Array<Effect<U>>>();
    for (const effect of effects) byDoc.set(effect.docId, [...(byDoc.get(effect.docId) ?? []), effect]);
    await Promise.all(
      [...byDoc].map(async ([docId, list]) => {
        const alone = (one: Effect<U>) => countOnce(one.effect, (guard, set) => write(docId, [one.update], guard, set));
        if (list.length === 1) return alone(list[0]!);
        try {
          const numbers = list.map((one) => one.effect);
          await write(
            docId,
            list.map((one) => one.update),
            { applied: mongoose.trusted({ $not: { $gte: Math.min(...numbers) } }) },
            { $set: { applied: Math.max(...numbers) } },
          );
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          for (const one of list) await alone(one);
        }
      }),
    );
  };
const writeDays = heldEffects(writeDay);
const writeSlas = heldEffects(writeSla);

/**
 * What an outbox consumer holds for the insights over its round: marks, and the counts they
 * allow. `requires`: the marks held before it (by the same event) that decided it was counted.
 */
type Held = { requires: readonly string[] } & ({ mark: { _id: string; by: string } } | { day: Effect<Increment> } | { sla: Effect<Sample> });

/**
 * Marks that are probably new, held for the round like the counts (a mark per submission and
 * per decision cost an insert each): all inserted at once, unordered, marks held inside others'
 * counting after those. A mark found already set (by another process applying the same entry,
 * or before this process's memory of marks began) did not count: what it allowed is dropped.
 */
async function writeHeld(items: Held[]): Promise<void> {
  const refused = new Set<string>();
  const marks = items.flatMap((item) => ('mark' in item ? [{ ...item.mark, depth: item.requires.length, requires: item.requires }] : []));
  const deepest = Math.max(-1, ...marks.map((mark) => mark.depth));
  for (let depth = 0; depth <= deepest; depth++) {
    const wave = marks.filter((mark) => mark.depth === depth);
    for (const mark of wave) if (mark.requires.some((id) => refused.has(id))) refused.add(mark._id);
    const docs = wave.filter((mark) => !refused.has(mark._id)).map(({ _id, by }) => ({ _id, by, at: new Date() }));
    if (docs.length === 0) continue;
    try {
      await InsightMark.insertMany(docs, { ordered: false, ...AS_BUILT });
    } catch (error) {
      // Unordered: the others were inserted; each refused one is named by its index.
      for (const index of duplicateIndexes(error)) refused.add(docs[index]!._id);
    }
  }
  const allowed = items.filter((item) => !item.requires.some((id) => refused.has(id)));
  await Promise.all([writeDays(allowed.flatMap((item) => ('day' in item ? [item.day] : []))), writeSlas(allowed.flatMap((item) => ('sla' in item ? [item.sla] : [])))]);
}

/** Inside `once`'s counting during an outbox round: the marks held that it depends on. */
const requiring = new AsyncLocalStorage<readonly string[]>();

const days = { write: writeDay, hold: (day: Effect<Increment>): Held => ({ day, requires: requiring.getStore() ?? [] }) };
const slas = { write: writeSla, hold: (sla: Effect<Sample>): Held => ({ sla, requires: requiring.getStore() ?? [] }) };

/**
 * An outbox effect on one document: held for the consumer's batch when it has one, else taken
 * at once, once. Outside the outbox (a visit, a script): `together`, a plain upsert grouped with
 * those arriving at the same time.
 */
async function take<U>(kind: { write: Write<U>; hold: (effect: Effect<U>) => Held }, docId: string, update: U, together: (docId: string, update: U) => Promise<void>) {
  const effect = nextEffectNumber();
  const batch = appliedEvent()?.batch;
  if (effect === undefined) await together(docId, update);
  else if (batch) batch.hold(writeHeld, kind.hold({ docId, effect, update }));
  else await countOnce(effect, (guard, set) => kind.write(docId, [update], guard, set));
}

const KNOWN_MARKS = 100_000;

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

  // Markers known to exist: a marker is never taken back (a rebuild writes again every one it
  // finds), so an idea saved again costs no failing insert. Bounded: forgetting only costs that insert.
  const known = new Set<string>();
  const remember = (id: string) => {
    if (known.size >= KNOWN_MARKS) known.clear();
    known.add(id);
  };

  /**
   * True the first time, false when it was already marked (by this process or another); true
   * again when an earlier apply of the same outbox entry marked it and may have died before counting.
   */
  async function mark(id: string): Promise<boolean> {
    const event = appliedEvent();
    if (known.has(id) && !event?.replay) return false;
    try {
      await InsightMark.create({ _id: id, by: event?.key });
      remember(id);
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      remember(id);
      return event?.replay === true && (await InsightMark.findById(id).lean())?.by === event.key;
    }
  }

  /**
   * Runs `counting` the first time `id` is marked (see `mark`); true when it ran. In an outbox
   * round the mark is held with the counts (see `writeHeld`): taken as new unless this process
   * knows it is set, and what it allowed dropped at the end of the round if it was set after all.
   */
  async function once(id: string, counting: () => Promise<unknown>): Promise<boolean> {
    const event = appliedEvent();
    if (!event?.batch || event.replay) {
      if (!(await mark(id))) return false;
      await counting();
      return true;
    }
    if (known.has(id)) return false;
    remember(id);
    const requires = requiring.getStore() ?? [];
    event.batch.hold(writeHeld, { mark: { _id: id, by: event.key }, requires });
    await requiring.run([...requires, id], counting);
    return true;
  }

  // Outside the outbox, every event of a challenge lands on the same two day documents: concurrent increments go as one `$inc`.
  const incrementDay = createCoalescer(async (dayId: string, increments: Increment[]) => {
    await writeDay(dayId, increments, {}, {});
    return increments.map(() => undefined);
  });

  // A day's SLA document grows with its decisions: one rewrite of it for all samples arriving together.
  const pushSample = createCoalescer(async (docId: string, samples: Sample[]) => {
    await writeSla(docId, samples, {}, {});
    return samples.map(() => undefined);
  });

  async function increment(metric: Metric, scopes: string[], keys: string[], by = 1, at = new Date()) {
    const day = dayOf(at);
    const $inc = incrementOf(keys, by);
    await Promise.all(scopes.map((scope) => take(days, dayDocId(scope, day, metric), $inc, incrementDay)));
  }

  /**
   * Lists the parts on their day's documents, so readers find them: once per round and day in an
   * outbox round (held for its end), else at once. Listed again each round rather than
   * remembered, so a rebuild, which writes every sample into the day's documents and drops the
   * parts, is followed at the next round.
   */
  async function listParts(parts: Array<{ dayId: string; part: number }>) {
    const byDay = new Map<string, number[]>();
    for (const { dayId, part } of parts) byDay.set(dayId, [...new Set([...(byDay.get(dayId) ?? []), part])]);
    // The empty pushes give a new day document its lists (the embedded engine drops an empty list in `$setOnInsert`).
    await allDone(
      [...byDay].map(([dayId, listed]) =>
        InsightSla.updateOne({ _id: dayId }, { $addToSet: { parts: { $each: listed } }, $push: { decisions: { $each: [] }, reports: { $each: [] } } }, { upsert: true }),
      ),
    );
  }

  /** Outside the outbox (a script), on the day's document; from the outbox, on the part of the entry's number (see `SLA_PART_SEQS`). */
  async function addSample(challengeId: string, sample: Sample) {
    const dayId = slaDocId(challengeId, dayOf('decisions' in sample ? sample.decisions.at : sample.reports.at));
    const seq = appliedEvent()?.seq;
    if (seq === undefined) return take(slas, dayId, sample, pushSample);
    const part = Math.floor(seq / SLA_PART_SEQS);
    const batch = appliedEvent()?.batch;
    if (batch) batch.hold(listParts, { dayId, part });
    else await listParts([{ dayId, part }]);
    return take(slas, slaPartId(dayId, part), sample, pushSample);
  }

  async function count(challengeId: string, metric: Metric, counted: Counted = {}, scopes = [challengeId, ALL_CHALLENGES]) {
    const [person, challenge] = await Promise.all([counted.personId ? dimensions.of(counted.personId) : null, catalog.get(challengeId)]);
    await increment(metric, scopes, counterKeys(metric, { person, tags: counted.tags, phase: challenge?.phase, extra: counted.extra }), counted.by ?? 1);
  }

  /** A person's first action in a challenge makes them a participant. */
  async function participant(challengeId: string, userId: string) {
    await once(`participant:${challengeId}:${userId}`, () => count(challengeId, 'participants', { personId: userId }, [challengeId]));
    // Across challenges a person counts once, at their first action anywhere: the people per
    // group behind the fewer-than-5 rule must be people, not person-challenges.
    await once(`participant:all:${userId}`, () => count(challengeId, 'participants', { personId: userId }, [ALL_CHALLENGES]));
  }

  return {
    once,
    count,
    participant,

    /** An idea's first save: a draft, its author an author of each of its tags, and a participant. */
    async draft(challengeId: string, ideaId: string, authorId: string, tags: readonly string[]) {
      await once(`draft:${ideaId}`, async () => {
        await count(challengeId, 'drafts', { personId: authorId, tags });
        const person = await dimensions.of(authorId);
        for (const tag of new Set(tags)) await once(`author:${challengeId}:${authorId}:${tag}`, () => increment('authors', [challengeId, ALL_CHALLENGES], tagAuthorKeys(person, tag)));
        await participant(challengeId, authorId);
      });
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
      await once(id, () => count(challengeId, 'visitors', { personId: visitor.userId }));
    },

    decisionSample: (challengeId: string, sample: DecisionSample) => addSample(challengeId, { decisions: sample }),

    reportSample: (challengeId: string, sample: ReportSample) => addSample(challengeId, { reports: sample }),
  };
}

export type Recorder = ReturnType<typeof createRecorder>;
