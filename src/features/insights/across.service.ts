import { DateTime } from 'luxon';
import { isStaff, type Actor } from '../../shared/actor.ts';
import { Forbidden, Invalid } from '../../shared/errors.ts';
import type { ItemCatalog } from '../backlogs/item-catalog.ts';
import type { ChallengeCatalog } from '../challenges/challenge-catalog.ts';
import { byDimension, funnel, valuesOf, type Filter, type Sums } from './breakdowns.ts';
import { InsightDay } from './insights.model.ts';
import { ALL_CHALLENGES, DIMENSIONS, dayDocIds, dayOf, daysBetween, keyOf, part, type Dimension } from './keys.ts';
import { MIN_GROUP } from './privacy.ts';
import { wordsOf, type Table, type Words } from './tables.ts';
import { message, type Locale, type Text } from '../../i18n/i18n.ts';

/** Counters over all challenges live in documents keyed `all:<day>`. */
/** The default window: the last 90 days. */
const DEFAULT_DAYS = 90;
/** At most this many days are read per page: a year of daily documents. */
const MAX_DAYS = 366;

export type AcrossQuery = Partial<Record<Dimension | 'from' | 'to', string>>;

/**
 * Insights across challenges for staff: the funnel and the segment figures over a date range
 * (from the `all:` day documents, a few reads by _id per day), and which challenges produced
 * shipped work (from the in-memory backlog items).
 */
export function createAcrossInsights(deps: { catalog: ChallengeCatalog; items: ItemCatalog }) {
  async function sums(fromDay: string, toDay: string): Promise<Sums> {
    const docs = await Promise.all(daysBetween(fromDay, toDay).flatMap((day) => dayDocIds(ALL_CHALLENGES, day).map((id) => InsightDay.findById(id).lean())));
    const total: Sums = {};
    for (const doc of docs) for (const [key, count] of Object.entries((doc?.c ?? {}) as Record<string, number>)) total[key] = (total[key] ?? 0) + count;
    return total;
  }

  return {
    /** The figures in the reader's language (see tables.ts). */
    async figures(actor: Actor, query: AcrossQuery, locale: Locale) {
      if (!isStaff(actor)) throw new Forbidden(message('insights.refusal.across'));
      const zone = actor.timezone || 'UTC';
      const errors: Record<string, Text> = {};
      const parse = (text: string | undefined, edge: 'start' | 'end') => {
        if (!text) return null;
        const parsed = DateTime.fromISO(text, { zone });
        return parsed.isValid ? (edge === 'start' ? parsed.startOf('day') : parsed.endOf('day')).toJSDate() : undefined;
      };
      const to = parse(query.to, 'end') ?? new Date();
      const from = parse(query.from, 'start') ?? new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
      if (query.from && parse(query.from, 'start') === undefined) errors.from = message('insights.invalid.realDate');
      if (query.to && parse(query.to, 'end') === undefined) errors.to = message('insights.invalid.realDate');
      if (!errors.from && !errors.to && to < from) errors.to = message('insights.invalid.endBeforeStart');
      if (!errors.to && to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) errors.from = message('insights.invalid.maxDays', { days: MAX_DAYS });
      const chosen = DIMENSIONS.filter((name) => query[name]);
      if (chosen.length > 1) errors[chosen[1]!] = message('insights.invalid.oneDimension');
      if (Object.keys(errors).length) throw new Invalid(errors, message('insights.invalid.filters'));
      const totals = await sums(dayOf(from), dayOf(to));
      const dimension = chosen[0] ? { name: chosen[0], value: query[chosen[0]]! } : null;
      if (dimension && !valuesOf(totals, dimension.name).includes(dimension.value)) {
        throw new Invalid(
          { [dimension.name]: message('insights.invalid.nobody', { dimension: message(`insights.dimension.${dimension.name}`), value: dimension.value }) },
          message('insights.invalid.filters'),
        );
      }
      const filter: Filter = { dimension, tag: null };
      const words = wordsOf(locale);
      const people = dimension ? (totals[keyOf('participants', part(dimension.name, dimension.value))] ?? 0) : null;
      return {
        range: { from, to },
        zone,
        funnel: funnel(totals, filter, people !== null && people < MIN_GROUP, words),
        dimensions: DIMENSIONS.map((name) => byDimension(totals, name, filter, words)),
        segments: valuesOf(totals, 'segment'),
        shipped: await shippedByChallenge(from, to, words),
      };
    },
  };

  /** Challenges whose ideas fed backlog items, with how many shipped in the range. */
  async function shippedByChallenge(from: Date, to: Date, words: Words): Promise<Table> {
    const t = words.t;
    const byChallenge = new Map<string, { promoted: number; shipped: number }>();
    for (const item of await deps.items.all()) {
      const shippedAt = item.statusHistory.find((change) => change.to === 'shipped')?.at;
      for (const challengeId of item.challengeIds) {
        const entry = byChallenge.get(challengeId) ?? { promoted: 0, shipped: 0 };
        entry.promoted++;
        if (item.status === 'shipped' && shippedAt && shippedAt >= from && shippedAt <= to) entry.shipped++;
        byChallenge.set(challengeId, entry);
      }
    }
    const rows = await Promise.all(
      [...byChallenge]
        .sort((a, b) => b[1].shipped - a[1].shipped || b[1].promoted - a[1].promoted)
        .map(async ([id, counts]) => ({
          head: (await deps.catalog.get(id))?.title ?? t('figures.removedChallenge'),
          cells: [words.count(counts.shipped), words.count(counts.promoted)],
        })),
    );
    return {
      id: 'shipped-by-challenge',
      caption: t('figures.shipped.caption'),
      columns: [t('figures.shipped.challenge'), t('figures.metric.shipped'), t('figures.shipped.inBacklogs')],
      rows,
    };
  }
}

export type AcrossInsights = ReturnType<typeof createAcrossInsights>;
