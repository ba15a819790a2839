import { PHASES } from '../challenges/phases.ts';
import { FUNNEL, keyOf, parseKey, part, type Dimension, type Metric } from './keys.ts';
import { foldSmallGroups, MIN_GROUP, type ShownGroup } from './privacy.ts';
import { barChart, type Bar } from './svg.ts';
import { WITHHELD, type Table, type Words } from './tables.ts';

/** Counter key → total over the chosen days. */
export type Sums = Record<string, number>;
export type Filter = { dimension: { name: Dimension; value: string } | null; tag: string | null };

const metricLabel = (words: Words, metric: string) => words.t(`figures.metric.${metric}`);
const PERSON_METRICS = [...FUNNEL, 'votes', 'comments', 'pairwiseWins'] as const satisfies readonly Metric[];
// Visitors and participants are people, not ideas: they carry no tag.
const IDEA_METRICS = PERSON_METRICS.filter((metric) => metric !== 'visitors' && metric !== 'participants');
const UNTAGGED = new Set<Metric>(['visitors', 'participants']);

const get = (sums: Sums, key: string) => sums[key] ?? 0;

/** The values a dimension (or `tag`) takes in the counters, alone or next to the given other parts. */
export function valuesOf(sums: Sums, name: string, alongside: Record<string, string> = {}): string[] {
  const values = new Set<string>();
  for (const key of Object.keys(sums)) {
    const { parts } = parseKey(key);
    const names = Object.keys(parts);
    if (parts[name] === undefined || names.length !== Object.keys(alongside).length + 1) continue;
    if (Object.entries(alongside).every(([other, value]) => parts[other] === value)) values.add(parts[name]!);
  }
  return [...values].sort((a, b) => a.localeCompare(b));
}

function filterParts(filter: Filter): string[] {
  return [...(filter.dimension ? [part(filter.dimension.name, filter.dimension.value)] : []), ...(filter.tag ? [part('tag', filter.tag)] : [])];
}

/** People in the filtered group (its participants; a tag's authors), or null with no person filter. */
export function filteredPeople(sums: Sums, filter: Filter): number | null {
  if (!filter.dimension) return null;
  const { name, value } = filter.dimension;
  return filter.tag && name === 'segment' ? get(sums, keyOf('authors', part(name, value), part('tag', filter.tag))) : get(sums, keyOf('participants', part(name, value)));
}

// People (visitors, participants) and ideas are counted in different units: a share from one to
// the other means nothing (14 participants of 2 visitors read as 700 %), so they are two funnels.
const PEOPLE_STEPS = FUNNEL.filter((metric) => UNTAGGED.has(metric));
const IDEA_STEPS = FUNNEL.filter((metric) => !UNTAGGED.has(metric));

/**
 * The funnel as two tables and charts: the people who came and took part, then the ideas from
 * started to shipped with the share kept at each step; unfiltered, the phase each step happened in.
 */
export function funnel(sums: Sums, filter: Filter, withheld: boolean, words: Words) {
  const parts = filterParts(filter);
  const filtered = parts.length > 0;
  const phasesOf = (metric: Metric) =>
    filtered
      ? ''
      : PHASES.map((phase) => [phase, get(sums, keyOf(metric, part('phase', phase)))] as const)
          .filter(([, count]) => count > 0)
          .map(([phase, count]) => `${words.phase(phase)}: ${words.count(count)}`)
          .join(' · ');
  const valueOf = (metric: Metric) => (!(filter.tag && UNTAGGED.has(metric)) && !withheld ? get(sums, keyOf(metric, ...parts)) : null);

  const peopleBars: Bar[] = [];
  const peopleRows = PEOPLE_STEPS.map((metric) => {
    const value = valueOf(metric);
    peopleBars.push({ label: metricLabel(words, metric), value });
    return { head: metricLabel(words, metric), cells: [value === null ? WITHHELD : words.count(value), phasesOf(metric)] };
  });
  let previous: number | null = null;
  const ideaBars: Bar[] = [];
  const ideaRows = IDEA_STEPS.map((metric) => {
    const value = valueOf(metric);
    ideaBars.push({ label: metricLabel(words, metric), value });
    const cells = [value === null ? WITHHELD : words.count(value), value === null ? '' : words.conversion(value, previous), phasesOf(metric)];
    if (value !== null) previous = value;
    return { head: metricLabel(words, metric), cells };
  });
  const t = words.t;
  const people = {
    table: {
      id: 'funnel-people',
      caption: t('figures.funnel.peopleCaption'),
      columns: [t('figures.people'), t('figures.count'), t('figures.funnel.phase')],
      rows: peopleRows,
    } satisfies Table,
    chart: barChart(words, { id: 'funnel-people-chart', title: t('figures.people'), description: t('figures.funnel.peopleDescription'), bars: peopleBars }),
  };
  const ideas = {
    table: {
      id: 'funnel',
      caption: t('figures.funnel.ideasCaption'),
      columns: [t('figures.funnel.step'), t('figures.count'), t('figures.funnel.ofBefore'), t('figures.funnel.phase')],
      rows: ideaRows,
    } satisfies Table,
    chart: barChart(words, { id: 'funnel-chart', title: t('figures.funnel.ideas'), description: t('figures.funnel.ideasDescription'), bars: ideaBars }),
  };
  return { people, ideas, tables: [people.table, ideas.table] };
}

/**
 * Rows of folded groups (`labelOf` names a folded group's key); `notApplicable` metrics (people
 * under a tag filter) show no number.
 */
function groupRows(words: Words, groups: Array<ShownGroup<string>>, metrics: readonly string[], labelOf: (key: string) => string, notApplicable: ReadonlySet<string> = new Set()) {
  return groups.map((group) => ({
    head: group.folded.length ? `${group.label} (${group.folded.map(labelOf).join(', ')})` : group.label,
    cells: [words.people(group.people), ...metrics.map((metric) => (group.tooFew || notApplicable.has(metric) ? WITHHELD : words.count(group.values[metric] ?? 0)))],
  }));
}

/**
 * Every figure per value of a dimension, groups of fewer than 5 people folded into "Other". A tag
 * filter narrows the segment table (segment × tag counters); the other dimensions are not crossed.
 */
export function byDimension(sums: Sums, name: Dimension, filter: Filter, words: Words) {
  const tag = name === 'segment' ? filter.tag : null;
  const values = valuesOf(sums, name, tag ? { tag } : {});
  const groups = values.map((value) => {
    const parts = [part(name, value), ...(tag ? [part('tag', tag)] : [])];
    const people = tag ? get(sums, keyOf('authors', ...parts)) : get(sums, keyOf('participants', ...parts));
    return { key: value, people, values: Object.fromEntries(PERSON_METRICS.map((metric) => [metric, get(sums, keyOf(metric, ...parts))])) as Record<string, number> };
  });
  const t = words.t;
  const labelOf = (value: string) => words.value(name, value);
  const shown = foldSmallGroups(groups, PERSON_METRICS, t('figures.other'), labelOf);
  const dimension = t(`figures.breakdown.dimension.${name}`);
  const scope = tag ? t('figures.breakdown.withTag', { tag }) : filter.tag ? t('figures.breakdown.allTags') : '';
  const table: Table = {
    id: name,
    caption: t('figures.breakdown.caption', { dimension, scope, min: MIN_GROUP }),
    columns: [t(`dimension.${name}`), tag ? t('figures.authors') : t('figures.people'), ...PERSON_METRICS.map((metric) => metricLabel(words, metric))],
    rows: groupRows(words, shown, PERSON_METRICS, labelOf, tag ? UNTAGGED : undefined),
  };
  const chart = barChart(words, {
    id: `${name}-chart`,
    title: t('figures.breakdown.title', { dimension }),
    description: t('figures.breakdown.description', { dimension, min: MIN_GROUP }),
    bars: shown.map((group) => ({ label: group.label, value: group.tooFew ? null : (group.values.participants ?? 0) })),
  });
  return { name, table, chart, groups: shown };
}

/** Which segments' ideas were promoted and shipped, from the folded segment groups. */
export function outcomes(segments: Array<ShownGroup<string>>, words: Words): Table {
  const metrics = ['promoted', 'shipped'];
  return {
    id: 'outcomes',
    caption: words.t('figures.outcomes.caption'),
    columns: [words.t('dimension.segment'), words.t('figures.people'), ...metrics.map((metric) => metricLabel(words, metric))],
    rows: groupRows(words, segments, metrics, (value) => words.value('segment', value)),
  };
}

/** Every idea figure per tag (people: the tag's authors), within the segment filter when there is one. */
export function byTag(sums: Sums, filter: Filter, words: Words) {
  const segment = filter.dimension?.name === 'segment' ? filter.dimension.value : null;
  const alongside: Record<string, string> = segment ? { segment } : {};
  const groups = valuesOf(sums, 'tag', alongside).map((tag) => {
    const parts = [...(segment ? [part('segment', segment)] : []), part('tag', tag)];
    return {
      key: tag,
      people: get(sums, keyOf('authors', ...parts)),
      values: Object.fromEntries(IDEA_METRICS.map((metric) => [metric, get(sums, keyOf(metric, ...parts))])) as Record<string, number>,
    };
  });
  const t = words.t;
  const shown = foldSmallGroups(groups, IDEA_METRICS, t('figures.otherTags'));
  const scope = segment ? t('figures.tags.inSegment', { segment: words.value('segment', segment) }) : filter.dimension ? t('figures.tags.allPeople') : '';
  const table: Table = {
    id: 'tag',
    caption: t('figures.tags.caption', { scope, min: MIN_GROUP }),
    columns: [t('tag'), t('figures.authors'), ...IDEA_METRICS.map((metric) => metricLabel(words, metric))],
    rows: groupRows(words, shown, IDEA_METRICS, (tag) => tag),
  };
  const chart = barChart(words, {
    id: 'tag-chart',
    title: t('figures.tags.title'),
    description: t('figures.tags.description', { min: MIN_GROUP }),
    bars: shown.map((group) => ({ label: group.label, value: group.tooFew ? null : (group.values.submitted ?? 0) })),
  });
  return { table, chart };
}
