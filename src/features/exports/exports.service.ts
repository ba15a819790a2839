import { message, translate, translateKey, translator, type Locale } from '../../i18n/i18n.ts';
import type { MaybeActor } from '../../shared/actor.ts';
import { Forbidden, NotFound } from '../../shared/errors.ts';
import { shownName } from '../../shared/personal-data.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import type { ItemCatalog, ItemView } from '../backlogs/item-catalog.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import { isChallengeTeam } from '../challenges/challenges.policy.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { IdeaBoard } from '../ideas/idea-board.ts';
import { Idea } from '../ideas/idea.model.ts';
import { canReadIdea, canSeeIdea, reachesCrowd } from '../ideas/ideas.policy.ts';
import { accessOf } from '../ideas/ideas.service.ts';
import { Scorecard, scorecardId } from '../judging/judging.model.ts';
import { canManageJudging } from '../judging/judging.policy.ts';
import type { JudgingService } from '../judging/judging.service.ts';
import type { Results } from '../judging/results.service.ts';
import { canExport, type Dataset } from './exports.policy.ts';
import { roundTo } from '../../shared/rounding.ts';

/** One exported row: plain values only, the same for CSV and JSON (dates as ISO 8601 text). */
export type ExportRow = Record<string, string | number | boolean | null | string[]>;
/** A dataset ready to stream: its columns in order, and rows produced one by one as they are read. */
export type ExportStream = { challenge: ChallengeView; columns: readonly string[]; rows: AsyncGenerator<ExportRow> };

// The fields of each dataset, in column order: docs/exports.md describes every one.
export const IDEA_COLUMNS = ['id', 'title', 'summary', 'status', 'tags', 'submittedAt', 'votes', 'authors', 'hidden', 'link'] as const;
export const SCORE_COLUMNS = [
  'kind',
  'ideaId',
  'ideaTitle',
  'scorecards',
  'rawMean',
  'rawRank',
  'calibratedScore',
  'calibratedRank',
  'rankLow',
  'rankHigh',
  'crowdScore',
  'finalRank',
  'judge',
  'total',
  'submittedAt',
] as const;
export const OUTCOME_COLUMNS = ['id', 'backlog', 'title', 'status', 'latestNote', 'latestNoteAt', 'shippedAt', 'sourceIdeaIds', 'sourceIdeaTitles', 'contributors'] as const;
const CRITERION = 'criterion: ';
/** A scores column per criterion of the challenge, holding each scorecard's score on it. */
export const criterionColumn = (name: string) => `${CRITERION}${name}`;

/** A column's heading in the CSV's header row, in the requester's language (English: the field name itself). */
export function columnHeading(locale: Locale, column: string): string {
  const t = translator(locale);
  return column.startsWith(CRITERION) ? t('exports.criterion', { name: column.slice(CRITERION.length) }) : t(`exports.column.${column}`);
}

type Deps = {
  challenges: Challenges;
  board: IdeaBoard;
  directory: UserDirectory;
  results: Pick<Results, 'rankingOf'>;
  judging: Pick<JudgingService, 'read' | 'blindFor'>;
  items: Pick<ItemCatalog, 'all'>;
  publicUrl: string;
};

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);
const round = (value: number | null | undefined) => (value === null || value === undefined ? null : roundTo(value, 2));
const loadIdea = (id: string) => Idea.findById(id).lean();

/**
 * A challenge's ideas, judges' scores and outcomes as rows, for the exports. Access is checked
 * when a dataset is opened (so a refusal is an ordinary 403/404 before anything is sent); rows
 * are then made one at a time as the consumer asks for them, each idea read by _id, so a large
 * challenge never sits in memory as a whole export and a slow client slows the reads down.
 */
export function createExports(deps: Deps) {
  const { challenges, board, directory, results, judging, items } = deps;

  /** People's names; a deleted or missing account is named in the export's language. */
  const names = async (ids: string[], locale: Locale) => {
    const people = await directory.people(ids);
    return ids.map((id) => translate(locale, shownName(people.get(id))));
  };

  /** The challenge an idea belongs to, when the actor may see it. */
  async function challengeOf(actor: MaybeActor, challengeId: string, known: ChallengeView): Promise<ChallengeView | null> {
    if (challengeId === known.id) return known;
    try {
      return await challenges.visibleChallenge(actor, challengeId);
    } catch (error) {
      if (error instanceof NotFound) return null;
      throw error;
    }
  }

  async function* ideaRows(actor: MaybeActor, challenge: ChallengeView, ids: string[], locale: Locale): AsyncGenerator<ExportRow> {
    const team = isChallengeTeam(actor, challenge);
    // Blind review keeps a judge from the authors in the export too.
    const blind = await judging.blindFor(actor, challenge);
    for (const id of ids) {
      const idea = await loadIdea(id);
      if (!idea || String(idea.challengeId) !== challenge.id || idea.status === 'draft') continue;
      const access = accessOf(idea);
      if (!canSeeIdea(actor, access, challenge) || !canReadIdea(actor, access, challenge)) continue;
      // The crowd exports what its challenge page lists: screened ideas, hidden ones left out.
      if (!team && (access.hidden !== null || !reachesCrowd(access.status, challenge))) continue;
      const authorIds = [access.authorId, ...access.coAuthors.filter((c) => c.status === 'accepted').map((c) => c.userId)];
      yield {
        id,
        title: idea.title,
        summary: idea.summary,
        status: idea.status,
        tags: idea.tags,
        submittedAt: iso(idea.submittedAt),
        votes: idea.voteCount ?? 0,
        authors: blind ? [] : await names(authorIds, locale),
        hidden: access.hidden !== null,
        link: `${deps.publicUrl}/ideas/${id}`,
      };
    }
  }

  async function* scoreRows(actor: MaybeActor, challenge: ChallengeView, locale: Locale): AsyncGenerator<ExportRow> {
    const ranking = await results.rankingOf(challenge);
    const setup = await judging.read(challenge.id);
    const criteria = challenge.criteria.map((criterion) => criterionColumn(criterion.name));
    const none = Object.fromEntries(criteria.map((column) => [column, null]));
    // Copilots read how each scorecard scored, not who filled it in: judges are "Judge 1", "Judge 2"… (stable within one export).
    const pseudonyms = new Map<string, string>();
    const judgeLabel = async (judgeId: string) => {
      if (canManageJudging(actor)) return translate(locale, shownName(await directory.person(judgeId)));
      if (!pseudonyms.has(judgeId)) pseudonyms.set(judgeId, translateKey(locale, 'exports.judge', { n: pseudonyms.size + 1 }));
      return pseudonyms.get(judgeId)!;
    };
    for (const row of ranking.rows) {
      yield {
        kind: 'idea',
        ideaId: row.ideaId,
        ideaTitle: row.title,
        scorecards: row.scoreCount,
        rawMean: round(row.rawMean),
        rawRank: row.rawRank,
        calibratedScore: round(row.calibratedScore),
        calibratedRank: row.calibratedRank,
        rankLow: row.rankLow,
        rankHigh: row.rankHigh,
        crowdScore: round(row.crowd?.score),
        finalRank: row.finalRank,
        judge: null,
        total: null,
        submittedAt: null,
        ...none,
      };
      const judgeIds = setup.assignments.find((entry) => entry.ideaId === row.ideaId)?.judgeIds ?? [];
      for (const judgeId of judgeIds) {
        const card = await Scorecard.findById(scorecardId(row.ideaId, judgeId)).lean();
        if (!card || card.status !== 'submitted') continue;
        yield {
          kind: 'scorecard',
          ideaId: row.ideaId,
          ideaTitle: row.title,
          scorecards: null,
          rawMean: null,
          rawRank: null,
          calibratedScore: null,
          calibratedRank: null,
          rankLow: null,
          rankHigh: null,
          crowdScore: null,
          finalRank: null,
          judge: await judgeLabel(judgeId),
          total: round(card.total),
          submittedAt: iso(card.submittedAt),
          ...Object.fromEntries(criteria.map((column, index) => [column, card.criteria[index]?.score ?? null])),
        };
      }
    }
  }

  async function* outcomeRows(actor: MaybeActor, challenge: ChallengeView, fed: ItemView[], locale: Locale): AsyncGenerator<ExportRow> {
    for (const item of fed) {
      // An item may also be fed by ideas of other challenges: each is listed only where the actor may read it.
      const sources: Array<{ id: string; title: string }> = [];
      for (const ideaId of item.sourceIdeaIds) {
        const idea = await loadIdea(ideaId);
        const ideaChallenge = idea ? await challengeOf(actor, String(idea.challengeId), challenge) : null;
        if (!idea || !ideaChallenge) continue;
        const access = accessOf(idea);
        if (canSeeIdea(actor, access, ideaChallenge) && canReadIdea(actor, access, ideaChallenge)) sources.push({ id: ideaId, title: idea.title });
      }
      const latestNote = [...item.statusHistory].reverse().find((change) => change.note !== '');
      const shipped = item.status === 'shipped' ? [...item.statusHistory].reverse().find((change) => change.to === 'shipped') : undefined;
      yield {
        id: item.id,
        backlog: item.backlogId,
        title: item.title,
        status: item.status,
        latestNote: latestNote?.note ?? '',
        latestNoteAt: iso(latestNote?.at),
        shippedAt: iso(shipped?.at),
        sourceIdeaIds: sources.map((source) => source.id),
        sourceIdeaTitles: sources.map((source) => source.title),
        contributors: await names(item.contributorIds, locale),
      };
    }
  }

  /** The dataset's rows; `locale` is the language of the values the export writes itself (see columnHeading). */
  async function open(actor: MaybeActor, challengeId: string, dataset: Dataset, locale: Locale): Promise<ExportStream> {
    const challenge = await challenges.visibleChallenge(actor, challengeId);
    if (!canExport(actor, challenge, dataset)) {
      throw new Forbidden(message(dataset === 'scores' ? 'exports.refusal.scores' : 'exports.refusal.sealed'));
    }
    switch (dataset) {
      case 'ideas': {
        const team = isChallengeTeam(actor, challenge);
        // Ids only, taken now: the board may change while the export streams.
        const ids = (await board.cards(challenge.id)).filter((card) => team || (!card.hidden && reachesCrowd(card.status, challenge))).map((card) => card.id);
        return { challenge, columns: IDEA_COLUMNS, rows: ideaRows(actor, challenge, ids, locale) };
      }
      case 'scores':
        return { challenge, columns: [...SCORE_COLUMNS, ...challenge.criteria.map((criterion) => criterionColumn(criterion.name))], rows: scoreRows(actor, challenge, locale) };
      case 'outcomes': {
        const fed = (await items.all()).filter((item) => item.challengeIds.includes(challenge.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
        return { challenge, columns: OUTCOME_COLUMNS, rows: outcomeRows(actor, challenge, fed, locale) };
      }
    }
  }

  return { open };
}

export type Exports = ReturnType<typeof createExports>;
