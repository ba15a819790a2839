import { hasRole, type Actor, type MaybeActor } from '../../shared/actor.ts';
import { message, type Message } from '../../i18n/i18n.ts';
import { Conflict, Forbidden, Invalid, isDuplicateKeyError } from '../../shared/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import { nextPhase, phaseIndex } from '../challenges/phases.ts';
import type { EventBus, EventSubscriptions } from '../../shared/events.ts';
import type { ChallengeCatalog, ChallengeView } from '../challenges/challenge-catalog.ts';
import type { IdeaLifecycle, Mover } from '../ideas/idea-lifecycle.ts';
import { Idea } from '../ideas/idea.model.ts';
import { canSeeIdea } from '../ideas/ideas.policy.ts';
import { accessOf } from '../ideas/ideas.service.ts';
import { Appeal } from './appeals.model.ts';
import { canManageJudging } from './judging.policy.ts';
import type { JudgingService } from './judging.service.ts';
import type { WinnersInput } from './winners.schemas.ts';
import { Winners } from './winners.model.ts';
import { roundTo } from '../../shared/rounding.ts';

/** The part of the judges' ranking winners are chosen from, best first. */
export type RankingRow = { ideaId: string; title: string; finalRank: number | null; rawMean?: number | null; calibratedScore?: number | null };
export type RankingSource = (actor: Actor, challengeId: string) => Promise<{ rows: RankingRow[] }>;
type Award = { tier: string; ideaId: string | null; rank: number | null; reason: string };

type Deps = {
  events: EventBus;
  /** Where the phase moves' effects subscribe: the outbox's `phases` consumer, so a crash after a move never loses them (the bus itself by default). */
  phaseEvents?: EventSubscriptions;
  challenges: Challenges;
  catalog: ChallengeCatalog;
  judging: JudgingService;
  lifecycle: IdeaLifecycle;
  directory: UserDirectory;
  ranking: RankingSource;
  /** The ranking as the system reads it, for an announcement no one clicked (a move by hand or schedule). */
  rankingOf: (challenge: ChallengeView) => Promise<{ rows: RankingRow[] }>;
};

const isAdmin = (actor: MaybeActor) => hasRole(actor, 'admin');
/** The idea in the ranking's place `index` (0-based), if one is ranked there: unscored ideas hold no place. */
const atPlace = (rows: RankingRow[], index: number) => (rows[index]?.finalRank != null ? rows[index] : undefined);

/** Prize tiers from the ranking, the announcement (→ decided), and the locked results after it. */
export function createWinners(deps: Deps) {
  const { events, challenges, catalog, judging, lifecycle, directory, ranking, rankingOf } = deps;

  async function managed(actor: Actor, challengeId: string) {
    const challenge = await challenges.visibleChallenge(actor, challengeId);
    if (!canManageJudging(actor)) throw new Forbidden(message('judging.refusal.winnersStaffOnly'));
    return challenge;
  }

  /** The tiers as staff chose them, or else tier i for the idea ranked i. */
  function awardsOf(challenge: ChallengeView, rows: RankingRow[], saved: Award[] | undefined): Award[] {
    return challenge.prizes.map((prize, index) => saved?.[index] ?? { tier: prize.tier, ideaId: atPlace(rows, index)?.ideaId ?? null, rank: atPlace(rows, index)?.finalRank ?? null, reason: '' });
  }

  /** The choices as awards, or field messages: an idea from the ranking, once, and a reason wherever the ranking says otherwise. */
  function validate(challenge: ChallengeView, rows: RankingRow[], choices: WinnersInput['choices']): Award[] {
    const byId = new Map(rows.map((row) => [row.ideaId, row]));
    const problems: Record<string, Message> = {};
    const taken = new Map<string, string>();
    const awards = challenge.prizes.map((prize, index) => {
      const { ideaId, reason } = choices[index] ?? { ideaId: null, reason: '' };
      const row = ideaId ? byId.get(ideaId) : undefined;
      const expected = atPlace(rows, index);
      if (ideaId && !row) problems[`idea_${index}`] = message('judging.refusal.chooseFromRanking');
      else if (ideaId && taken.has(ideaId)) problems[`idea_${index}`] = message('judging.refusal.alreadyWins', { title: row!.title, tier: taken.get(ideaId)! });
      else if ((ideaId ?? null) !== (expected?.ideaId ?? null) && !reason) {
        problems[`reason_${index}`] = row
          ? row.finalRank === null
            ? message('judging.refusal.notRankedWhy', { title: row.title, place: index + 1, tier: prize.tier })
            : message('judging.refusal.rankedWhy', { title: row.title, rank: row.finalRank, place: index + 1, tier: prize.tier })
          : message('judging.refusal.noWinnerWhy', { title: expected!.title, place: index + 1, tier: prize.tier });
      }
      if (ideaId) taken.set(ideaId, prize.tier);
      return { tier: prize.tier, ideaId: ideaId ?? null, rank: row?.finalRank ?? null, reason: (ideaId ?? null) === (expected?.ideaId ?? null) ? '' : reason };
    });
    if (Object.keys(problems).length) throw new Invalid(problems);
    return awards;
  }

  async function store(challengeId: string, set: Record<string, unknown>) {
    try {
      await Winners.create({ _id: challengeId, ...set });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await Winners.updateOne({ _id: challengeId }, { $set: set, $inc: { version: 1 } });
    }
  }

  /**
   * Moves each award's idea to winner and the rest of the shortlist to not awarded, where they are
   * not there yet. Each move is conditional on the idea's status, so settling again (a phase move
   * applied a second time after a stop halfway) makes the moves the first try did not reach, and
   * none twice. Authors hear of each move from the notifications consumer (its `idea.status_changed`).
   */
  async function settle(by: Mover, awards: Award[], shortlist: string[]) {
    const winnerIds = new Set(awards.map((award) => award.ideaId).filter((id) => id !== null));
    const statusOf = async (ideaId: string) => (await Idea.findById(ideaId, { status: 1 }).lean())?.status;
    for (const award of awards) {
      if (award.ideaId && (await statusOf(award.ideaId)) !== 'winner') await lifecycle.crown(by, award.ideaId, award.tier);
    }
    for (const ideaId of shortlist) {
      if (!winnerIds.has(ideaId) && (await statusOf(ideaId)) !== 'not-awarded') await lifecycle.notAwarded(by, ideaId);
    }
  }

  /**
   * Stores the awards and announces them once: the first to mark them announced crowns the
   * winners and tells every other shortlisted author; an announcement already made is left as it is.
   */
  async function publish(by: Mover, challenge: ChallengeView, awards: Award[], reason: string): Promise<boolean> {
    await store(challenge.id, { awards });
    const claimed = await Winners.updateOne({ _id: challenge.id, announcedAt: null }, { $set: { announcedAt: new Date(), announcedByName: by.byName ?? by.actor?.name ?? '' } });
    if (claimed.modifiedCount !== 1) return false;
    await recordAudit(by.actor, { action: 'winners.announced', targetType: 'challenge', targetId: challenge.id, targetLabel: challenge.title, after: awards, reason });
    await settle(by, awards, await judging.shortlistIds(challenge.id));
    return true;
  }

  // However the challenge reaches its results (by hand, by the schedule), the winners are
  // announced: the tiers staff saved, or else the ranking's order. Never around the announcement
  // (the claim on `announcedAt` makes applying the move again announce nothing twice).
  (deps.phaseEvents ?? events).on('challenge.phase_changed', async ({ challengeId, to }) => {
    if (to !== 'decided') return;
    const challenge = await catalog.get(challengeId);
    if (!challenge || challenge.prizes.length === 0) return;
    const saved = await Winners.findById(challengeId).lean();
    const system = { actor: null, byName: 'Cocreate' };
    // Announced already (by hand before the move, or by this move applied before a stop): what
    // the announcement had not yet moved is moved now.
    if (saved?.announcedAt) return settle(system, saved.awards as Award[], await judging.shortlistIds(challengeId));
    const awards = awardsOf(challenge, (await rankingOf(challenge)).rows, saved?.awards?.length ? (saved.awards as Award[]) : undefined);
    await publish(system, challenge, awards, 'The challenge reached its results');
  });

  return {
    /** Staff's page: the ranking, the tiers as chosen (or by rank), and whether they are locked. */
    async page(actor: Actor, challengeId: string) {
      const challenge = await managed(actor, challengeId);
      const { rows } = await ranking(actor, challenge.id);
      const saved = await Winners.findById(challenge.id).lean();
      const awards = awardsOf(challenge, rows, saved?.awards as Award[] | undefined);
      const tierOf = new Map(awards.filter((award) => award.ideaId).map((award) => [award.ideaId!, award.tier]));
      const appeals = await Promise.all(rows.map((row) => Appeal.findById(row.ideaId, { answer: 1 }).lean()));
      const announced = Boolean(saved?.announcedAt);
      const locked = announced || phaseIndex(challenge.phase) >= phaseIndex('decided');
      return {
        challenge,
        rows: rows.map((row) => ({
          ...row,
          rawMean: row.rawMean == null ? null : roundTo(row.rawMean, 1),
          calibratedScore: row.calibratedScore == null ? null : roundTo(row.calibratedScore, 1),
          tier: tierOf.get(row.ideaId) ?? '',
        })),
        tiers: awards.map((award, index) => ({ ...award, index, prize: challenge.prizes[index]?.text ?? '', expected: atPlace(rows, index) ?? null })),
        announced,
        locked,
        // Moved to results by hand or by the schedule, without an announcement: an admin announces late.
        lockedUnannounced: locked && !announced,
        announcedAt: saved?.announcedAt ?? null,
        unansweredAppeals: appeals.filter((appeal) => appeal && !appeal.answer).length,
        canChange: !locked || isAdmin(actor),
        canAnnounce: !locked && nextPhase(challenge.phase, challenge) === 'decided',
      };
    },

    /**
     * Saves the tiers. Before the results staff may; from `decided` on they are locked and only
     * an admin changes them, with a reason: the ideas' statuses follow, and it is audited. (When
     * the challenge reached `decided` without an announcement, the admin's save announces them.)
     */
    async save(actor: Actor, challengeId: string, input: WinnersInput): Promise<void> {
      const challenge = await managed(actor, challengeId);
      if (phaseIndex(challenge.phase) < phaseIndex('judging')) throw new Conflict(message('judging.refusal.winnersNotYet'));
      const saved = await Winners.findById(challenge.id).lean();
      const announced = Boolean(saved?.announcedAt);
      const locked = announced || phaseIndex(challenge.phase) >= phaseIndex('decided');
      if (locked && !isAdmin(actor)) throw new Forbidden(message('judging.refusal.winnersLocked'));
      if (locked && !input.reason) throw new Invalid({ reason: message('judging.refusal.sayWhy') });
      const { rows } = await ranking(actor, challenge.id);
      const awards = validate(challenge, rows, input.choices);
      const before = (saved?.awards ?? []) as Award[];
      await store(challenge.id, { awards });
      const reasons = awards.filter((award) => award.reason).map((award) => `${award.tier}: ${award.reason}`);
      if (!locked) {
        await recordAudit(actor, { action: 'winners.assigned', targetType: 'challenge', targetId: challenge.id, targetLabel: challenge.title, before, after: awards, reason: reasons.join('; ') });
        return;
      }
      if (!announced) {
        await publish({ actor }, challenge, awards, [input.reason, ...reasons].join('; '));
        return;
      }
      const kept = new Set(awards.map((award) => award.ideaId).filter(Boolean));
      for (const award of before) if (award.ideaId && !kept.has(award.ideaId)) await lifecycle.uncrown({ actor }, award.ideaId, input.reason);
      const previously = new Set(before.map((award) => award.ideaId).filter(Boolean));
      for (const award of awards) if (award.ideaId && !previously.has(award.ideaId)) await lifecycle.crown({ actor }, award.ideaId, award.tier);
      await recordAudit(actor, {
        action: 'winners.changed',
        targetType: 'challenge',
        targetId: challenge.id,
        targetLabel: challenge.title,
        before,
        after: awards,
        reason: [input.reason, ...reasons].join('; '),
      });
    },

    /** Refuses choices that saving or announcing would refuse: checked before staff are asked to confirm an announcement. */
    async check(actor: Actor, challengeId: string, input: WinnersInput): Promise<void> {
      const challenge = await managed(actor, challengeId);
      validate(challenge, (await ranking(actor, challenge.id)).rows, input.choices);
    },

    /** Announces the winners: the challenge moves to decided, winners win, every shortlisted author is told. */
    async announce(actor: Actor, challengeId: string, input: WinnersInput): Promise<void> {
      const challenge = await managed(actor, challengeId);
      const saved = await Winners.findById(challenge.id).lean();
      const decidedNext = nextPhase(challenge.phase, challenge) === 'decided';
      // Announced, but the move to decided never followed (the process stopped in between): this
      // makes the move, and the move's consumer finishes what the announcement had not.
      if (saved?.announcedAt && decidedNext) return challenges.movePhase(actor, challenge.id, 'decided', '');
      if (saved?.announcedAt) throw new Conflict(message('judging.refusal.announcedOn', { date: saved.announcedAt }));
      if (!decidedNext) {
        throw new Conflict(message(challenge.phase === 'judging' ? 'judging.refusal.afterAppeals' : 'judging.refusal.afterJudging'));
      }
      const { rows } = await ranking(actor, challenge.id);
      const awards = validate(challenge, rows, input.choices);
      // Announced before the move, so the move to decided finds them announced; of two
      // announcements at once, the first to mark them announced goes ahead.
      const reasons = awards.filter((award) => award.reason).map((award) => `${award.tier}: ${award.reason}`);
      if (!(await publish({ actor }, challenge, awards, reasons.join('; ')))) throw new Conflict(message('judging.refusal.justAnnounced'));
      // No reason of its own: the phase's name (in each follower's language) says what happened.
      await challenges.movePhase(actor, challenge.id, 'decided', '');
    },

    /** Whether the challenge's winners have been announced. */
    async announced(challengeId: string): Promise<boolean> {
      return Boolean((await Winners.findById(challengeId).lean())?.announcedAt);
    },

    /** The challenge page's results, once announced: public to whoever sees the challenge. */
    async results(actor: MaybeActor, challenge: ChallengeView) {
      if (phaseIndex(challenge.phase) < phaseIndex('decided')) return null;
      const saved = await Winners.findById(challenge.id).lean();
      if (!saved?.announcedAt) return null;
      const awards = await Promise.all(
        (saved.awards as Award[]).map(async (award, index) => {
          const idea = award.ideaId ? await Idea.findById(award.ideaId).lean() : null;
          if (!idea) return { tier: award.tier, prize: challenge.prizes[index]?.text ?? '', idea: null };
          if (idea.hidden)
            return { tier: award.tier, prize: challenge.prizes[index]?.text ?? '', idea: { id: award.ideaId, title: message('judging.winners.hiddenIdea'), link: false, authors: [] as string[] } };
          const access = accessOf(idea);
          const people = await directory.people([access.authorId, ...access.coAuthors.filter((c) => c.status === 'accepted').map((c) => c.userId)]);
          return {
            tier: award.tier,
            prize: challenge.prizes[index]?.text ?? '',
            // Winners are announced publicly; the link opens only for those who may read the idea (sealed challenges).
            idea: { id: award.ideaId, title: idea.title, link: canSeeIdea(actor, accessOf(idea), challenge), authors: [...people.values()].map((person) => person.name) },
          };
        }),
      );
      return { announcedAt: saved.announcedAt, awards };
    },
  };
}

export type WinnersService = ReturnType<typeof createWinners>;
