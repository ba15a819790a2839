import mongoose from 'mongoose';
import { Idea, type IdeaStatus } from './idea.model.ts';

export type IdeaCard = {
  id: string;
  challengeId: string;
  title: string;
  summary: string;
  authorIds: string[];
  status: IdeaStatus;
  tags: string[];
  submittedAt: Date;
};

export type BoardPage = { cards: IdeaCard[]; nextAfter: string | null; total: number };

const newestFirst = (a: IdeaCard, b: IdeaCard) => b.submittedAt.getTime() - a.submittedAt.getTime() || (a.id < b.id ? 1 : -1);

type IdeaRecord = { _id: unknown; challengeId: unknown; title: string; summary: string; authorId: unknown; coAuthors: Array<{ userId: unknown; status: string }>; status: string; tags: string[]; submittedAt?: Date | null };

export function toCard(idea: IdeaRecord): IdeaCard {
  return {
    id: String(idea._id),
    challengeId: String(idea.challengeId),
    title: idea.title,
    summary: idea.summary,
    authorIds: [String(idea.authorId), ...idea.coAuthors.filter((c) => c.status === 'accepted').map((c) => String(c.userId))],
    status: idea.status as IdeaStatus,
    tags: idea.tags,
    submittedAt: idea.submittedAt ?? new Date(0),
  };
}

/**
 * A challenge's submitted ideas, newest first, in memory: the challenge page must not query and
 * sort the ideas collection per request (the embedded engine scans it). Built from the database
 * on first use of a challenge; the ideas service updates it after each write.
 */
export function createIdeaBoard() {
  const boards = new Map<string, Promise<IdeaCard[]>>();

  function board(challengeId: string): Promise<IdeaCard[]> {
    let cards = boards.get(challengeId);
    if (!cards) {
      cards = Idea.find({ challengeId, status: mongoose.trusted({ $ne: 'draft' }) })
        .lean()
        .then((ideas) => ideas.map(toCard).sort(newestFirst));
      boards.set(challengeId, cards);
      cards.catch(() => boards.delete(challengeId));
    }
    return cards;
  }

  return {
    /** One page after the card `after` (keyset), of the cards `visible` keeps. */
    async page(challengeId: string, options: { after?: string; limit: number; visible: (card: IdeaCard) => boolean }): Promise<BoardPage> {
      const cards = (await board(challengeId)).filter(options.visible);
      const start = options.after ? cards.findIndex((card) => card.id === options.after) + 1 : 0;
      const slice = cards.slice(start, start + options.limit);
      return { cards: slice, nextAfter: start + options.limit < cards.length ? (slice[slice.length - 1]?.id ?? null) : null, total: cards.length };
    },

    async all(challengeId: string): Promise<IdeaCard[]> {
      return board(challengeId);
    },

    /** Puts the idea's card in place, or removes it while the idea is a draft. */
    async put(card: IdeaCard): Promise<void> {
      const cards = await board(card.challengeId);
      const index = cards.findIndex((existing) => existing.id === card.id);
      if (index >= 0) cards.splice(index, 1);
      if (card.status === 'draft') return;
      // Insert at its sorted place: a new submission goes to the top in O(n) without a re-sort.
      const at = cards.findIndex((existing) => newestFirst(card, existing) < 0);
      cards.splice(at === -1 ? cards.length : at, 0, card);
    },
  };
}

export type IdeaBoard = ReturnType<typeof createIdeaBoard>;
