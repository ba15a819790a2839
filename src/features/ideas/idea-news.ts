import type { MaybeActor } from '../../shared/actor.ts';
import type { ChallengeCatalog, ChallengeView } from '../challenges/challenge-catalog.ts';
import type { IdeaBoard, IdeaCard } from './idea-board.ts';
import { canReadIdea, canSeeIdea } from './ideas.policy.ts';
import { accessOfCard } from './ideas.service.ts';

/**
 * Where an idea's news stands for a reader, in the outbox's order: its submission for those who
 * may see it submitted (the team, a crowd that sees every idea), its approval for a crowd that
 * waits for it; null when the reader may not see it now, or read it (hidden), or it was not
 * announced through the outbox.
 */
export function newsPosition(reader: MaybeActor, card: IdeaCard, challenge: ChallengeView): number | null {
  const access = accessOfCard(card);
  if (reader && (card.authorIds.includes(reader.id) || card.invitedIds.includes(reader.id))) return null;
  // A hidden idea is news only to those who may read it (the crowd's list leaves it out).
  if (!canSeeIdea(reader, access, challenge) || (card.hidden && !canReadIdea(reader, access, challenge))) return null;
  return canSeeIdea(reader, { ...access, status: 'submitted' }, challenge) ? card.news.submitted : card.news.approved;
}

/** What an "N new ideas" notice says now: how many, the latest, and up to where it counted. */
export type NewsSince = { challenge: ChallengeView; count: number; latest: IdeaCard | null; until: number };

/**
 * The challenge's ideas a reader may see, told from `from` on (a notice's window, see
 * notifications.service.ts): derived when the notice is read, so that telling each of a
 * challenge's followers of each new idea costs no write per follower.
 */
export function createIdeaNews(deps: { board: IdeaBoard; catalog: ChallengeCatalog }) {
  return {
    async since(reader: MaybeActor, challengeId: string, from: number): Promise<NewsSince | null> {
      const challenge = await deps.catalog.get(challengeId);
      if (!challenge) return null;
      let count = 0;
      let latest: IdeaCard | null = null;
      let latestAt = -1;
      // Everything told so far, seen or not: a window closed now ends past it.
      let until = from;
      for (const card of await deps.board.cards(challengeId)) {
        const submitted = card.news.submitted ?? -1;
        const approved = card.news.approved ?? -1;
        until = Math.max(until, submitted + 1, approved + 1);
        // Most of a large challenge's cards were told before the window: no policy asked of them.
        if (submitted < from && approved < from) continue;
        const position = newsPosition(reader, card, challenge);
        if (position === null || position < from) continue;
        count++;
        if (position > latestAt) {
          latestAt = position;
          latest = card;
        }
      }
      return { challenge, count, latest, until };
    },
  };
}

export type IdeaNews = ReturnType<typeof createIdeaNews>;
