import { PHASE_LABELS, PHASES } from '../challenges/phases.ts';
import { DIMENSION_LABELS, FUNNEL, keyOf, parseKey, part, type Dimension, type Metric } from './keys.ts';
import { foldSmallGroups, MIN_GROUP, peopleLabel, type ShownGroup } from './privacy.ts';
import { barChart, type Bar } from './svg.ts';
import { conversion, formatCount, WITHHELD, type Table } from './tables.ts';

/** Counter key → total over the chosen days. */
export type Sums = Record<string, number>;
export type Filter = { dimension: { name: Dimension; value: string } | null; tag: string | null };

export const METRIC_LABELS: Record<string, string> = {
  visitors: 'Visitors',
  participants: 'Participants',
  drafts: 'Ideas started',
  submitted: 'Submitted',
  approved: 'Approved',
  shortlisted: 'Shortlisted',
  winners: 'Winners',
  promoted: 'Promoted',
  shipped: 'Shipped',
  votes: 'Votes',
  comments: 'Comments',
  pairwiseWins: 'Pairwise wins',
};
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
export function funnel(sums: Sums, filter: Filter, withheld: boolean) {
  const parts = filterParts(filter);
  const filtered = parts.length > 0;
  const phasesOf = (metric: Metric) =>
    filtered
      ? ''
      : PHASES.map((phase) => [phase, get(sums, keyOf(metric, part('phase', phase)))] as const)
          .filter(([, count]) => count > 0)
          .map(([phase, count]) => `${PHASE_LABELS[phase]}: ${formatCount(count)}`)
          .join(' · ');
  const valueOf = (metric: Metric) => (!(filter.tag && UNTAGGED.has(metric)) && !withheld ? get(sums, keyOf(metric, ...parts)) : null);

  const peopleBars: Bar[] = [];
  const peopleRows = PEOPLE_STEPS.map((metric) => {
    const value = valueOf(metric);
    peopleBars.push({ label: METRIC_LABELS[metric]!, value });
    return { head: METRIC_LABELS[metric]!, cells: [value === null ? WITHHELD : formatCount(value), phasesOf(metric)] };
  });
  let previous: number | null = null;
  const ideaBars: Bar[] = [];
  const ideaRows = IDEA_STEPS.map((metric) => {
    const value = valueOf(metric);
    ideaBars.push({ label: METRIC_LABELS[metric]!, value });
    const cells = [value === null ? WITHHELD : formatCount(value), value === null ? '' : conversion(value, previous), phasesOf(metric)];
    if (value !== null) previous = value;
    return { head: METRIC_LABELS[metric]!, cells };
  });
  const people = {
    table: { id: 'funnel-people', caption: 'People: who came and who took part', columns: ['People', 'Count', 'Phase it happened in'], rows: peopleRows } satisfies Table,
    chart: barChart({ id: 'funnel-people-chart', title: 'People', description: 'Visitors and participants; the table beside has the figures.', bars: peopleBars }),
  };
  const ideas = {
    table: { id: 'funnel', caption: 'Ideas at each step, with the share of the step before', columns: ['Step', 'Count', 'Of the step before', 'Phase it happened in'], rows: ideaRows } satisfies Table,
    chart: barChart({ id: 'funnel-chart', title: 'Ideas', description: 'Ideas at each step from started to shipped; the table beside has the figures.', bars: ideaBars }),
  };
  return { people, ideas, tables: [people.table, ideas.table] };
}

/** Rows of folded groups; `notApplicable` metrics (people under a tag filter) show no number. */
function groupRows(groups: Array<ShownGroup<string>>, metrics: readonly string[], notApplicable: ReadonlySet<string> = new Set()) {
  return groups.map((group) => ({
    head: group.folded.length ? `${group.label} (${group.folded.join(', ')})` : group.label,
    cells: [peopleLabel(group.people), ...metrics.map((metric) => (group.tooFew || notApplicable.has(metric) ? WITHHELD : formatCount(group.values[metric] ?? 0)))],
  }));
}

/**
 * Every figure per value of a dimension, groups of fewer than 5 people folded into "Other". A tag
 * filter narrows the segment table (segment × tag counters); the other dimensions are not crossed.
 */
export function byDimension(sums: Sums, name: Dimension, filter: Filter) {
  const tag = name === 'segment' ? filter.tag : null;
  const values = valuesOf(sums, name, tag ? { tag } : {});
  const groups = values.map((value) => {
    const parts = [part(name, value), ...(tag ? [part('tag', tag)] : [])];
    const people = tag ? get(sums, keyOf('authors', ...parts)) : get(sums, keyOf('participants', ...parts));
    return { key: value, people, values: Object.fromEntries(PERSON_METRICS.map((metric) => [metric, get(sums, keyOf(metric, ...parts))])) as Record<string, number> };
  });
  const shown = foldSmallGroups(groups, PERSON_METRICS);
  const label = DIMENSION_LABELS[name];
  const scope = tag ? ` with the tag “${tag}”` : filter.tag ? ' (all tags: the tag filter applies to segments only)' : '';
  const table: Table = {
    id: name,
    caption: `By ${label.toLowerCase()}${scope}: groups of fewer than ${MIN_GROUP} people are folded into “Other”`,
    columns: [label, tag ? 'People (authors)' : 'People', ...PERSON_METRICS.map((metric) => METRIC_LABELS[metric]!)],
    rows: groupRows(shown, PERSON_METRICS, tag ? UNTAGGED : undefined),
  };
  const chart = barChart({
    id: `${name}-chart`,
    title: `Participants by ${label.toLowerCase()}`,
    description: `Participants per ${label.toLowerCase()}; figures of groups under ${MIN_GROUP} people are withheld. The table has every figure.`,
    bars: shown.map((group) => ({ label: group.label, value: group.tooFew ? null : (group.values.participants ?? 0) })),
  });
  return { name, label, table, chart, groups: shown };
}

/** Which segments' ideas were promoted and shipped, from the folded segment groups. */
export function outcomes(segments: Array<ShownGroup<string>>): Table {
  return {
    id: 'outcomes',
    caption: 'Whose ideas went on: promoted into a backlog and shipped, by the authors’ segment',
    columns: ['Segment', 'People', 'Promoted', 'Shipped'],
    rows: groupRows(segments, ['promoted', 'shipped']),
  };
}

/** Every idea figure per tag (people: the tag's authors), within the segment filter when there is one. */
export function byTag(sums: Sums, filter: Filter) {
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
  const shown = foldSmallGroups(groups, IDEA_METRICS, 'Other tags');
  const scope = segment ? ` in the segment “${segment}”` : filter.dimension ? ' (all people: only a segment filter narrows tags)' : '';
  const table: Table = {
    id: 'tag',
    caption: `By tag${scope}: tags with fewer than ${MIN_GROUP} authors are folded into “Other tags”`,
    columns: ['Tag', 'People (authors)', ...IDEA_METRICS.map((metric) => METRIC_LABELS[metric]!)],
    rows: groupRows(shown, IDEA_METRICS),
  };
  const chart = barChart({
    id: 'tag-chart',
    title: 'Submitted ideas by tag',
    description: `Submitted ideas per tag; figures of tags with fewer than ${MIN_GROUP} authors are withheld. The table has every figure.`,
    bars: shown.map((group) => ({ label: group.label, value: group.tooFew ? null : (group.values.submitted ?? 0) })),
  });
  return { table, chart };
}
