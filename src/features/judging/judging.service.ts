import type { Actor, MaybeActor } from '../../shared/actor.ts';
import { message } from '../../i18n/i18n.ts';
import { Conflict, Forbidden, Invalid, isDuplicateKeyError, NotFound } from '../../shared/errors.ts';
import type { EventBus, EventSubscriptions } from '../../shared/events.ts';
import { appliedEvent } from '../../shared/applying-event.ts';
import { createKeyedCache } from '../../shared/keyed-cache.ts';
import { shownName } from '../../shared/personal-data.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import type { ChallengeCatalog, ChallengeView } from '../challenges/challenge-catalog.ts';
import { isJudge } from '../challenges/challenges.policy.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import { Shortlist } from '../curation/shortlist.model.ts';
import type { IdeaBoard } from '../ideas/idea-board.ts';
import type { Notifications } from '../notifications/notifications.service.ts';
import { scorecardBudget } from './adaptive.ts';
import { pairsWithoutOverlap, planAssignments } from './assignment-plan.ts';
import { Judging, Scorecard, scorecardId, type AssignmentMode, type BudgetUnit } from './judging.model.ts';
import { canManageJudging, canOpenJudging, judgesBlind } from './judging.policy.ts';

/** The title shown for an idea that is gone, in the reader's language. */
const REMOVED_IDEA = message('common.removedIdea');

export type JudgingSetup = {
  mode: AssignmentMode;
  perIdea: number;
  blind: boolean;
  crowdWeight: number;
  assignments: Array<{ ideaId: string; judgeIds: string[] }>;
  conflicts: Array<{ ideaId: string; judgeId: string; note: string; at: Date }>;
  budget: number | null;
  budgetPer: BudgetUnit;
  stoppedAt: Date | null;
  scoresVersion: number;
  /** The phase move that handed out the first assignments (its outbox entry's key), if one did. */
  assignedFor?: string | null;
  version: number;
};

type Deps = {
  events: EventBus;
  challenges: Challenges;
  catalog: ChallengeCatalog;
  board: IdeaBoard;
  directory: UserDirectory;
  notifications: Notifications;
  /** Where the phase moves' effects subscribe: the outbox's `phases` consumer, so a crash after a move never loses them (the bus itself by default). */
  phaseEvents?: EventSubscriptions;
};

/** Judging setup, assignments, conflicts and progress for a challenge's frozen shortlist. */
export function createJudging(deps: Deps) {
  const { events, challenges, board, directory, notifications } = deps;

  async function read(challengeId: string): Promise<JudgingSetup> {
    const doc = await Judging.findById(challengeId).lean();
    if (doc) return doc as unknown as JudgingSetup;
    try {
      await Judging.create({ _id: challengeId });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    return (await Judging.findById(challengeId).lean()) as unknown as JudgingSetup;
  }

  /**
   * The setups as the ranking page reads them, on every request: kept in memory, forgotten by this
   * process's writes at once and by another process's through the change log (`judging.changed`,
   * cluster/read-model-sync.ts). The hour's limit only bounds what a write nobody announced
   * (a process that died between its write and its announcement) leaves stale.
   */
  const setups = createKeyedCache(read, { ttlMs: 3_600_000, maxKeys: 500 });

  /** After a write to a setup: this process reads it again, and tells the others. */
  async function changed(challengeId: string): Promise<void> {
    setups.forget(challengeId);
    await events.emit('judging.changed', { challengeId });
  }

  /** Rewrites the setup conditionally on its version; retried, since most changes are small and independent. */
  async function rewrite(challengeId: string, change: (setup: JudgingSetup) => Partial<JudgingSetup>, attempts = 5): Promise<JudgingSetup> {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const setup = await read(challengeId);
      const result = await Judging.updateOne({ _id: challengeId, version: setup.version }, { $set: change(setup), $inc: { version: 1 } });
      if (result.modifiedCount === 1) {
        await changed(challengeId);
        return read(challengeId);
      }
    }
    throw new Conflict(message('judging.refusal.setupChanged'));
  }

  async function shortlistIds(challengeId: string): Promise<string[]> {
    const list = await Shortlist.findById(challengeId).lean();
    return (list?.entries ?? []).map((entry) => String(entry.ideaId));
  }

  /** What the copilots wrote beside the idea on the shortlist, for its judges. */
  async function copilotsNote(challengeId: string, ideaId: string): Promise<string> {
    const list = await Shortlist.findById(challengeId).lean();
    return list?.entries.find((entry) => String(entry.ideaId) === ideaId)?.note ?? '';
  }

  async function managedChallenge(actor: Actor, challengeId: string): Promise<ChallengeView> {
    const challenge = await challenges.visibleChallenge(actor, challengeId);
    if (!canManageJudging(actor)) throw new Forbidden(message('judging.refusal.staffOnly'));
    return challenge;
  }

  /**
   * The shortlist's assignments under the setup's mode, keeping who already has what. `forMove`:
   * the key of the phase move (its outbox entry) that hands out the first assignments, stored with
   * them. `toMinimum`: the setup changed to adaptive judging or its minimum, so judges who have not
   * started keep only the minimum per idea ("the next idea" hands out the rest within the budget);
   * otherwise adaptive judging keeps what was handed out, pulled ideas included.
   */
  async function assign(actor: Actor | null, challenge: ChallengeView, forMove?: string, toMinimum = false): Promise<JudgingSetup> {
    const ideaIds = await shortlistIds(challenge.id);
    const pairs = (assignments: JudgingSetup['assignments']) => new Set(assignments.flatMap((entry) => entry.judgeIds.map((judgeId) => `${entry.ideaId}:${judgeId}`)));
    // Judges who started a scorecard keep it; a lower k per idea (or minimum) releases the others.
    const started = new Set((await progress(await read(challenge.id))).filter((pair) => pair.status !== 'not started').map((pair) => `${pair.ideaId}:${pair.judgeId}`));
    let before = new Set<string>();
    const setup = await rewrite(challenge.id, (current) => {
      before = pairs(current.assignments);
      const keepAtMost = (entry: JudgingSetup['assignments'][number]) => {
        const byStarted = [...entry.judgeIds].sort((a, b) => Number(started.has(`${entry.ideaId}:${b}`)) - Number(started.has(`${entry.ideaId}:${a}`)));
        return { ideaId: entry.ideaId, judgeIds: byStarted.filter((judgeId, index) => index < current.perIdea || started.has(`${entry.ideaId}:${judgeId}`)) };
      };
      const kept = current.mode === 'k' || (current.mode === 'adaptive' && toMinimum) ? current.assignments.map(keepAtMost) : current.assignments;
      const assignments = planAssignments({ ideaIds, judgeIds: challenge.judgeIds, setup: { ...current, assignments: kept }, seed: challenge.id });
      return forMove ? { assignments, assignedFor: forMove } : { assignments };
    });
    await recordAudit(actor, {
      action: 'judging.assigned',
      targetType: 'challenge',
      targetId: challenge.id,
      targetLabel: challenge.title,
      after: { mode: setup.mode, perIdea: setup.perIdea, ideas: ideaIds.length },
    });
    await tellJudges(challenge, setup, before);
    return setup;
  }

  /** Each judge hears once of what is new to them (since `before`): a re-plan that gives them nothing new says nothing. */
  async function tellJudges(challenge: ChallengeView, setup: JudgingSetup, before: Set<string>) {
    const added = new Map<string, number>();
    for (const entry of setup.assignments) for (const judgeId of entry.judgeIds) if (!before.has(`${entry.ideaId}:${judgeId}`)) added.set(judgeId, (added.get(judgeId) ?? 0) + 1);
    const first = before.size === 0;
    for (const [judgeId, count] of added) {
      const text = message(first ? 'notifications.toScore' : 'notifications.moreToScore', { count, challenge: challenge.title });
      await notifications.notify([judgeId], { kind: 'judging_assigned', text, link: `/challenges/${challenge.id}/judging` });
    }
  }

  // Judging starts with the shortlist as it was frozen: every judge is given their ideas then
  // (once: a challenge with assignments is left as it is when another move to judging comes).
  (deps.phaseEvents ?? events).on('challenge.phase_changed', async ({ challengeId, to }) => {
    if (to !== 'judging') return;
    const challenge = await deps.catalog.get(challengeId);
    if (!challenge) return;
    const setup = await read(challengeId);
    const move = appliedEvent()?.key;
    if (setup.assignments.length === 0) await assign(null, challenge, move);
    // This same move assigned them before a stop, maybe before every judge was told: the ones not
    // told are told now (a notice applied from the outbox is stored once per move and judge).
    else if (move && setup.assignedFor === move) await tellJudges(challenge, setup, new Set());
  });

  // An idea staff take off the frozen shortlist leaves the judges' plan: no judge is asked to
  // score it and no progress counts it; scorecards already made stay stored. From the outbox, and
  // a no-op once done, so a stop right after the move still does it once.
  (deps.phaseEvents ?? events).on('idea.status_changed', async ({ ideaId, challengeId, to }) => {
    if (to !== 'not-shortlisted') return;
    const setup = await Judging.findById(challengeId, { assignments: 1 }).lean();
    if (!setup?.assignments.some((entry) => String(entry.ideaId) === ideaId)) return;
    await rewrite(challengeId, (current) => ({ assignments: current.assignments.filter((entry) => entry.ideaId !== ideaId) }));
  });

  /** Who scored what so far: one lookup by _id per assigned pair (a shortlist is tens of ideas). */
  async function progress(setup: JudgingSetup) {
    const pairs = setup.assignments.flatMap((entry) => entry.judgeIds.map((judgeId) => ({ ideaId: entry.ideaId, judgeId })));
    const cards = await Promise.all(pairs.map((pair) => Scorecard.findById(scorecardId(pair.ideaId, pair.judgeId), { status: 1 }).lean()));
    return pairs.map((pair, index) => ({ ...pair, status: (cards[index]?.status ?? 'not started') as 'draft' | 'submitted' | 'not started' }));
  }

  /** Does judging blind keep this judge from seeing the challenge's authors now? */
  async function blindFor(actor: MaybeActor, challenge: ChallengeView): Promise<boolean> {
    if (!actor || !isJudge(actor, challenge) || !['judging', 'appeals'].includes(challenge.phase)) return false;
    return judgesBlind(actor, challenge, (await read(challenge.id)).blind);
  }

  return {
    read,
    rewrite,
    shortlistIds,
    copilotsNote,
    progress,

    /** Staff's view: the mode, the matrix of who scores what, each judge's progress. */
    async setupView(actor: Actor, challengeId: string) {
      const challenge = await managedChallenge(actor, challengeId);
      const setup = await read(challenge.id);
      const cards = await board.cards(challenge.id);
      const titles = new Map(cards.map((card) => [card.id, card.title]));
      const people = await directory.people(challenge.judgeIds);
      const pairs = await progress(setup);
      const judges = challenge.judgeIds.map((judgeId) => {
        const mine = pairs.filter((pair) => pair.judgeId === judgeId);
        return {
          id: judgeId,
          name: shownName(people.get(judgeId)),
          assigned: mine.length,
          submitted: mine.filter((pair) => pair.status === 'submitted').length,
          drafts: mine.filter((pair) => pair.status === 'draft').length,
        };
      });
      return {
        challenge,
        setup,
        judges,
        ideas: setup.assignments.map((entry) => ({
          ideaId: entry.ideaId,
          title: titles.get(entry.ideaId) ?? REMOVED_IDEA,
          judges: entry.judgeIds.map((judgeId) => ({
            id: judgeId,
            name: shownName(people.get(judgeId)),
            status: pairs.find((pair) => pair.ideaId === entry.ideaId && pair.judgeId === judgeId)?.status,
          })),
          conflicts: setup.conflicts.filter((conflict) => conflict.ideaId === entry.ideaId).map((conflict) => shownName(people.get(conflict.judgeId))),
          // Whom a place on this idea can go to: judges not on it and not conflicted, the least loaded first (preselected).
          candidates: judges
            .filter((judge) => !entry.judgeIds.includes(judge.id) && !setup.conflicts.some((c) => c.ideaId === entry.ideaId && c.judgeId === judge.id))
            .sort((a, b) => a.assigned - b.assigned)
            .map(({ id, name }) => ({ id, name })),
        })),
        shortlistSize: (await shortlistIds(challenge.id)).length,
        budget:
          setup.mode === 'adaptive' ? { ...scorecardBudget(setup, setup.assignments.length), handedOut: pairs.length, submitted: pairs.filter((pair) => pair.status === 'submitted').length } : null,
        unpairedJudges: setup.assignments.length
          ? pairsWithoutOverlap(setup, challenge.judgeIds).map(([a, b]) => message('judging.setup.pair', { a: shownName(people.get(a)), b: shownName(people.get(b)) }))
          : [],
      };
    },

    async configure(actor: Actor, challengeId: string, input: { mode: AssignmentMode; perIdea: number; blind: boolean; crowdWeight: number; budget?: number | null; budgetPer?: BudgetUnit }) {
      const challenge = await managedChallenge(actor, challengeId);
      if (['decided', 'closed'].includes(challenge.phase)) throw new Conflict(message('judging.refusal.setupLocked'));
      if (input.mode !== 'all' && input.perIdea > challenge.judgeIds.length) {
        throw new Invalid({ perIdea: message('judging.refusal.tooManyPerIdea', { count: challenge.judgeIds.length }) });
      }
      const before = await read(challenge.id);
      const setup = await rewrite(challenge.id, () => input);
      await recordAudit(actor, {
        action: 'judging.configured',
        targetType: 'challenge',
        targetId: challenge.id,
        targetLabel: challenge.title,
        before: { mode: before.mode, perIdea: before.perIdea, blind: before.blind, crowdWeight: before.crowdWeight },
        after: input,
      });
      // A different mode or k changes who scores what: the assignments follow (kept where they can be).
      if (setup.assignments.length && (before.mode !== input.mode || before.perIdea !== input.perIdea)) await assign(actor, challenge, undefined, true);
      await rewrite(challenge.id, () => ({ scoresVersion: setup.scoresVersion + 1 }));
    },

    async assign(actor: Actor, challengeId: string) {
      const challenge = await managedChallenge(actor, challengeId);
      if (!['curation', 'judging'].includes(challenge.phase)) throw new Conflict(message('judging.refusal.assignWhen'));
      return assign(actor, challenge);
    },

    /** A judge steps back from an idea: unassigned at once, and another judge takes it. */
    async declareConflict(actor: Actor, challengeId: string, ideaId: string, note: string) {
      const challenge = await challenges.visibleChallenge(actor, challengeId);
      if (!isJudge(actor, challenge)) throw new Forbidden(message('judging.refusal.conflictJudgesOnly'));
      if (!(await shortlistIds(challenge.id)).includes(ideaId)) throw new NotFound(message('judging.refusal.notOnShortlist'));
      const setup = await rewrite(challenge.id, (current) => {
        const conflicts = current.conflicts.some((c) => c.ideaId === ideaId && c.judgeId === actor.id)
          ? current.conflicts
          : [...current.conflicts, { ideaId, judgeId: actor.id, note, at: new Date() }];
        return {
          conflicts,
          assignments: planAssignments({ ideaIds: current.assignments.map((entry) => entry.ideaId), judgeIds: challenge.judgeIds, setup: { ...current, conflicts }, seed: challenge.id }),
        };
      });
      await Scorecard.deleteOne({ _id: scorecardId(ideaId, actor.id), status: 'draft' });
      await recordAudit(actor, { action: 'judging.conflict_declared', targetType: 'idea', targetId: ideaId, reason: note });
      const replacement = setup.assignments.find((entry) => entry.ideaId === ideaId)?.judgeIds ?? [];
      return { replacedBy: replacement };
    },

    /** Staff move one idea from one judge to another. */
    async reassign(actor: Actor, challengeId: string, ideaId: string, fromJudgeId: string, toJudgeId: string) {
      const challenge = await managedChallenge(actor, challengeId);
      if (!challenge.judgeIds.includes(toJudgeId)) throw new Invalid({ toJudgeId: message('judging.refusal.chooseJudge') });
      await rewrite(challenge.id, (current) => {
        if (current.conflicts.some((c) => c.ideaId === ideaId && c.judgeId === toJudgeId)) throw new Invalid({ toJudgeId: message('judging.refusal.judgeConflicted') });
        const judgeIds = current.assignments.find((entry) => entry.ideaId === ideaId)?.judgeIds ?? [];
        // Said rather than done silently: the page would otherwise read "Reassigned" with nothing moved.
        if (!judgeIds.includes(fromJudgeId)) throw new Invalid({ fromJudgeId: message('judging.refusal.notOnIdea') });
        if (judgeIds.includes(toJudgeId)) throw new Invalid({ toJudgeId: message('judging.refusal.alreadyOnIdea') });
        return {
          assignments: current.assignments.map((entry) => (entry.ideaId !== ideaId ? entry : { ideaId, judgeIds: entry.judgeIds.map((id) => (id === fromJudgeId ? toJudgeId : id)) })),
        };
      });
      await recordAudit(actor, { action: 'judging.reassigned', targetType: 'idea', targetId: ideaId, before: { judgeId: fromJudgeId }, after: { judgeId: toJudgeId } });
      await notifications.notify([toJudgeId], { kind: 'judging_assigned', text: message('notifications.reassigned', { challenge: challenge.title }), link: `/challenges/${challenge.id}/judging` });
    },

    async nudge(actor: Actor, challengeId: string, judgeId: string) {
      const challenge = await managedChallenge(actor, challengeId);
      if (!challenge.judgeIds.includes(judgeId)) throw new NotFound(message('judging.refusal.notAJudge'));
      await notifications.notify([judgeId], {
        kind: 'judging_reminder',
        text: message('notifications.reminder', { name: actor.name, challenge: challenge.title }),
        link: `/challenges/${challenge.id}/judging`,
      });
      await recordAudit(actor, { action: 'judging.nudged', targetType: 'user', targetId: judgeId, targetLabel: challenge.title });
    },

    /** A judge's own view: the ideas to score, what is done, and the time left. */
    async dashboard(actor: Actor, challengeId: string) {
      const challenge = await challenges.visibleChallenge(actor, challengeId);
      if (!canOpenJudging(actor, challenge)) throw new Forbidden(message('judging.refusal.judgingReaders'));
      const setup = await read(challenge.id);
      const cards = new Map((await board.cards(challenge.id)).map((card) => [card.id, card]));
      const mine = (await progress(setup)).filter((pair) => pair.judgeId === actor.id);
      const endsAt = challenge.schedule.appeals && challenge.appealsEnabled ? challenge.schedule.appeals : (challenge.schedule.decided ?? null);
      return {
        challenge,
        blind: setup.blind,
        adaptive: setup.mode === 'adaptive' && !setup.stoppedAt,
        ideas: mine.map((pair) => ({ ideaId: pair.ideaId, title: cards.get(pair.ideaId)?.title ?? REMOVED_IDEA, status: pair.status })),
        done: mine.filter((pair) => pair.status === 'submitted').length,
        total: mine.length,
        endsAt,
        conflicts: setup.conflicts.filter((conflict) => conflict.judgeId === actor.id).map((conflict) => ({ ...conflict, title: cards.get(conflict.ideaId)?.title ?? REMOVED_IDEA })),
      };
    },

    /** Challenges the actor judges, for their /judging page. */
    async myChallenges(actor: Actor) {
      const all = await challenges.listChallenges(actor, { phase: '', audience: '', mine: null });
      return all.filter((challenge) => isJudge(actor, challenge) && ['curation', 'judging', 'appeals'].includes(challenge.phase));
    },

    blindFor,

    /** Is the actor judging, blind, an idea this person wrote? Then their profile stays closed to the judge. */
    async judgesAuthorBlind(actor: Actor, userId: string): Promise<boolean> {
      for (const challenge of await deps.catalog.all()) {
        if (!(await blindFor(actor, challenge))) continue;
        const assigned = new Set((await read(challenge.id)).assignments.filter((entry) => entry.judgeIds.includes(actor.id)).map((entry) => entry.ideaId));
        if ((await board.cards(challenge.id)).some((card) => assigned.has(card.id) && card.authorIds.includes(userId))) return true;
      }
      return false;
    },

    /** Bumps the scores' version: the cached ranking of the challenge is recomputed on next read. */
    async scoresChanged(challengeId: string) {
      await Judging.updateOne({ _id: challengeId }, { $inc: { scoresVersion: 1 } });
      await changed(challengeId);
    },

    /** The setup as last read (see `setups`): for pages that only show it, never for a write conditional on its version. */
    currentSetup: (challengeId: string) => setups.get(challengeId),
    /** Another process changed the setup (the change log says so). */
    forgetSetup: (challengeId: string) => setups.forget(challengeId),
    /** A script changed many things: every setup is read again. */
    forgetSetups: () => setups.clear(),
  };
}

export type JudgingService = ReturnType<typeof createJudging>;
