import { message } from '../../i18n/i18n.ts';
import mongoose from 'mongoose';
import type { Actor, MaybeActor } from '../../shared/actor.ts';
import { Conflict, Forbidden, isDuplicateKeyError } from '../../shared/errors.ts';
import type { EventBus, Intent } from '../../shared/events.ts';
import type { Logger } from '../../shared/logger.ts';
import type { ChallengeAccess } from '../challenges/challenges.policy.ts';
import type { IdeaCard } from '../ideas/idea-board.ts';
import { accessOfCard, factsOf, type IdeaFacts, type Ideas, type ListedCard } from '../ideas/ideas.service.ts';
import { ballotsCompleteness, markVoted, unmarkVoted, votedIdeas } from './ballots.ts';
import { voteRefusal } from './community.policy.ts';
import { insertVote } from './vote-inserts.ts';
import { budgetId, Vote, VoteBudget, voteId } from './vote.model.ts';

type VisibleChallenge = Awaited<ReturnType<Ideas['visibleIdea']>>['challenge'];

/** The vote button's state: the count, whether the viewer voted, why they may not, and their budget left (null when none). */
export type VoteState = { count: number; voted: boolean; refusal: ReturnType<typeof voteRefusal>; remaining: number | null };

/** A list's vote buttons share these: read only (a page's cards key their kept renderings by `voted`). */
const VOTED = Object.freeze({ voted: true });
const NOT_VOTED = Object.freeze({ voted: false });

export function createVotes(deps: { ideas: Ideas; events: EventBus; logger?: Logger }) {
  const { ideas, events } = deps;
  const ballotsComplete = ballotsCompleteness(deps.logger);
  // Asked at once: on a new database it is settled before any vote, so lists never read votes one by one.
  void ballotsComplete().catch((error: unknown) => deps.logger?.warn({ err: error }, 'could not tell whether the ballots are built; asking again on the first list'));

  // A vote's _id is the same each time a person votes for an idea, so the vote carries its
  // event's mark (outbox keys increase): cast → this vote is there with that mark; withdrawn →
  // no vote is there, or one cast after the withdrawal was recorded (a later mark).
  events.verifyWith('idea.voted', async (payload, mark) => {
    const vote = await Vote.findById(voteId(payload.ideaId, payload.userId), { key: 1 }).lean();
    if (payload.delta > 0) return vote?.key === mark ? payload : null;
    return !vote || (vote.key ?? '') > mark ? payload : null;
  });

  /**
   * Announced before the vote is written; the count follows it, and the in-process news carries
   * the new count. `at`: the cast vote's time, written on it too.
   */
  const announce = (idea: IdeaFacts, challengeId: string, userId: string, delta: 1 | -1, at?: Date) =>
    events.intend(['idea.voted', { ideaId: idea.id, challengeId, votes: 0, userId, delta, tags: idea.tags, ...(at && { at }) }]);

  /** Takes one vote from the member's budget in the challenge; false when it is used up. */
  async function claimBudget(challengeId: string, userId: string, budget: number): Promise<boolean> {
    try {
      await VoteBudget.findOneAndUpdate({ _id: budgetId(challengeId, userId), used: mongoose.trusted({ $lt: budget }) }, { $inc: { used: 1 } }, { upsert: true });
      return true;
    } catch (error) {
      // The document exists with the budget used up, so the upsert's insert met it.
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** The idea after its count moved (null if it is gone). */
  async function afterVote(intent: Intent, ideaId: string, by: 1 | -1) {
    const idea = await ideas.lifecycle.countVotes(ideaId, by);
    await intent.done({ votes: idea?.voteCount ?? 0 });
    return idea;
  }

  /** What the vote button shows, from the idea and ballot as the caller holds them. */
  async function stateOf(actor: MaybeActor, idea: IdeaFacts, challenge: VisibleChallenge, voted: boolean): Promise<VoteState> {
    const used = actor && challenge.voteBudget > 0 ? ((await VoteBudget.findById(budgetId(challenge.id, actor.id)).lean())?.used ?? 0) : 0;
    return {
      count: idea.votes,
      voted,
      refusal: voteRefusal(actor, idea.access, challenge),
      remaining: challenge.voteBudget > 0 ? Math.max(0, challenge.voteBudget - used) : null,
    };
  }

  /** What the idea page shows: the count, whether the viewer voted, and why not if they may not. */
  async function voteState(actor: MaybeActor, ideaId: string): Promise<VoteState> {
    const { idea, challenge } = await ideas.visibleIdea(actor, ideaId);
    return stateOf(actor, factsOf(idea), challenge, actor ? await hasVoted(actor, ideaId, challenge.id) : false);
  }

  /**
   * The vote button of each listed idea the actor may vote for now (absent for the others), and
   * whether they already did: one ballot lookup by `_id` per challenge in the list (a page of a
   * challenge is one). Until the ballots of an older database are built, one `Vote` lookup per idea.
   */
  async function ballots(actor: MaybeActor, items: ReadonlyArray<{ card: IdeaCard; challenge: ChallengeAccess }>): Promise<Map<string, { voted: boolean }>> {
    if (!actor) return new Map();
    const votable = items.filter(({ card, challenge }) => voteRefusal(actor, accessOfCard(card), challenge) === null);
    if (!votable.length) return new Map();
    if (!(await ballotsComplete())) {
      const voted = await Promise.all(votable.map(({ card }) => Vote.exists({ _id: voteId(card.id, actor.id) })));
      return new Map(votable.map(({ card }, index) => [card.id, { voted: Boolean(voted[index]) }]));
    }
    const challengeIds = [...new Set(votable.map(({ card }) => card.challengeId))];
    const voted = new Map(await Promise.all(challengeIds.map(async (challengeId) => [challengeId, await votedIdeas(challengeId, actor.id)] as const)));
    return new Map(votable.map(({ card }) => [card.id, voted.get(card.challengeId)!.has(card.id) ? VOTED : NOT_VOTED]));
  }

  /** From their ballot (shared with the list pages they open), or from `Vote` until the ballots are built. */
  async function hasVoted(actor: Actor, ideaId: string, challengeId: string): Promise<boolean> {
    if (await ballotsComplete()) return (await votedIdeas(challengeId, actor.id)).has(ideaId);
    return Boolean(await Vote.exists({ _id: voteId(ideaId, actor.id) }));
  }

  return {
    ballots,

    /**
     * One vote per member per idea: repeating it (or ten at once) changes nothing. Returns the
     * vote state after it, from the idea the count's update returned (no second read of it).
     */
    async castVote(actor: Actor, ideaId: string): Promise<VoteState> {
      const { idea, challenge } = await ideas.visibleFacts(actor, ideaId);
      const refusal = voteRefusal(actor, idea.access, challenge);
      if (refusal) throw new Forbidden(refusal);
      const id = voteId(ideaId, actor.id);
      // Voted already: the ballot is written again, in case a crash came between the vote and it.
      const votedAlready = async () => {
        await markVoted(challenge.id, actor.id, ideaId);
        return stateOf(actor, idea, challenge, true);
      };
      const budgeted = challenge.voteBudget > 0;
      if (budgeted) {
        // A repeated vote takes nothing from the budget, not even for a moment: read first.
        if (await Vote.exists({ _id: id })) return votedAlready();
        if (!(await claimBudget(challenge.id, actor.id, challenge.voteBudget))) throw new Conflict(message('community.vote.allUsed', { budget: challenge.voteBudget }));
      }
      // Without a budget the vote is not read first: a new vote is the common case, and the unique
      // _id tells a repeated one (or a parallel one that came first) at the insert, whose intent is dropped.
      const at = new Date();
      const intent = await announce(idea, challenge.id, actor.id, 1, at);
      if (!(await insertVote({ _id: id, ideaId, challengeId: challenge.id, userId: actor.id, at, key: intent.mark }))) {
        await intent.abandon();
        // A parallel request recorded this vote first: give back the budget this one took.
        if (budgeted) await VoteBudget.updateOne({ _id: budgetId(challenge.id, actor.id) }, { $inc: { used: -1 } });
        return votedAlready();
      }
      const [, counted] = await Promise.all([markVoted(challenge.id, actor.id, ideaId), afterVote(intent, ideaId, 1)]);
      return stateOf(actor, counted ? factsOf(counted) : idea, challenge, true);
    },

    /** Takes the member's vote back; returns the vote state after it, as `castVote` does. */
    async withdrawVote(actor: Actor, ideaId: string): Promise<VoteState> {
      const { idea, challenge } = await ideas.visibleFacts(actor, ideaId);
      const refusal = voteRefusal(actor, idea.access, challenge);
      if (refusal) throw new Forbidden(refusal);
      // Nothing to withdraw costs no record (a read, not two writes); the ballot is cleared in case a crash left the vote in it.
      if (!(await Vote.exists({ _id: voteId(ideaId, actor.id) }))) {
        await unmarkVoted(challenge.id, actor.id, ideaId);
        return stateOf(actor, idea, challenge, false);
      }
      const intent = await announce(idea, challenge.id, actor.id, -1);
      const removed = await Vote.findOneAndDelete({ _id: voteId(ideaId, actor.id) }).lean();
      if (!removed) {
        await intent.abandon();
        await unmarkVoted(challenge.id, actor.id, ideaId);
        return voteState(actor, ideaId);
      }
      // A vote moved here by a merge took no budget: the voter's vote on the duplicate still holds it.
      const refund = async () => {
        if (challenge.voteBudget > 0 && !removed.viaMergeOf) await VoteBudget.updateOne({ _id: budgetId(challenge.id, actor.id) }, { $inc: { used: -1 } });
      };
      const [, , counted] = await Promise.all([unmarkVoted(challenge.id, actor.id, ideaId), refund(), afterVote(intent, ideaId, -1)]);
      return stateOf(actor, counted ? factsOf(counted) : idea, challenge, false);
    },

    /** Fills each listed card's `ballot` slot (left null where the actor may not vote) on the page's own copies, and returns the page. */
    async withBallots<Page extends { cards: ListedCard[] }>(actor: MaybeActor, challenge: ChallengeAccess, page: Page): Promise<Page> {
      const marks = await ballots(
        actor,
        page.cards.map(({ card }) => ({ card, challenge })),
      );
      for (const card of page.cards) card.ballot = marks.get(card.id) ?? null;
      return page;
    },

    voteState,
  };
}

export type Votes = ReturnType<typeof createVotes>;
