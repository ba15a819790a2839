import mongoose from 'mongoose';
import type { DomainEvents } from '../../shared/events.ts';
import type { ChallengeCatalog, ChallengeView } from '../challenges/challenge-catalog.ts';
import { canSeeChallenge, canSeeOthersIdeas } from '../challenges/challenges.policy.ts';
import type { ItemCatalog } from '../backlogs/item-catalog.ts';
import { Idea } from '../ideas/idea.model.ts';
import { canSeeIdea } from '../ideas/ideas.policy.ts';
import { accessOf } from '../ideas/ideas.service.ts';
import type { WebhookEvent } from './webhook.model.ts';

/**
 * The data of each public event (documented in docs/integration.md). A receiver is an outside
 * system: it gets ids, statuses and links always, and titles (and an item's public note) only
 * where a signed-out visitor could read them — a public, non-sealed challenge's idea that has
 * reached the crowd and is not hidden. Never people, emails, bodies or judges' scores.
 */
type Deps = { challenges: ChallengeCatalog; items: ItemCatalog; publicUrl: string };
type Data = Record<string, unknown>;

export function createPayloads({ challenges, items, publicUrl }: Deps) {
  const challengeRef = (challenge: ChallengeView | undefined, id: string) => ({
    id,
    ...(challenge && canSeeChallenge(null, challenge) ? { title: challenge.title } : {}),
    url: `${publicUrl}/challenges/${id}`,
  });

  async function ideaRef(ideaId: string, challengeId: string) {
    const challenge = await challenges.get(challengeId);
    const idea = mongoose.isValidObjectId(ideaId) ? await Idea.findById(ideaId, { title: 1, status: 1, authorId: 1, coAuthors: 1, hidden: 1 }).lean() : null;
    const readable = idea && challenge && canSeeIdea(null, accessOf(idea), challenge) && !idea.hidden?.cause;
    return {
      idea: { id: ideaId, ...(readable ? { title: idea.title } : {}), url: `${publicUrl}/ideas/${ideaId}` },
      challenge: challengeRef(challenge, challengeId),
    };
  }

  return {
    'idea.submitted': async (event: DomainEvents['idea.submitted']): Promise<Data> => {
      const refs = await ideaRef(event.ideaId, event.challengeId);
      return { idea: { ...refs.idea, status: 'submitted' }, challenge: refs.challenge };
    },

    'idea.status_changed': async (event: DomainEvents['idea.status_changed']): Promise<Data> => ({ ...(await ideaRef(event.ideaId, event.challengeId)), from: event.from, to: event.to }),

    'backlog_item.status_changed': async (event: DomainEvents['backlog_item.status_changed']): Promise<Data> => {
      const item = await items.get(event.itemId);
      // An item's title and notes come from its source ideas: public only when all their challenges are.
      const sources = await Promise.all((item?.challengeIds ?? []).map((id) => challenges.get(id)));
      const open = item !== undefined && sources.length > 0 && sources.every((challenge) => challenge && canSeeOthersIdeas(null, challenge));
      return {
        item: { id: event.itemId, backlogId: event.backlogId, ...(open ? { title: item.title } : {}), url: `${publicUrl}/backlog-items/${event.itemId}` },
        from: event.from,
        to: event.to,
        ...(open ? { note: event.note } : {}),
        via: event.via,
      };
    },

    'challenge.phase_changed': async (event: DomainEvents['challenge.phase_changed']): Promise<Data> => ({
      challenge: challengeRef(await challenges.get(event.challengeId), event.challengeId),
      from: event.from,
      to: event.to,
    }),
  } satisfies Record<WebhookEvent, (event: never) => Promise<Data>>;
}

export type Payloads = ReturnType<typeof createPayloads>;
