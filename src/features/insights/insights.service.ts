import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Actor } from '../../shared/actor.ts';
import { Forbidden, Invalid } from '../../shared/errors.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import { byDimension, byTag, filteredPeople, funnel, outcomes, valuesOf, type Filter, type Sums } from './breakdowns.ts';
import { canSeeChallengeInsights } from './insights.policy.ts';
import { InsightDay } from './insights.model.ts';
import { DIMENSIONS, dayDocIds, dayOf, daysBetween, type Dimension } from './keys.ts';
import { MIN_GROUP } from './privacy.ts';
import type { Recorder } from './recorder.ts';
import { contributors, curation, judgingSection, whoAskedForWhat, type SectionDeps } from './sections.ts';
import { wordsOf, type Table } from './tables.ts';
import { message, type Locale, type Text } from '../../i18n/i18n.ts';

const CACHE_MS = 5_000;
const date = z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'insights.invalid.date')]).optional();
const value = z.string().trim().max(200).optional();
export const insightsQuery = z.object({ segment: value, region: value, tier: value, kind: value, tag: value, from: date, to: date });
export type InsightsQuery = z.infer<typeof insightsQuery>;

type Deps = SectionDeps & { challenges: Challenges; recorder: Recorder };

/** A date typed by the viewer, as the instant its day starts or ends in their time zone. */
function instantOf(day: string, zone: string, edge: 'start' | 'end'): Date | null {
  const parsed = DateTime.fromISO(day, { zone });
  if (!parsed.isValid) return null;
  return (edge === 'start' ? parsed.startOf('day') : parsed.endOf('day')).toJSDate();
}

/**
 * The challenge insights page: counters of the day documents in the range (a few reads by _id per
 * day), sections from the in-memory board and the judging read models. Computed at most once per
 * challenge and filters every few seconds, so a busy page costs little.
 */
export function createInsights(deps: Deps) {
  const cache = new Map<string, { expires: number; value: Promise<unknown> }>();

  function cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    for (const [stale, entry] of cache) if (entry.expires <= now) cache.delete(stale);
    const hit = cache.get(key);
    if (hit) return hit.value as Promise<T>;
    const value = compute();
    cache.set(key, { expires: now + CACHE_MS, value });
    value.catch(() => cache.delete(key));
    return value;
  }

  /** Counter totals of the challenge over UTC days, both included. */
  function sums(challengeId: string, from: string, to: string): Promise<Sums> {
    return cached(`sums:${challengeId}:${from}:${to}`, async () => {
      const docs = await Promise.all(daysBetween(from, to).flatMap((day) => dayDocIds(challengeId, day).map((id) => InsightDay.findById(id).lean())));
      const total: Sums = {};
      for (const doc of docs) for (const [key, count] of Object.entries((doc?.c ?? {}) as Record<string, number>)) total[key] = (total[key] ?? 0) + count;
      return total;
    });
  }

  async function allowedChallenge(actor: Actor, challengeId: string): Promise<ChallengeView> {
    const challenge = await deps.challenges.visibleChallenge(actor, challengeId);
    if (!canSeeChallengeInsights(actor, challenge)) throw new Forbidden(message('insights.refusal.challenge'));
    return challenge;
  }

  /** The filters checked against what the challenge's counters hold; Invalid with a message per field. */
  async function filtersOf(actor: Actor, challenge: ChallengeView, query: InsightsQuery) {
    const zone = actor.timezone || 'UTC';
    const firstDay = dayOf(challenge.createdAt);
    const today = dayOf(new Date());
    const everything = await sums(challenge.id, firstDay, today);
    const errors: Record<string, Text> = {};
    const chosen = DIMENSIONS.filter((name) => query[name]);
    if (chosen.length > 1) errors[chosen[1]!] = message('insights.invalid.oneDimension');
    for (const name of chosen) {
      if (!valuesOf(everything, name).includes(query[name]!))
        errors[name] = message('insights.invalid.nobodyHere', { dimension: message(`insights.figures.breakdown.dimension.${name}`), value: query[name]! });
    }
    if (query.tag && !valuesOf(everything, 'tag').includes(query.tag)) errors.tag = message('insights.invalid.noTag', { tag: query.tag });
    if (query.tag && chosen.length === 1 && chosen[0] !== 'segment') errors.tag = message('insights.invalid.tagWithSegment');
    const from = query.from ? instantOf(query.from, zone, 'start') : challenge.createdAt;
    const to = query.to ? instantOf(query.to, zone, 'end') : new Date();
    if (!from) errors.from = message('insights.invalid.realDate');
    if (!to) errors.to = message('insights.invalid.realDate');
    if (from && to && to < from) errors.to = message('insights.invalid.endBeforeStart');
    if (Object.keys(errors).length) throw new Invalid(errors, message('insights.invalid.filters'));
    const dimension = chosen[0] ? { name: chosen[0] as Dimension, value: query[chosen[0]]! } : null;
    // Counters are kept per UTC day: the range covers every UTC day it touches, within the challenge's life.
    const fromDay = [dayOf(from!), firstDay].sort()[1]!;
    const toDay = [dayOf(to!), today].sort()[0]!;
    return { filter: { dimension, tag: query.tag || null } as Filter, range: { from: from!, to: to! }, fromDay, toDay, everything, zone };
  }

  async function compute(challenge: ChallengeView, filters: Awaited<ReturnType<typeof filtersOf>>, locale: Locale) {
    const { filter, fromDay, toDay, range } = filters;
    const words = wordsOf(locale);
    const totals = fromDay <= toDay ? await sums(challenge.id, fromDay, toDay) : {};
    const people = filteredPeople(totals, filter);
    const withheld = people !== null && people < MIN_GROUP;
    const dimensions = DIMENSIONS.map((name) => byDimension(totals, name, filter, words));
    const [whoAsked, curationFigures, judging, mostActive] = await Promise.all([
      whoAskedForWhat(deps, challenge.id, filter.tag, words),
      curation(deps, challenge.id, totals, range, fromDay <= toDay ? daysBetween(fromDay, toDay) : [], new Date(), words),
      judgingSection(deps, challenge, words),
      contributors(deps, challenge.id, words),
    ]);
    const tags = byTag(totals, filter, words);
    const outcomeTable = outcomes(dimensions[0]!.groups, words);
    const funnelFigures = funnel(totals, filter, withheld, words);
    const tables: Table[] = [...funnelFigures.tables, ...dimensions.map((d) => d.table), outcomeTable, tags.table, whoAsked, ...curationFigures.tables, ...(judging?.tables ?? [])];
    return {
      funnel: funnelFigures,
      withheld,
      dimensions,
      outcomes: outcomeTable,
      tags,
      whoAsked,
      people: mostActive,
      curation: curationFigures,
      judging,
      tables: new Map(tables.map((table) => [table.id, table])),
      segments: valuesOf(filters.everything, 'segment'),
      tagValues: valuesOf(filters.everything, 'tag'),
    };
  }

  /**
   * The page's figures in the reader's language: the tables hold text ready to show and to write
   * to CSV, so each language is computed on its own (the counters' sums are shared).
   */
  async function figures(actor: Actor, challengeId: string, query: InsightsQuery, locale: Locale) {
    const challenge = await allowedChallenge(actor, challengeId);
    const filters = await filtersOf(actor, challenge, query);
    // Keyed by what the viewer asked (not the computed range, whose open end is "now"), so a warm page hits.
    const key = createHash('sha1')
      .update(JSON.stringify([challenge.id, filters.filter, filters.fromDay, filters.toDay, query.from ?? '', query.to ?? '', filters.zone, locale]))
      .digest('hex');
    return { challenge, filters, figures: await cached(`page:${key}`, () => compute(challenge, filters, locale)) };
  }

  return {
    figures,
    /** For the error page of bad filters: the challenge and the values a filter can take. */
    async choices(actor: Actor, challengeId: string) {
      const challenge = await allowedChallenge(actor, challengeId);
      const everything = await sums(challenge.id, dayOf(challenge.createdAt), dayOf(new Date()));
      return { challenge, segments: valuesOf(everything, 'segment'), tagValues: valuesOf(everything, 'tag') };
    },
    /** One table of the page, for its CSV download. */
    async table(actor: Actor, challengeId: string, query: InsightsQuery, id: string, locale: Locale): Promise<{ challenge: ChallengeView; table: Table | undefined }> {
      const { challenge, figures: page } = await figures(actor, challengeId, query, locale);
      return { challenge, table: page.tables.get(id) };
    },
    /** The challenge page's visitor hook: counted in the background, never awaited by the page. */
    visited(challengeId: string, visitor: { userId: string | null; ip: string; userAgent: string }): Promise<void> {
      const key = visitor.userId ?? createHash('sha256').update(`${visitor.ip}\n${visitor.userAgent}`).digest('hex').slice(0, 20);
      return deps.recorder.visit(challengeId, { userId: visitor.userId, key });
    },
  };
}

export type Insights = ReturnType<typeof createInsights>;
