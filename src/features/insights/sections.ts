import type { UserDirectory } from '../accounts/user-directory.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import type { IdeaBoard, IdeaCard } from '../ideas/idea-board.ts';
import { Scorecard, scorecardId } from '../judging/judging.model.ts';
import type { JudgingService } from '../judging/judging.service.ts';
import type { Results } from '../judging/results.service.ts';
import { InsightSla } from './insights.model.ts';
import { NOT_STATED, keyOf, part } from './keys.ts';
import { foldSmallGroups, MIN_GROUP, peopleLabel } from './privacy.ts';
import type { Sums } from './breakdowns.ts';
import { barChart } from './svg.ts';
import { percentile } from '../../shared/durations.ts';
import { formatCount, formatDuration, WITHHELD, type Table } from './tables.ts';
import { fixedText, roundTo } from '../../shared/rounding.ts';

export type SectionDeps = { board: IdeaBoard; directory: UserDirectory; judging: JudgingService; results: Results };
const TOP = 3;
// Ideas that went nowhere are not what a segment "asked for".
const SET_ASIDE = new Set(['draft', 'rejected', 'merged', 'changes-requested']);
const ordinal = ['1st', '2nd', '3rd'];

/** The most voted ideas of each segment side by side (authors' segments; small segments folded). */
export async function whoAskedForWhat(deps: SectionDeps, challengeId: string, tag: string | null): Promise<Table> {
  const cards = (await deps.board.cards(challengeId)).filter((card) => !card.hidden && !SET_ASIDE.has(card.status) && (!tag || card.tags.includes(tag)));
  const authors = await deps.directory.people(cards.map((card) => card.authorIds[0]!));
  const bySegment = new Map<string, { people: Set<string>; cards: IdeaCard[] }>();
  for (const card of cards) {
    const segment = authors.get(card.authorIds[0]!)?.segment.trim() || NOT_STATED;
    const group = bySegment.get(segment) ?? bySegment.set(segment, { people: new Set(), cards: [] }).get(segment)!;
    group.people.add(card.authorIds[0]!);
    group.cards.push(card);
  }
  const shown = foldSmallGroups(
    [...bySegment].map(([key, group]) => ({ key, people: group.people.size, values: { ideas: group.cards.length } })),
    ['ideas'],
  );
  const columns = shown.map((group) => {
    const members = group.key === 'other' ? group.folded : [group.key];
    const top = members.flatMap((segment) => bySegment.get(segment)?.cards ?? []).sort((a, b) => b.votes - a.votes || b.submittedAt.getTime() - a.submittedAt.getTime());
    return { group, top: group.tooFew ? [] : top.slice(0, TOP) };
  });
  return {
    id: 'who-asked',
    caption: `Who asked for what: each segment’s most voted ideas${tag ? ` with the tag “${tag}”` : ''} (segments of fewer than ${MIN_GROUP} authors folded into “Other”)`,
    columns: [
      'Rank',
      ...columns.map(({ group }) =>
        group.folded.length ? `${group.label} (${group.folded.join(', ')}; ${peopleLabel(group.people)} people)` : `${group.label} (${peopleLabel(group.people)} people)`,
      ),
    ],
    rows: ordinal.map((head, index) => ({
      head,
      cells: columns.map(({ group, top }) => (group.tooFew ? `${WITHHELD} (fewer than ${MIN_GROUP} people)` : top[index] ? `${top[index].title} (${formatCount(top[index].votes)} votes)` : '')),
    })),
  };
}

const within = (range: { from: Date; to: Date }) => (sample: { at?: Date | null }) => sample.at instanceof Date && sample.at >= range.from && sample.at <= range.to;
const spread = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return [formatCount(sorted.length), formatDuration(percentile(sorted, 0.5)), formatDuration(percentile(sorted, 0.9))];
};

/** Moderation SLA, queue age now, decisions by kind, merges and reports handled. */
export async function curation(deps: SectionDeps, challengeId: string, sums: Sums, range: { from: Date; to: Date }, now: Date) {
  const samples = (await InsightSla.findById(challengeId).lean()) ?? { decisions: [], reports: [] };
  const decisions = (samples.decisions ?? []).filter(within(range)) as Array<{ ms: number; copilotId: string }>;
  const byCopilot = new Map<string, number[]>();
  for (const sample of decisions) {
    const samples = byCopilot.get(sample.copilotId) ?? byCopilot.set(sample.copilotId, []).get(sample.copilotId)!;
    samples.push(sample.ms);
  }
  const names = await deps.directory.people([...byCopilot.keys()].filter(Boolean));
  const sla: Table = {
    id: 'sla',
    caption: 'Moderation SLA: time from submission to the first decision',
    columns: ['Who decided', 'First decisions', 'Median', '90th percentile'],
    rows: [
      { head: 'Everyone (the challenge)', cells: spread(decisions.map((sample) => sample.ms)) },
      ...[...byCopilot].map(([copilotId, ms]) => ({ head: names.get(copilotId)?.name ?? 'a former member', cells: spread(ms) })),
    ],
  };
  const waiting = (await deps.board.cards(challengeId)).filter((card) => card.status === 'submitted');
  const oldest = waiting.reduce<Date | null>((min, card) => (min === null || card.queuedAt < min ? card.queuedAt : min), null);
  const reports = (samples.reports ?? []).filter(within(range)) as Array<{ ms: number }>;
  const decisionTable: Table = {
    id: 'decisions',
    caption: 'Curation work in the date range',
    columns: ['What', 'Count'],
    rows: [
      ...[
        ['approve', 'Approved'],
        ['request-changes', 'Changes requested'],
        ['reject', 'Rejected'],
      ].map(([kind, label]) => ({ head: `Decisions: ${label}`, cells: [formatCount(sums[keyOf('decisions', part('decision', kind!))] ?? 0)] })),
      { head: 'Duplicates merged', cells: [formatCount(sums[keyOf('merged')] ?? 0)] },
      { head: 'Reports handled', cells: [formatCount(sums[keyOf('reportsHandled')] ?? 0)] },
    ],
  };
  const reportTable: Table = {
    id: 'reports',
    caption: 'Time to handle reported content, from when the reports hid it',
    columns: ['Reports', 'Handled', 'Median', '90th percentile'],
    rows: [{ head: 'Reported content', cells: spread(reports.map((sample) => sample.ms)) }],
  };
  return { tables: [sla, decisionTable, reportTable], queue: { waiting: waiting.length, oldest, age: oldest ? formatDuration(now.getTime() - oldest.getTime()) : null } };
}

const mean = (values: number[]) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null);
const fixed = (value: number | null, digits: number) => fixedText(value, digits, WITHHELD);

/** Progress per judge, each judge's calibration (raw vs calibrated), agreement per criterion, widest rank intervals. */
export async function judgingSection(deps: SectionDeps, challenge: ChallengeView) {
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
      name: names.get(judgeId)?.name ?? 'a former member',
      counts: ['submitted', 'draft', 'not started'].map((status) => mine.filter((pair) => pair.status === status).length),
      assigned: mine.length,
      fit: fits.get(judgeId),
      raw: mean(scored.map((entry) => entry.total as number)),
      calibrated: mean(scored.map((entry) => calibrated.get(entry.pair.ideaId)).filter((value): value is number => typeof value === 'number')),
    };
  });
  const judgeTable: Table = {
    id: 'judges',
    caption: 'Judges: progress, fitted leniency and spread, and their mean raw score against the calibrated score of the same ideas',
    columns: ['Judge', 'Assigned', 'Submitted', 'In progress', 'Not started', 'Leniency (points added)', 'Spread (1 = typical)', 'Mean raw score', 'Mean calibrated score'],
    rows: judges.map((judge) => ({
      head: judge.name,
      cells: [String(judge.assigned), ...judge.counts.map(String), fixed(judge.fit?.leniency ?? null, 1), fixed(judge.fit?.spread ?? null, 2), fixed(judge.raw, 1), fixed(judge.calibrated, 1)],
    })),
  };
  const chart = barChart({
    id: 'judges-chart',
    title: 'Raw and calibrated scores per judge',
    description: 'For each judge, the mean of the totals they gave and the mean calibrated score of the same ideas (0–100); the judges table has the figures.',
    bars: judges.flatMap((judge) => [
      { label: `${judge.name}: raw`, value: judge.raw === null ? null : roundTo(judge.raw, 1) },
      { label: `${judge.name}: calibrated`, value: judge.calibrated === null ? null : roundTo(judge.calibrated, 1) },
    ]),
  });
  const criteria: Table = {
    id: 'criteria',
    caption: 'Agreement between judges per criterion (Krippendorff’s alpha below 0.67: they disagree)',
    columns: ['Criterion', 'Krippendorff’s alpha', 'Kendall’s W', 'Judges disagree'],
    rows: ranking.criteria.map((criterion) => ({ head: criterion.name, cells: [fixed(criterion.alpha, 2), fixed(criterion.kendallW, 2), criterion.highlighted ? 'yes' : 'no'] })),
  };
  const widest: Table = {
    id: 'widest',
    caption: 'Ideas whose rank is least certain (widest 90% rank interval)',
    columns: ['Idea', 'Calibrated rank', 'Rank interval'],
    rows: ranking.widest.map((row) => ({ head: row.title, cells: [row.calibratedRank === null ? WITHHELD : String(row.calibratedRank), `${row.rankLow ?? '?'}–${row.rankHigh ?? '?'}`] })),
  };
  return { tables: [judgeTable, criteria, widest], chart };
}

/**
 * The people behind the figures, for staff to open one person's individual view: the challenge's
 * most active authors with their segment. Aggregates above never name anyone; this list is the
 * way in to the one view that does (and every opening of it is audited).
 */
export async function contributors(deps: SectionDeps, challengeId: string, limit = 20) {
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
  return top.map(([id, figures]) => ({ id, name: people.get(id)?.name ?? 'a former member', segment: people.get(id)?.segment || NOT_STATED, ...figures }));
}
