import { message, type Message } from '../../i18n/i18n.ts';
import type { Actor, MaybeActor } from '../../shared/actor.ts';
import { Forbidden, Invalid, isDuplicateKeyError, NotFound } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import { canSeeChallenge, canSeeOthersIdeas, type ChallengeAccess } from '../challenges/challenges.policy.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { Phase } from '../challenges/phases.ts';
import type { IdeaBoard } from '../ideas/idea-board.ts';
import type { IdeaStatus } from '../ideas/idea.model.ts';
import { isAuthor, isInvitedCoAuthor } from '../ideas/ideas.policy.ts';
import { accessOf, type Ideas } from '../ideas/ideas.service.ts';
import { Comparison, comparisonId } from './comparison.model.ts';
import { choosePair, fitBradleyTerry, pairKey, priorScore, type IdeaScore } from './pairwise.ts';
import { roundTo } from '../../shared/rounding.ts';

/** The crowd compares while it votes: while ideas come in and while copilots curate. */
export const COMPARING_PHASES: Phase[] = ['open', 'curation'];
const COMPARABLE = new Set<IdeaStatus>(['submitted', 'approved', 'shortlisted']);

/** Why the actor may not compare ideas in this challenge now, or null when they may. */
export function compareRefusal(actor: MaybeActor, challenge: ChallengeAccess): Message | null {
  if (!actor) return message('community.compare.signIn');
  if (!canSeeChallenge(actor, challenge)) return message('community.compare.cannotTakePart');
  if (!actor.emailVerified) return message('community.compare.confirm');
  if (!COMPARING_PHASES.includes(challenge.phase)) return message(challenge.phase === 'draft' ? 'community.compare.notYet' : 'community.compare.closed');
  if (!canSeeOthersIdeas(actor, challenge)) return message('community.compare.sealed');
  return null;
}

export type CompareChoice = 'left' | 'right' | 'skip';
export type CompareAnswer = { leftId: string; rightId: string; choice: CompareChoice };
export type CrowdScore = { score: number; low: number; high: number; comparisons: number };
type ShownIdea = { id: string; title: string; summary: string };

type StoredComparison = { _id: string; memberId: unknown; ideaIds: unknown[]; winnerId?: unknown; loserId?: unknown };

/** A challenge's comparisons, in memory: who answered which pair, and the decisions to fit. */
type ChallengeComparisons = {
  recorded: Set<string>;
  decided: Array<{ winnerId: string; loserId: string }>;
  answeredBy: Map<string, Set<string>>;
  /** Pairs a member skipped: offered again once nothing else is left, and decidable then. */
  skippedBy: Map<string, Set<string>>;
  /** The last fit; null once a decision arrived after it. */
  fit: Map<string, IdeaScore> | null;
  /** Where the next fit starts from (it converges in a few sweeps from there). */
  strengths: Map<string, number>;
};

export function createComparisons(deps: { challenges: Challenges; ideas: Ideas; board: IdeaBoard; events: EventBus; rng?: () => number }) {
  const { challenges, ideas, board, events } = deps;
  events.verifyWith('comparison.recorded', async (payload, mark) => ((await Comparison.findById(payload.comparisonId, { key: 1 }).lean())?.key === mark ? payload : null));
  const rng = deps.rng ?? Math.random;
  const loaded = new Map<string, Promise<ChallengeComparisons>>();

  function apply(state: ChallengeComparisons, record: StoredComparison): void {
    const decided = Boolean(record.winnerId && record.loserId);
    // A pair's record is a skip first and may become a decision later: each counts once.
    const key = `${record._id}:${decided ? 'decided' : 'skipped'}`;
    if (state.recorded.has(key)) return;
    state.recorded.add(key);
    const [a, b] = record.ideaIds.map(String) as [string, string];
    const memberId = String(record.memberId);
    const mark = (map: Map<string, Set<string>>) => map.set(memberId, (map.get(memberId) ?? new Set<string>()).add(pairKey(a, b)));
    // A skip is never fed to the model.
    if (!decided) return void mark(state.skippedBy);
    mark(state.answeredBy);
    state.skippedBy.get(memberId)?.delete(pairKey(a, b));
    state.decided.push({ winnerId: String(record.winnerId), loserId: String(record.loserId) });
    state.fit = null;
  }

  /** Loaded by one query on first use; afterwards kept current by `apply`. */
  function comparisonsOf(challengeId: string): Promise<ChallengeComparisons> {
    let loading = loaded.get(challengeId);
    if (!loading) {
      loading = Comparison.find({ challengeId })
        .lean()
        .then((records) => {
          const state: ChallengeComparisons = { recorded: new Set(), decided: [], answeredBy: new Map(), skippedBy: new Map(), fit: null, strengths: new Map() };
          for (const record of records) apply(state, record);
          return state;
        });
      loaded.set(challengeId, loading);
      loading.catch(() => loaded.delete(challengeId));
    }
    return loading;
  }

  async function scores(challengeId: string): Promise<ReadonlyMap<string, IdeaScore>> {
    const state = await comparisonsOf(challengeId);
    if (!state.fit) {
      state.fit = fitBradleyTerry([], state.decided, { start: state.strengths });
      state.strengths = new Map([...state.fit].map(([id, fitted]) => [id, fitted.strength]));
    }
    return state.fit;
  }

  /** The idea if the actor may compare it in this challenge, else why not. */
  async function comparable(actor: Actor, challenge: ChallengeView, ideaId: string): Promise<ShownIdea | 'unknown' | 'own' | 'closed'> {
    const found = await ideas.visibleIdea(actor, ideaId).catch((error: unknown) => {
      if (error instanceof NotFound) return null;
      throw error;
    });
    if (!found || String(found.idea.challengeId) !== challenge.id) return 'unknown';
    const access = accessOf(found.idea);
    if (isAuthor(actor, access) || isInvitedCoAuthor(actor, access)) return 'own';
    if (!COMPARABLE.has(access.status)) return 'closed';
    return { id: ideaId, title: found.idea.title, summary: found.idea.summary };
  }

  async function allowedChallenge(actor: Actor, challengeId: string): Promise<ChallengeView> {
    const challenge = await challenges.visibleChallenge(actor, challengeId);
    const refusal = compareRefusal(actor, challenge);
    if (refusal) throw new Forbidden(refusal);
    return challenge;
  }

  /** Adds a comparison stored by another request or process (by _id; repeating it changes nothing). */
  async function applyStored(id: string): Promise<void> {
    const record = await Comparison.findById(id).lean();
    const state = record ? loaded.get(String(record.challengeId)) : undefined;
    if (record && state) apply(await state, record);
  }

  return {
    scores,
    applyStored,
    /** Forgets every challenge's comparisons: the next use loads them again. */
    reset: () => loaded.clear(),

    /**
     * The next two ideas for the actor to compare: ideas of the challenge they may see, never their
     * own, never a pair they decided; a pair they skipped comes back once no other is left.
     * `pair` is null when none is left.
     */
    async nextPair(actor: Actor, challengeId: string): Promise<{ challenge: ChallengeView; pair: { left: ShownIdea; right: ShownIdea } | null; answered: number }> {
      const challenge = await allowedChallenge(actor, challengeId);
      const [state, stats, { cards }] = await Promise.all([
        comparisonsOf(challenge.id),
        scores(challenge.id),
        // What the crowd sees, for everyone: a copilot's comparisons count as the crowd's too.
        board.page(challenge.id, { audience: challenge, limit: Number.MAX_SAFE_INTEGER, visible: (card) => COMPARABLE.has(card.status) }),
      ]);
      const answered = state.answeredBy.get(actor.id) ?? new Set<string>();
      const skippedOrAnswered = new Set([...answered, ...(state.skippedBy.get(actor.id) ?? [])]);
      const excluded = new Set(cards.filter((card) => card.authorIds.includes(actor.id)).map((card) => card.id));
      for (;;) {
        const ids = cards.map((card) => card.id);
        const chosen = choosePair(ids, stats, { excludeIds: excluded, excludePairs: skippedOrAnswered, rng }) ?? choosePair(ids, stats, { excludeIds: excluded, excludePairs: answered, rng });
        if (!chosen) return { challenge, pair: null, answered: answered.size };
        // The cards can lag behind the ideas (an invitation, a status change): check both by _id.
        const [left, right] = await Promise.all([comparable(actor, challenge, chosen.leftId), comparable(actor, challenge, chosen.rightId)]);
        if (typeof left === 'object' && typeof right === 'object') return { challenge, pair: { left, right }, answered: answered.size };
        if (typeof left !== 'object') excluded.add(chosen.leftId);
        if (typeof right !== 'object') excluded.add(chosen.rightId);
      }
    },

    /** Records the actor's answer for a pair once, however often it is sent; a skip changes no score. */
    async answer(actor: Actor, challengeId: string, input: CompareAnswer): Promise<{ recorded: boolean }> {
      const challenge = await allowedChallenge(actor, challengeId);
      const unknownPair = message('community.compare.unknownPair');
      if (input.leftId === input.rightId) throw new Invalid({ pair: message('community.compare.different') }, message('community.compare.different'));
      const checked = await Promise.all([comparable(actor, challenge, input.leftId), comparable(actor, challenge, input.rightId)]);
      if (checked.includes('unknown')) throw new Invalid({ pair: unknownPair }, unknownPair);
      if (checked.includes('own')) throw new Forbidden(message('community.compare.own'));
      if (checked.includes('closed')) throw new Invalid({ pair: message('community.compare.noLongerOpen') }, message('community.compare.noLongerOpen'));

      const state = await comparisonsOf(challenge.id);
      const id = comparisonId(challenge.id, actor.id, input.leftId, input.rightId);
      const skipped = input.choice === 'skip';
      if (state.recorded.has(`${id}:decided`) || (skipped && state.recorded.has(`${id}:skipped`))) return { recorded: false };
      const intent = await events.intend(['comparison.recorded', { comparisonId: id, challengeId: challenge.id }]);
      const record = {
        key: intent.mark,
        _id: id,
        challengeId: challenge.id,
        memberId: actor.id,
        ideaIds: [input.leftId, input.rightId].sort(),
        winnerId: skipped ? null : input.choice === 'left' ? input.leftId : input.rightId,
        loserId: skipped ? null : input.choice === 'left' ? input.rightId : input.leftId,
        skipped,
      };
      try {
        await Comparison.create(record);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Skipped before and decided now: the skip becomes the decision, once (conditional on it still being a skip).
        const decidedNow =
          !skipped && (await Comparison.updateOne({ _id: id, skipped: true }, { $set: { winnerId: record.winnerId, loserId: record.loserId, skipped: false, key: intent.mark } })).modifiedCount === 1;
        if (!decidedNow) {
          await intent.abandon();
          // A parallel request (or another process) recorded this pair first: its answer stands.
          await applyStored(id);
          return { recorded: false };
        }
      }
      apply(state, record);
      await intent.done();
      return { recorded: true };
    },

    /** An idea's crowd score for its page, rounded; the prior (50) until it is compared. */
    async ideaScore(challengeId: string, ideaId: string): Promise<CrowdScore> {
      const fitted = (await scores(challengeId)).get(ideaId) ?? priorScore();
      return { score: roundTo(fitted.score), low: roundTo(fitted.low), high: roundTo(fitted.high), comparisons: fitted.comparisons };
    },
  };
}

export type Comparisons = ReturnType<typeof createComparisons>;
