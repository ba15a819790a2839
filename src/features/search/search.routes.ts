import { message } from '../../i18n/i18n.ts';
import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../../web/validate.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { Votes } from '../community/votes.service.ts';
import { STATUS_LABELS } from '../ideas/idea-status.ts';
import type { Ideas } from '../ideas/ideas.service.ts';

const PAGE = 20;

const searchQuery = z.object({
  // A longer query (pasted; the box takes 200 characters) is searched by its first 200, not dropped.
  q: z
    .string()
    .transform((value) => value.trim().slice(0, 200).trim())
    .default('')
    .catch(''),
  // The last hit of the previous page, as "score:id".
  after: z
    .string()
    .regex(/^\d+(\.\d+)?:[0-9a-f]{24}$/)
    .transform((value) => ({ score: Number(value.split(':')[0]), id: value.split(':')[1]! }))
    .optional()
    .catch(undefined),
});

/** Search across the challenges and ideas the visitor may see, with the matching words marked. Mounted at /search. */
export function searchRoutes({ challenges, ideas, votes }: { challenges: Challenges; ideas: Ideas; votes: Votes }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { q, after } = parseInput(searchQuery, req.query);
    const actor = req.user ?? null;
    const [challengeHits, ideaHits] = q
      ? await Promise.all([after ? Promise.resolve([]) : challenges.searchChallenges(actor, q), ideas.searchIdeas(actor, q, { after, limit: PAGE })])
      : [[], { hits: [], next: null }];
    const ballots = await votes.ballots(actor, ideaHits.hits);
    res.render('search/results', {
      title: q ? message('search.titleFor', { q }) : message('search.title'),
      q,
      searched: q !== '',
      // The texts as they are: the page marks the matching words (searchMarks, searchExcerpt) as it renders a hit,
      // and a hit of an idea only when its kept rendering does not fit (marking each hit here was a fifth of what the page allocated).
      challenges: challengeHits.map((challenge) => ({ id: challenge.id, title: challenge.title, summary: challenge.summary })),
      ideas: ideaHits.hits.map(({ card, challenge }) => ({
        // The board's own card (a new object whenever the idea changes), which the page keeps each hit's rendering with.
        card,
        id: card.id,
        title: card.title,
        status: card.status,
        statusLabel: STATUS_LABELS[card.status],
        votes: card.votes,
        ballot: ballots.get(card.id) ?? null,
        summary: card.summary,
        challengeId: challenge.id,
        challengeTitle: challenge.title,
      })),
      // A vote from the list comes back to this page of results.
      returnTo: req.originalUrl,
      next: ideaHits.next ? `${ideaHits.next.score}:${ideaHits.next.id}` : null,
    });
  });
  return router;
}
