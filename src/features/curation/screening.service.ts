import { message as msg, translate, type Locale, type Text } from '../../i18n/i18n.ts';
import type { Actor } from '../../shared/actor.ts';
import { Conflict, Forbidden, Invalid } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import { shownName } from '../../shared/personal-data.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import { queuedAtOf, type IdeaBoard } from '../ideas/idea-board.ts';
import { Idea, IdeaRevision } from '../ideas/idea.model.ts';
import { canSeeIdea } from '../ideas/ideas.policy.ts';
import { accessOf, accessOfCard, type Ideas } from '../ideas/ideas.service.ts';
import { diffVersions } from '../ideas/revision-diff.ts';
import type { Canned } from './canned-responses.ts';
import type { Claims } from './claims.ts';
import { canCurate, curationRefusal } from './curation.policy.ts';
import { DECISION_INTENT, decisionProblems, fillPlaceholders, type DecisionKind } from './decisions.ts';
import { createQueueCache, type QueueFilters } from './queue.ts';
import { createWaitingQueues } from './waiting-queues.ts';

/** `locale`: the copilot's page, the language a starter response is read in. */
export type DecisionInput = { kind: DecisionKind; reason: string; message: string; responseId: string; locale?: Locale };

type Deps = { events: EventBus; challenges: Challenges; ideas: Ideas; board: IdeaBoard; directory: UserDirectory; claims: Claims; canned: Canned };

const secondsAgo = (at: Date) => {
  const seconds = Math.max(1, Math.round((Date.now() - at.getTime()) / 1000));
  return seconds < 90 ? msg('curation.refusal.secondsAgo', { count: seconds }) : msg('curation.refusal.minutesAgo', { count: Math.round(seconds / 60) });
};

export function createScreening(deps: Deps) {
  const { events, challenges, ideas, board, directory, claims, canned } = deps;
  const { lifecycle } = ideas;
  const queueCache = createQueueCache(board.version);
  const waiting = createWaitingQueues(board);

  /** The challenge, when the actor curates it; a member is refused, an unknown challenge is missing. */
  async function curatedChallenge(actor: Actor, challengeId: string): Promise<ChallengeView> {
    const challenge = await challenges.visibleChallenge(actor, challengeId);
    if (!canCurate(actor, challenge)) throw new Forbidden(msg('curation.refusal.curate'));
    return challenge;
  }

  /** Refuses a second decision, naming who made the first and when. */
  function alreadyDecided(idea: { status: string; statusHistory: Array<{ byName?: string | null; at?: Date | null; status?: string | null }> }): never {
    const last = idea.statusHistory[idea.statusHistory.length - 1];
    const name = last?.byName ?? msg('curation.refusal.someone');
    const status = msg(`curation.status.${idea.status}`);
    throw new Conflict(last?.at ? msg('curation.refusal.alreadyDecidedAgo', { name, ago: secondsAgo(last.at), status }) : msg('curation.refusal.alreadyDecided', { name, status }));
  }

  /**
   * What a decision needs of the idea: from its board card while it waits in this challenge's
   * queue (a read per decision otherwise; the decision is conditional on the card's revision and
   * status, so a card behind the database is refused like a second decision); read when it does not.
   */
  async function screenedIdea(actor: Actor, challenge: ChallengeView, ideaId: string) {
    const card = await board.card(ideaId);
    if (card?.status === 'submitted' && card.challengeId === challenge.id && canSeeIdea(actor, accessOfCard(card), challenge)) {
      const { title, tags, status, revision, firstDecisionAt, submittedAt, authorIds } = card;
      return { title, tags, status, revision, firstDecisionAt, submittedAt, authorIds, authorId: authorIds[0]!, stored: null };
    }
    const { idea } = await ideas.visibleIdea(actor, ideaId);
    if (String(idea.challengeId) !== challenge.id) throw new Invalid({ form: msg('curation.refusal.otherChallenge') });
    const accepted = accessOf(idea)
      .coAuthors.filter((c) => c.status === 'accepted')
      .map((c) => c.userId);
    const { title, tags, status, revision, firstDecisionAt, submittedAt } = idea;
    return { title, tags, status, revision, firstDecisionAt, submittedAt, authorIds: [String(idea.authorId), ...accepted], authorId: String(idea.authorId), stored: idea };
  }

  async function decide(actor: Actor, challenge: ChallengeView, ideaId: string, input: DecisionInput): Promise<{ title: string }> {
    const idea = await screenedIdea(actor, challenge, ideaId);
    const refusal = curationRefusal(actor, challenge);
    if (refusal) throw new Forbidden(refusal);
    const { authorIds } = idea;
    // A typed message wins over the canned response, so only a response whose text is sent is checked.
    const response = input.responseId && !input.message ? await canned.find(challenge.id, input.responseId, input.locale) : undefined;
    const template = input.message || response?.text || '';
    // The author's name is read only for a text that asks for it: most decisions send none, and
    // their authors are seldom in the directory yet (a read of the author per decision).
    const author = template.includes('{author}') ? ((await directory.people([String(idea.authorId)])).get(String(idea.authorId))?.name ?? 'there') : '';
    const message = fillPlaceholders(template, { author, challenge: challenge.title, title: idea.title }).trim();
    const problems = decisionProblems(input.kind, input.reason, message, response);
    if (Object.keys(problems).length) throw new Invalid(problems);
    if (idea.status !== 'submitted') alreadyDecided(idea.stored!);

    const now = new Date();
    const firstDecisionAt = idea.firstDecisionAt ?? now;
    const reason = input.kind === 'reject' ? input.reason : '';
    // The reason in the reader's language, the copilot's message as written.
    const why = reason ? msg(`common.rejectReason.${reason}`) : null;
    const note: Text = why && message ? msg('ideaHistory.reasonAndMessage', { reason: why, message }) : (why ?? message);
    // Conditional on the idea as read: of two copilots deciding at once, one decision stands.
    const decided = await lifecycle.decide({ actor }, ideaId, DECISION_INTENT[input.kind], {
      note,
      where: { revision: idea.revision },
      set: {
        decision: { kind: input.kind, reason, message, at: now, byId: actor.id, byName: actor.name },
        firstDecisionAt,
        // Kept as it is by the other decisions.
        ...(input.kind === 'request-changes' ? { changesRequestedAtRevision: idea.revision } : {}),
      },
      audit: { action: `idea.${input.kind}`, reason: translate('en', note) },
      also: [
        [
          'idea.decided',
          {
            ideaId,
            challengeId: challenge.id,
            kind: input.kind,
            reason,
            message,
            byId: actor.id,
            byName: actor.name,
            title: idea.title,
            authorIds,
            tags: idea.tags,
            submittedAt: idea.submittedAt ?? null,
            firstDecisionAt,
          },
        ],
      ],
    });
    if (!decided) {
      const now = await Idea.findById(ideaId).lean();
      if (now && now.status !== 'submitted') alreadyDecided(now);
      throw new Conflict(msg('curation.refusal.authorChanged'));
    }
    // Its claim ended with it: a claim holds an idea only while it waits (claims.ts).
    events.emit('curation.queue_changed', { challengeId: challenge.id, ideaId, byName: actor.name });
    return { title: idea.title };
  }

  /**
   * The first waiting item after `after` that no one else holds; when others hold every one, the
   * first of those (its page says who holds it and lets the copilot take it over): a queue with
   * ideas waiting is never called clear.
   */
  async function nextItem(actor: Actor, challenge: ChallengeView, after?: string): Promise<string | null> {
    // Left while still waiting (skipped): the rotation after it needs the whole queue's order.
    const left = after ? await board.card(after) : undefined;
    const oldest = left?.status === 'submitted' && left.challengeId === challenge.id ? undefined : await waiting.oldest(challenge.id);
    if (oldest === null) return null;
    // Who holds what, from memory (claims.ts): a read per choice cost each decision a round trip.
    const held = await claims.liveClaims(challenge.id);
    const free = (ideaId: string) => {
      const claim = held.get(ideaId);
      return !claim || claim.holderId === actor.id;
    };
    if (oldest && free(oldest.id)) return oldest.id;
    const queue = queueCache.page(challenge.id, await board.cards(challenge.id), { status: 'submitted', sort: 'oldest' }, Number.MAX_SAFE_INTEGER).cards;
    const at = after ? queue.findIndex((card) => card.id === after) : -1;
    const rotated = at >= 0 ? [...queue.slice(at + 1), ...queue.slice(0, at)] : queue;
    const others = rotated.filter((card) => card.id !== after).map((card) => card.id);
    return others.find(free) ?? others[0] ?? null;
  }

  return {
    curatedChallenge,

    /** One page of the challenge's queue with counts, claims and the moderation SLA. */
    async queue(actor: Actor, challengeId: string, filters: QueueFilters, options: { after?: string; limit?: number } = {}) {
      const challenge = await curatedChallenge(actor, challengeId);
      const cards = await board.cards(challenge.id);
      const similarTo = filters.similarTo ? await similarIds(challenge.id, filters.similarTo) : undefined;
      const page = queueCache.page(challenge.id, cards, { ...filters, similarIds: similarTo }, options.limit ?? 50, options.after);
      const [held, people] = await Promise.all([claims.liveClaims(challenge.id), directory.people(page.cards.flatMap((card) => card.authorIds))]);
      return {
        challenge,
        ...page,
        sla: queueCache.sla(challenge.id, cards),
        // `card`, the board's own, which the page reads and keeps its rendering of, not a copy of its fields.
        cards: page.cards.map((card) => ({ id: card.id, authorNames: card.authorIds.map((id) => shownName(people.get(id))), claim: held.get(card.id) ?? null, card })),
      };
    },

    /** Every challenge the actor curates that is screening now, with its waiting count and oldest item. */
    async myChallenges(actor: Actor) {
      const all = await challenges.listChallenges(actor, { phase: '', audience: '', mine: null });
      const curated = all.filter((challenge) => challenge.copilotIds.includes(actor.id) && curationRefusal(actor, challenge) === null);
      return Promise.all(
        curated.map(async (challenge) => {
          const cards = await board.cards(challenge.id);
          const waiting = queueCache.page(challenge.id, cards, { status: 'submitted', sort: 'oldest' }, 5);
          return { challenge, waiting: waiting.total, oldest: waiting.cards, sla: queueCache.sla(challenge.id, cards) };
        }),
      );
    },

    /** What a copilot needs to decide on one idea: the idea, who else holds it, duplicates, the changes since sent back. */
    async item(actor: Actor, challengeId: string, ideaId: string, options: { takeOver?: boolean; locale?: Locale } = {}) {
      const challenge = await curatedChallenge(actor, challengeId);
      const { idea } = await ideas.visibleIdea(actor, ideaId);
      if (String(idea.challengeId) !== challenge.id) throw new Invalid({ form: msg('curation.refusal.otherChallenge') });
      const screening = idea.status === 'submitted' && curationRefusal(actor, challenge) === null;
      const claim = screening ? await claims.claim(actor, { ideaId, challengeId: challenge.id, queuedAt: queuedAtOf(idea) }, options) : null;
      const access = accessOf(idea);
      const people = await directory.people([access.authorId, ...access.coAuthors.map((c) => c.userId)]);
      const duplicates = await board.similar(challenge.id, idea.title, { exclude: ideaId, visible: (card) => card.status !== 'draft' && card.status !== 'merged', limit: 5 });
      let changes: ReturnType<typeof diffVersions> | null = null;
      if (idea.changesRequestedAtRevision !== null && idea.changesRequestedAtRevision !== undefined && idea.revision > idea.changesRequestedAtRevision) {
        // Revision n holds the text that edit n replaced: the first edit after the request holds what the copilot read.
        const asRead = await IdeaRevision.findById(`${ideaId}:${idea.changesRequestedAtRevision + 1}`).lean();
        if (asRead) changes = diffVersions(asRead, idea);
      }
      const waiting = queueCache.page(challenge.id, await board.cards(challenge.id), { status: 'submitted', sort: 'oldest' }, Number.MAX_SAFE_INTEGER).cards;
      return {
        challenge,
        idea,
        screening,
        // Duplicates may be merged while screening and after approval, never once shortlisted.
        mergeable: curationRefusal(actor, challenge) === null && ['submitted', 'approved'].includes(idea.status),
        claim,
        authorNames: [access.authorId, ...access.coAuthors.filter((c) => c.status === 'accepted').map((c) => c.userId)].map((id) => shownName(people.get(id))),
        duplicates,
        changes,
        position: { index: waiting.findIndex((card) => card.id === ideaId) + 1, total: waiting.length },
        // A merged idea names where it went, so the copilot can open it or undo the merge here.
        mergedInto: idea.mergedInto ? ((await board.cards(challenge.id)).find((card) => card.id === String(idea.mergedInto)) ?? null) : null,
        canUnmerge: idea.status === 'merged' && curationRefusal(actor, challenge) === null,
        responses: await canned.list(challenge.id, options.locale),
      };
    },

    /** Approves, sends back or rejects a submitted idea; the authors are told. */
    async decide(actor: Actor, challengeId: string, ideaId: string, input: DecisionInput) {
      return decide(actor, await curatedChallenge(actor, challengeId), ideaId, input);
    },

    /**
     * One decision, with one message, on a selection. Ideas someone else decided meanwhile are
     * skipped and named; field problems (a reject without a reason) refuse the whole batch first.
     */
    async decideMany(actor: Actor, challengeId: string, ideaIds: string[], input: Omit<DecisionInput, 'responseId'> & { responseId: string }) {
      const challenge = await curatedChallenge(actor, challengeId);
      const refusal = curationRefusal(actor, challenge);
      if (refusal) throw new Forbidden(refusal);
      if (ideaIds.length === 0) throw new Invalid({ ideaIds: msg('curation.refusal.selectOne') });
      const response = input.responseId && !input.message ? await canned.find(challenge.id, input.responseId, input.locale) : undefined;
      const problems = decisionProblems(input.kind, input.reason, input.message || response?.text || '', response);
      if (Object.keys(problems).length) throw new Invalid(problems);
      const done: string[] = [];
      const skipped: Text[] = [];
      for (const ideaId of ideaIds) {
        try {
          done.push((await decide(actor, challenge, ideaId, input)).title);
        } catch (error) {
          if (!(error instanceof Conflict)) throw error;
          skipped.push(error.text);
        }
      }
      return { done, skipped };
    },

    /** The next idea to screen after `after` (which the actor leaves; `decided`: its claim ended with the decision), or null when the queue is empty. */
    async next(actor: Actor, challengeId: string, after?: string, options: { decided?: boolean } = {}) {
      const challenge = await curatedChallenge(actor, challengeId);
      if (after && !options.decided) await claims.release(actor, challenge.id, after);
      return nextItem(actor, challenge, after);
    },
  };

  async function similarIds(challengeId: string, ideaId: string): Promise<Set<string>> {
    const cards = await board.cards(challengeId);
    const source = cards.find((card) => card.id === ideaId);
    if (!source) throw new Invalid({ similarTo: msg('curation.refusal.notInChallenge') });
    const similar = await board.similar(challengeId, source.title, { exclude: ideaId, visible: () => true, limit: 50 });
    return new Set(similar.map((card) => card.id));
  }
}

export type Screening = ReturnType<typeof createScreening>;
