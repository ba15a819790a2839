import mongoose from 'mongoose';
import { Idea, type HideCause, type IdeaStatus } from './idea.model.ts';
import { reachesCrowd } from './ideas.policy.ts';
import { TokenIndex, type Cursor } from '../../shared/token-index.ts';
import { acceptedType } from '../../uploads/sniff.ts';

/** What lists show of an idea. Never changed in place: a change of the idea puts a new card on the board (pages keep renderings by card). */
export type IdeaCard = {
  id: string;
  challengeId: string;
  title: string;
  summary: string;
  authorIds: string[];
  /** Co-authors invited but not yet accepted: they may not vote for it either. */
  invitedIds: string[];
  status: IdeaStatus;
  tags: string[];
  submittedAt: Date;
  votes: number;
  hidden: boolean;
  hideCause: HideCause | null;
  /** Open reports against the idea itself (not its comments). */
  openReports: number;
  /** How many of its comments have open reports. */
  reportedComments: number;
  attachmentCount: number;
  /** The first image attached, shown as the card's thumbnail (only an id: the card stays small). */
  imageFileId: string | null;
  /** When it last entered the screening queue: its submission, or its resubmission after changes. */
  queuedAt: Date;
  firstDecisionAt: Date | null;
  /**
   * Where its latest submission and approval stand in the outbox's order (the number of the
   * entry that announced each, from its history entry's mark; null when not announced through
   * the outbox): the "N new ideas" notices count the ideas told after theirs began (idea-news.ts).
   */
  news: { submitted: number | null; approved: number | null };
  /** Its text's revision: a screening decision is conditional on the one the card shows. */
  revision: number;
};

/** Which of a challenge's ideas a page lists: all of them (the team), or those that reached the crowd. */
export type BoardAudience = { crowdSees: 'approved' | 'submitted' } | 'team';

export type BoardPage = { cards: IdeaCard[]; nextAfter: string | null; total: number };

export type CardFilter = (card: IdeaCard) => boolean;
export const IDEA_SORTS = ['newest', 'oldest', 'votes'] as const;
export type IdeaSort = (typeof IDEA_SORTS)[number];

const newestFirst = (a: IdeaCard, b: IdeaCard) => b.submittedAt.getTime() - a.submittedAt.getTime() || (a.id < b.id ? 1 : -1);
/**
 * Where `card` belongs in cards sorted newest first (a binary search): the index of its own card
 * when that one has the same place, else of the first card that sorts after it. A linear search
 * cost each write a pass over the challenge's 10,000 cards, twice.
 */
function placeOf(cards: readonly IdeaCard[], card: IdeaCard): number {
  let low = 0;
  let high = cards.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const existing = cards[middle]!;
    if (existing.id !== card.id && newestFirst(existing, card) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
const mostVotedFirst = (a: IdeaCard, b: IdeaCard) => b.votes - a.votes || newestFirst(a, b);

type IdeaRecord = {
  _id: unknown;
  challengeId: unknown;
  title: string;
  summary: string;
  body?: string;
  authorId: unknown;
  coAuthors: Array<{ userId: unknown; status: string }>;
  status: string;
  tags: string[];
  submittedAt?: Date | null;
  voteCount?: number;
  hidden?: { cause?: string | null } | null;
  openReports?: number;
  reportedCommentIds?: string[];
  attachments?: Array<{ fileId?: string | null; mime?: string | null }>;
  statusHistory?: Array<{ status?: string | null; at?: Date | null; key?: string | null }>;
  firstDecisionAt?: Date | null;
  revision?: number;
};

/** When the idea last entered the screening queue: its submission, or its latest resubmission. */
export function queuedAtOf(idea: IdeaRecord): Date {
  const entries = idea.statusHistory ?? [];
  for (let index = entries.length - 1; index >= 0; index--) {
    if (entries[index]!.status === 'submitted' && entries[index]!.at) return entries[index]!.at!;
  }
  return idea.submittedAt ?? new Date(0);
}

/** The outbox number of the latest history entry of `status` (its mark), or null. */
function lastMark(idea: IdeaRecord, status: IdeaStatus): number | null {
  const entries = idea.statusHistory ?? [];
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index]!;
    if (entry.status === status) return entry.key ? Number(entry.key) : null;
  }
  return null;
}

/**
 * An id as one flat string. The driver's ObjectId spells its hex by joining pieces, which V8 keeps
 * as a rope of a dozen small strings: the board's 10,000 cards held about 120,000 of them, an
 * eighth of the app's heap objects, and every major garbage collection marked them all again
 * (its pause is a stall of every request under way). Copying the ASCII makes one string.
 */
export const flatId = (id: unknown): string => Buffer.from(String(id), 'latin1').toString('latin1');

export function toCard(idea: IdeaRecord): IdeaCard {
  return {
    id: flatId(idea._id),
    challengeId: flatId(idea.challengeId),
    title: idea.title,
    summary: idea.summary,
    authorIds: [flatId(idea.authorId), ...idea.coAuthors.filter((c) => c.status === 'accepted').map((c) => flatId(c.userId))],
    invitedIds: idea.coAuthors.filter((c) => c.status === 'invited').map((c) => flatId(c.userId)),
    status: idea.status as IdeaStatus,
    tags: idea.tags,
    submittedAt: idea.submittedAt ?? new Date(0),
    votes: idea.voteCount ?? 0,
    hidden: Boolean(idea.hidden?.cause),
    hideCause: (idea.hidden?.cause as HideCause | undefined) ?? null,
    openReports: idea.openReports ?? 0,
    reportedComments: idea.reportedCommentIds?.length ?? 0,
    attachmentCount: idea.attachments?.length ?? 0,
    imageFileId: idea.attachments?.find((file) => file.fileId && acceptedType(file.mime ?? '')?.kind === 'image')?.fileId ?? null,
    queuedAt: queuedAtOf(idea),
    firstDecisionAt: idea.firstDecisionAt ?? null,
    news: { submitted: lastMark(idea, 'submitted'), approved: lastMark(idea, 'approved') },
    revision: idea.revision ?? 0,
  };
}

/**
 * Every challenge's submitted ideas, newest first, in memory: the challenge page must not query
 * and sort the ideas collection per request (the embedded engine scans it). Built by one pass
 * over the ideas on first use (or at start, by `warm`); the ideas service updates it after each
 * write, and other processes' writes arrive through the cluster bus.
 */
/** A merged idea is listed (marked) but counted in the idea it was merged into. */
const countListed = (cards: readonly IdeaCard[]) => cards.reduce((sum, card) => sum + (card.status === 'merged' ? 0 : 1), 0);

/** Told of every idea put on the board (drafts too), or `null` when the board forgets everything. */
export type BoardListener = (idea: IdeaRecord | null) => void;
/** Told of each card once it is in place (`before`: the card it replaced; a draft's card has left the board), or `null` when the board forgets everything. */
export type PlacedListener = (card: IdeaCard | null, before: IdeaCard | undefined) => void;

export function createIdeaBoard() {
  const listeners: BoardListener[] = [];
  const placedListeners: PlacedListener[] = [];
  let loading: Promise<Map<string, IdeaCard[]>> | undefined;
  // Words of every submitted idea (title, summary, description): duplicate hints and search.
  let words = new TokenIndex<IdeaCard>();
  const indexed = (idea: IdeaRecord) => ({ title: idea.title, text: `${idea.summary}\n${idea.body ?? ''}` });

  // The ideas on the boards by each of their authors (accepted co-authors too): "My ideas" takes
  // a person's submitted ideas from here, so a submission writes no list of its author's ideas.
  let byAuthor = new Map<string, Set<string>>();
  const listAuthors = (card: IdeaCard, listed: boolean) => {
    for (const authorId of card.authorIds) {
      const ids = byAuthor.get(authorId) ?? new Set<string>();
      if (listed) byAuthor.set(authorId, ids.add(card.id));
      else if (ids.delete(card.id) && ids.size === 0) byAuthor.delete(authorId);
    }
  };

  function boards(): Promise<Map<string, IdeaCard[]>> {
    loading ??= Idea.find({ status: mongoose.trusted({ $ne: 'draft' }) })
      .lean()
      .then((ideas) => {
        const byChallenge = new Map<string, IdeaCard[]>();
        for (const idea of ideas) {
          const card = toCard(idea);
          words.update(card.id, indexed(idea), card);
          listAuthors(card, true);
          const cards = byChallenge.get(card.challengeId) ?? [];
          cards.push(card);
          byChallenge.set(card.challengeId, cards);
        }
        for (const cards of byChallenge.values()) cards.sort(newestFirst);
        return byChallenge;
      });
    loading.catch(() => {
      loading = undefined;
    });
    return loading;
  }

  // What the crowd sees of each challenge, made once per change of the board rather than per page.
  const crowdLists = new Map<string, { crowdSees: string; cards: IdeaCard[]; total: number }>();
  // Moved by every change of a challenge's board (a put, or a reset of them all), from one clock
  // that only goes forward: what is derived from a board (its counts, the screening queue's
  // order, the ranking) is kept until the version moves.
  let clock = 0;
  let resetAt = 0;
  const versions = new Map<string, number>();
  const versionOf = (challengeId: string) => Math.max(versions.get(challengeId) ?? 0, resetAt);
  const teamTotals = new Map<string, { version: number; total: number }>();

  async function crowdBoard(challengeId: string, crowdSees: 'approved' | 'submitted'): Promise<{ cards: IdeaCard[]; total: number }> {
    const cached = crowdLists.get(challengeId);
    if (cached && cached.crowdSees === crowdSees) return cached;
    const cards = (await board(challengeId)).filter((card) => !card.hidden && reachesCrowd(card.status, { crowdSees }));
    const list = { crowdSees, cards, total: countListed(cards) };
    crowdLists.set(challengeId, list);
    return list;
  }

  function teamTotal(challengeId: string, cards: IdeaCard[]): number {
    const version = versionOf(challengeId);
    const cached = teamTotals.get(challengeId);
    if (cached?.version === version) return cached.total;
    const total = countListed(cards);
    teamTotals.set(challengeId, { version, total });
    return total;
  }

  async function board(challengeId: string): Promise<IdeaCard[]> {
    const all = await boards();
    let cards = all.get(challengeId);
    if (!cards) {
      cards = [];
      all.set(challengeId, cards);
    }
    return cards;
  }

  return {
    /** Builds the boards now, so the first visitor does not wait for it. */
    warm: async () => {
      await boards();
    },

    /** One page after the card `after` (keyset), of the audience's cards that `visible` keeps, in the order asked. */
    async page(challengeId: string, options: { audience: BoardAudience; after?: string; limit: number; visible?: CardFilter; sort?: IdeaSort }): Promise<BoardPage> {
      const crowd = options.audience === 'team' ? undefined : await crowdBoard(challengeId, options.audience.crowdSees);
      const all = crowd ? crowd.cards : await board(challengeId);
      // Without a filter the total is the whole list's, counted once per version rather than per request.
      const total = options.visible ? undefined : crowd ? crowd.total : teamTotal(challengeId, all);
      // A viewer who sees every idea reads newest first straight from the board, without a copy;
      // the other orders sort a copy, never the board itself.
      const visible = options.visible ? all.filter(options.visible) : options.sort === 'oldest' || options.sort === 'votes' ? [...all] : all;
      // Votes change all the time, so that order is made on demand (10,000 cards: a few ms).
      const cards = options.sort === 'oldest' ? visible.reverse() : options.sort === 'votes' ? visible.sort(mostVotedFirst) : visible;
      const start = options.after ? cards.findIndex((card) => card.id === options.after) + 1 : 0;
      const slice = cards.slice(start, start + options.limit);
      return { cards: slice, nextAfter: start + options.limit < cards.length ? (slice[slice.length - 1]?.id ?? null) : null, total: total ?? countListed(cards) };
    },

    /** Changes whenever the challenge's board does: a key for what is derived from its cards. */
    version: versionOf,

    async count(challengeId: string): Promise<number> {
      return (await board(challengeId)).length;
    },

    /** The idea's card, on whichever board it is (none while a draft). Do not modify. */
    async card(ideaId: string): Promise<IdeaCard | undefined> {
      await boards();
      return words.meta(ideaId);
    },

    /** The ideas on the boards that the person authors or co-authors (accepted), in no order. */
    async authoredBy(userId: string): Promise<string[]> {
      await boards();
      return [...(byAuthor.get(userId) ?? [])];
    },

    /** Every submitted card of the challenge, newest first: the screening queue filters these. Do not modify. */
    cards: (challengeId: string): Promise<readonly IdeaCard[]> => board(challengeId),

    /** Submitted ideas of one challenge whose words resemble the title: "is yours one of these?" */
    async similar(challengeId: string, title: string, options: { visible: CardFilter; exclude?: string; limit?: number }): Promise<IdeaCard[]> {
      await boards();
      const hits = words.similar(title, { limit: options.limit ?? 5, exclude: options.exclude, filter: (card) => card.challengeId === challengeId && options.visible(card) });
      return hits.map((hit) => hit.meta);
    },

    /** Ideas containing every word of the query, best first, keyset-paginated by (score, id). */
    async search(query: string, options: { visible: CardFilter; after?: Cursor; limit: number }) {
      await boards();
      return words.search(query, { limit: options.limit, after: options.after, filter: (card) => options.visible(card) });
    },

    /**
     * Every write of an idea, in this process or (through the change log) another, ends in `put`:
     * what else is kept of ideas in memory listens here to stay as current as the board.
     */
    onChange(listener: BoardListener): void {
      listeners.push(listener);
    },

    /** For what is kept in step with the cards themselves: told in the same turn as the card is placed, so it never sees the board without it. */
    onPlaced(listener: PlacedListener): void {
      placedListeners.push(listener);
    },

    /** Forgets every board: the next use rebuilds them from the database (a script changed many ideas). */
    reset: () => {
      for (const listener of listeners) listener(null);
      loading = undefined;
      words = new TokenIndex<IdeaCard>();
      byAuthor = new Map();
      crowdLists.clear();
      resetAt = ++clock;
      for (const listener of placedListeners) listener(null, undefined);
    },

    /** Puts the idea's card in place (and its words in the index), or removes it while a draft. */
    async put(idea: IdeaRecord): Promise<void> {
      for (const listener of listeners) listener(idea);
      const card = toCard(idea);
      const cards = await board(card.challengeId);
      crowdLists.delete(card.challengeId);
      versions.set(card.challengeId, ++clock);
      // The word index holds every card on a board: only a card it holds needs finding, nearly
      // always at the new card's place (an idea keeps its submission date once it has one).
      const before = words.meta(card.id);
      if (before) listAuthors(before, false);
      if (words.has(card.id)) {
        const place = placeOf(cards, card);
        const index = cards[place]?.id === card.id ? place : cards.findIndex((existing) => existing.id === card.id);
        if (index >= 0) cards.splice(index, 1);
      }
      if (card.status === 'draft') words.remove(card.id);
      else {
        words.update(card.id, indexed(idea), card);
        listAuthors(card, true);
        cards.splice(placeOf(cards, card), 0, card);
      }
      for (const listener of placedListeners) listener(card, before);
    },
  };
}

export type IdeaBoard = ReturnType<typeof createIdeaBoard>;
