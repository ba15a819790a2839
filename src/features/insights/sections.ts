import type { UserDirectory } from '../accounts/user-directory.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import type { IdeaBoard, IdeaCard } from '../ideas/idea-board.ts';
import { Scorecard, scorecardId } from '../judging/judging.model.ts';
import type { JudgingService } from '../judging/judging.service.ts';
import type { Results } from '../judging/results.service.ts';
import { ALPHA_DOUBTFUL } from '../judging/agreement.ts';
import { InsightSla } from './insights.model.ts';
import { NOT_STATED, keyOf, part, slaDocId, slaPartId } from './keys.ts';
import { foldSmallGroups, MIN_GROUP } from './privacy.ts';
import type { Sums } from './breakdowns.ts';
import { barChart } from './svg.ts';
import { percentile } from '../../shared/durations.ts';
import { WITHHELD, type Table, type Words } from './tables.ts';
import { roundTo } from '../../shared/rounding.ts';

export type SectionDeps = { board: IdeaBoard; directory: UserDirectory; judging: JudgingService; results: Results };
const TOP = 3;
// Ideas that went nowhere are not what a segment "asked for".
const SET_ASIDE = new Set(['draft', 'rejected', 'merged', 'changes-requested']);

/** The most voted ideas of each segment side by side (authors' segments; small segments folded). */
export async function whoAskedForWhat(deps: SectionDeps, challengeId: string, tag: string | null, words: Words): Promise<Table> {
  const cards = (await deps.board.cards(challengeId)).filter((card) => !card.hidden && !SET_ASIDE.has(card.status) && (!tag || card.tags.includes(tag)));
  const authors = await deps.directory.people(cards.map((card) => card.authorIds[0]!));
  const bySegment = new Map<string, { people: Set<string>; cards: IdeaCard[] }>();
  for (const card of cards) {
    const segment = authors.get(card.authorIds[0]!)?.segment.trim() || NOT_STATED;
    const group = bySegment.get(segment) ?? bySegment.set(segment, { people: new Set(), cards: [] }).get(segment)!;
    group.people.add(card.authorIds[0]!);
    group.cards.push(card);
  }
  const t = words.t;
  const labelOf = (segment: string) => words.value('segment', segment);
  const shown = foldSmallGroups(
    [...bySegment].map(([key, group]) => ({ key, people: group.people.size, values: { ideas: group.cards.length } })),
    ['ideas'],
    t('figures.other'),
    labelOf,
  );
  const columns = shown.map((group) => {
    const members = group.key === 'other' ? group.folded : [group.key];
    const top = members.flatMap((segment) => bySegment.get(segment)?.cards ?? []).sort((a, b) => b.votes - a.votes || b.submittedAt.getTime() - a.submittedAt.getTime());
    return { group, top: group.tooFew ? [] : top.slice(0, TOP) };
  });
  return {
    id: 'who-asked',
    caption: t('figures.whoAsked.caption', { scope: tag ? t('figures.breakdown.withTag', { tag }) : '', min: MIN_GROUP }),
    columns: [
      t('figures.whoAsked.rank'),
      ...columns.map(({ group }) =>
        group.folded.length
          ? t('figures.whoAsked.groupFolded', { label: group.label, folded: group.folded.map(labelOf).join(', '), people: words.people(group.people) })
          : t('figures.whoAsked.group', { label: group.label, people: words.people(group.people) }),
      ),
    ],
    rows: Array.from({ length: TOP }, (_, index) => ({
      head: words.ordinal(index + 1),
      cells: columns.map(({ group, top }) => {
        if (group.tooFew) return t('figures.whoAsked.withheld', { min: MIN_GROUP });
        const idea = top[index];
        return idea ? t('figures.whoAsked.idea', { title: idea.title, votes: words.count(idea.votes), count: idea.votes }) : '';
      }),
    })),
  };
}

const within = (range: { from: Date; to: Date }) => (sample: { at?: Date | null }) => sample.at instanceof Date && sample.at >= range.from && sample.at <= range.to;

/** Moderation SLA, queue age now, decisions by kind, merges and reports handled. */
export async function curation(deps: SectionDeps, challengeId: string, sums: Sums, range: { from: Date; to: Date }, days: string[], now: Date, words: Words) {
  const t = words.t;
  const spread = (ms: number[]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return [words.count(sorted.length), words.duration(percentile(sorted, 0.5)), words.duration(percentile(sorted, 0.9))];
  };
  // The samples of each day in the range, and those stored before samples were kept by day.
  const dayDocs = await Promise.all([challengeId, ...days.map((day) => slaDocId(challengeId, day))].map((id) => InsightSla.findById(id).lean()));
  const partDocs = await Promise.all(dayDocs.flatMap((doc) => (doc?.parts ?? []).map((part) => InsightSla.findById(slaPartId(doc!._id, part)).lean())));
  const docs = [...dayDocs, ...partDocs];
  const samples = { decisions: docs.flatMap((doc) => doc?.decisions ?? []), reports: docs.flatMap((doc) => doc?.reports ?? []) };
  const decisions = samples.decisions.filter(within(range)) as Array<{ ms: number; copilotId: string }>;
  const byCopilot = new Map<string, number[]>();
  for (const sample of decisions) {
    const samples = byCopilot.get(sample.copilotId) ?? byCopilot.set(sample.copilotId, []).get(sample.copilotId)!;
    samples.push(sample.ms);
  }
  const names = await deps.directory.people([...byCopilot.keys()].filter(Boolean));
  const sla: Table = {
    id: 'sla',
    caption: t('figures.sla.caption'),
    columns: [t('figures.sla.who'), t('figures.sla.first'), t('figures.median'), t('figures.p90')],
    rows: [
      { head: t('figures.sla.everyone'), cells: spread(decisions.map((sample) => sample.ms)) },
      ...[...byCopilot].map(([copilotId, ms]) => ({ head: names.get(copilotId)?.name ?? t('figures.formerMember'), cells: spread(ms) })),
    ],
  };
  const waiting = (await deps.board.cards(challengeId)).filter((card) => card.status === 'submitted');
  const oldest = waiting.reduce<Date | null>((min, card) => (min === null || card.queuedAt < min ? card.queuedAt : min), null);
  const reports = samples.reports.filter(within(range)) as Array<{ ms: number }>;
  const decisionTable: Table = {
    id: 'decisions',
    caption: t('figures.decisions.caption'),
    columns: [t('figures.decisions.what'), t('figures.count')],
    rows: [
      ...Object.entries({ approve: 'approve', 'request-changes': 'requestChanges', reject: 'reject' }).map(([kind, label]) => ({
        head: t(`figures.decisions.${label}`),
        cells: [words.count(sums[keyOf('decisions', part('decision', kind))] ?? 0)],
      })),
      { head: t('figures.decisions.merged'), cells: [words.count(sums[keyOf('merged')] ?? 0)] },
      { head: t('figures.decisions.reportsHandled'), cells: [words.count(sums[keyOf('reportsHandled')] ?? 0)] },
    ],
  };
  const reportTable: Table = {
    id: 'reports',
    caption: t('figures.reports.caption'),
    columns: [t('figures.reports.reports'), t('figures.reports.handled'), t('figures.median'), t('figures.p90')],
    rows: [{ head: t('figures.reports.content'), cells: spread(reports.map((sample) => sample.ms)) }],
  };
  return { tables: [sla, decisionTable, reportTable], queue: { waiting: waiting.length, oldest, age: oldest ? words.duration(now.getTime() - oldest.getTime()) : null } };
}

const mean = (values: number[]) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null);

/** Progress per judge, each judge's calibration (raw vs calibrated), agreement per criterion, widest rank intervals. */
export async function judgingSection(deps: SectionDeps, challenge: ChallengeView, words: Words) {
  const t = words.t;
  const fixed = words.decimal;
  const setup = await deps.judging.read(challenge.id);
  if (!setup.assignments.length) return null;
  const [pairs, ranking] = await Promise.all([deps.judging.progress(setup), deps.results.rankingOf(challenge)]);
  const submitted = pairs.filter((pair) => pair.status === 'submitted');
  const totals = await Promise.all(submitted.map((pair) => Scorecard.findById(scorecardId(pair.ideaId, pair.judgeId), { total: 1 }).lean()));
  const calibrated = new Map(ranking.rows.map((row) => [row.ideaId, row.calibratedScore]));
  const names = await deps.directory.people([...new Set(pairs.map((pair) => pair.judgeId))]);
  const fits = new Map(ranking.judges.map((judge) => [judge.judgeId, judge]));
  const judges = [...new Set(pairs.map((pair) => pair.judgeId))].map((judgeId) => {
    const mine = pairs.filter((pair) => pair.judgeId === judgeId);
    const scored = submitted.map((pair, index) => ({ pair, total: totals[index]?.total })).filter((entry) => entry.pair.judgeId === judgeId && typeof entry.total === 'number');
    return {
      name: names.get(judgeId)?.name ?? t('figures.formerMember'),
      counts: ['submitted', 'draft', 'not started'].map((status) => mine.filter((pair) => pair.status === status).length),
      assigned: mine.length,
      fit: fits.get(judgeId),
      raw: mean(scored.map((entry) => entry.total as number)),
      calibrated: mean(scored.map((entry) => calibrated.get(entry.pair.ideaId)).filter((value): value is number => typeof value === 'number')),
    };
  });
  const judgeTable: Table = {
    id: 'judges',
    caption: t('figures.judges.caption'),
    columns: [t('figures.judges.judge'), ...['assigned', 'submitted', 'inProgress', 'notStarted', 'leniency', 'spread', 'rawMean', 'calibratedMean'].map((column) => t(`figures.judges.${column}`))],
    rows: judges.map((judge) => ({
      head: judge.name,
      cells: [
        words.count(judge.assigned),
        ...judge.counts.map(words.count),
        fixed(judge.fit?.leniency ?? null, 1),
        fixed(judge.fit?.spread ?? null, 2),
        fixed(judge.raw, 1),
        fixed(judge.calibrated, 1),
      ],
    })),
  };
  const chart = barChart(words, {
    id: 'judges-chart',
    title: t('figures.judges.title'),
    description: t('figures.judges.description'),
    bars: judges.flatMap((judge) => [
      { label: t('figures.judges.raw', { name: judge.name }), value: judge.raw === null ? null : roundTo(judge.raw, 1) },
      { label: t('figures.judges.calibrated', { name: judge.name }), value: judge.calibrated === null ? null : roundTo(judge.calibrated, 1) },
    ]),
  });
  const criteria: Table = {
    id: 'criteria',
    caption: t('figures.criteria.caption', { threshold: fixed(ALPHA_DOUBTFUL, 2) }),
    columns: [t('figures.criteria.criterion'), t('figures.criteria.alpha'), t('figures.criteria.kendall'), t('figures.criteria.disagree')],
    rows: ranking.criteria.map((criterion) => ({
      head: criterion.name,
      cells: [fixed(criterion.alpha, 2), fixed(criterion.kendallW, 2), t(criterion.highlighted ? 'figures.criteria.yes' : 'figures.criteria.no')],
    })),
  };
  const widest: Table = {
    id: 'widest',
    caption: t('figures.widest.caption'),
    columns: [t('figures.widest.idea'), t('figures.widest.rank'), t('figures.widest.interval')],
    rows: ranking.widest.map((row) => ({ head: row.title, cells: [row.calibratedRank === null ? WITHHELD : String(row.calibratedRank), `${row.rankLow ?? '?'}–${row.rankHigh ?? '?'}`] })),
  };
  return { tables: [judgeTable, criteria, widest], chart };
}

/**
 * The people behind the figures, for staff to open one person's individual view: the challenge's
 * most active authors with their segment. Aggregates above never name anyone; this list is the
 * way in to the one view that does (and every opening of it is audited).
 */
export async function contributors(deps: SectionDeps, challengeId: string, words: Words, limit = 20) {
  const cards = (await deps.board.cards(challengeId)).filter((card) => card.status !== 'draft');
  const byAuthor = new Map<string, { ideas: number; votes: number }>();
  for (const card of cards) {
    for (const authorId of card.authorIds) {
      const entry = byAuthor.get(authorId) ?? { ideas: 0, votes: 0 };
      entry.ideas++;
      entry.votes += card.votes;
      byAuthor.set(authorId, entry);
    }
  }
  const top = [...byAuthor].sort((a, b) => b[1].ideas - a[1].ideas || b[1].votes - a[1].votes).slice(0, limit);
  const people = await deps.directory.people(top.map(([id]) => id));
  return top.map(([id, figures]) => ({
    id,
    name: people.get(id)?.name ?? words.t('figures.formerMember'),
    segment: words.value('segment', people.get(id)?.segment || NOT_STATED),
    ...figures,
  }));
}
