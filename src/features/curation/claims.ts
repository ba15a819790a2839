import mongoose from 'mongoose';
import { CONVERGENCE_BOUND_MS } from '../../cluster/change-log.ts';
import type { Actor } from '../../shared/actor.ts';
import { isDuplicateKeyError } from '../../shared/errors.ts';
import type { IdeaBoard } from '../ideas/idea-board.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { Claim, CLAIM_MS } from './claim.model.ts';

export type ClaimState = { mine: true; expiresAt: Date } | { mine: false; holderName: string; since: Date; expiresAt: Date };

/** A claim as the queue and "next idea" read it. `queuedAt`: the round of the queue it was made in (null: made before rounds were kept). */
export type HeldClaim = { holderId: string; holderName: string; since: Date; expiresAt: Date; queuedAt: Date | null };

/** The idea a claim is on: which challenge, and since when it waits in the queue (the round a claim holds). */
export type ClaimTarget = { ideaId: string; challengeId: string; queuedAt: Date };

/** Made in an earlier round of the queue than `queuedAt` (the idea was decided, and resubmitted since); a claim kept from before rounds were recorded counts as of the current one. */
const earlierRound = (claim: { queuedAt?: Date | null }, queuedAt: Date) => (claim.queuedAt?.getTime() ?? queuedAt.getTime()) < queuedAt.getTime();

/**
 * Who is screening what, so that two copilots do not read and answer the same idea. A claim holds
 * the idea while it waits in the round of the queue it was made in: a decision ends it without a
 * write (the idea leaves the queue; a resubmission starts a new round), and claims that hold
 * nothing any more are swept in one write when the claims are next read.
 */
export function createClaims(deps: { board: IdeaBoard }) {
  const { board } = deps;

  /**
   * Whether the claim no longer holds its idea: lapsed, made before the idea's latest round in the
   * queue, or made in that round and the idea decided since. An idea this process's board does not
   * know yet, or knows only as it was before the claim's round (another process moved it since),
   * keeps the claim: a claim is never ended on a board that is behind.
   */
  async function ended(ideaId: string, claim: { expiresAt: Date; queuedAt?: Date | null }, now: Date): Promise<boolean> {
    if (claim.expiresAt <= now) return true;
    const card = await board.card(ideaId);
    if (!card) return false;
    const round = claim.queuedAt?.getTime() ?? card.queuedAt.getTime();
    const current = card.queuedAt.getTime();
    return round < current || (round === current && card.status !== 'submitted');
  }

  async function tryCreate(actor: Actor, target: ClaimTarget, now: Date): Promise<boolean> {
    try {
      const { ideaId, challengeId, queuedAt } = target;
      await Claim.create({ _id: ideaId, challengeId, holderId: actor.id, holderName: actor.name, since: now, expiresAt: new Date(now.getTime() + CLAIM_MS), queuedAt });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /**
   * Live claims of a challenge, by idea. Claims are few (one per idea being read, gone five
   * minutes after), so reading them by challenge is a scan of a small collection; those that hold
   * nothing any more are deleted here, each conditional on the claim as read (its expiry), in one write.
   */
  async function liveClaims(challengeId: string): Promise<Map<string, HeldClaim>> {
    const now = new Date();
    const claims = await Claim.find({ challengeId: new mongoose.Types.ObjectId(challengeId) }).lean();
    const live = await Promise.all(claims.map(async (claim) => !(await ended(claim._id, claim, now))));
    const gone = claims.filter((_, index) => !live[index]);
    if (gone.length) await Claim.deleteMany({ $or: gone.map((claim) => ({ _id: claim._id, expiresAt: claim.expiresAt })) });
    return new Map(
      claims
        .filter((_, index) => live[index])
        .map((claim) => [claim._id, { holderId: String(claim.holderId), holderName: claim.holderName, since: claim.since, expiresAt: claim.expiresAt, queuedAt: claim.queuedAt ?? null }]),
    );
  }

  async function claimOnce(actor: Actor, target: ClaimTarget, options: { takeOver?: boolean }): Promise<{ state: ClaimState; held: HeldClaim | null }> {
    const { ideaId, queuedAt } = target;
    const now = new Date();
    const expiresAt = new Date(now.getTime() + CLAIM_MS);
    const mine = (since: Date) => ({ state: { mine: true as const, expiresAt }, held: { holderId: actor.id, holderName: actor.name, since, expiresAt, queuedAt } });
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await tryCreate(actor, target, now)) return mine(now);
      const held = await Claim.findById(ideaId).lean();
      if (!held) continue;
      if (String(held.holderId) === actor.id) {
        await Claim.updateOne({ _id: ideaId, holderId: actor.id }, { $set: { expiresAt, queuedAt } });
        return mine(held.since);
      }
      if (held.expiresAt <= now || earlierRound(held, queuedAt)) {
        // Conditional on the claim as read: of two copilots replacing it at once, one succeeds.
        await Claim.deleteOne({ _id: ideaId, expiresAt: held.expiresAt });
        continue;
      }
      const other = { holderId: String(held.holderId), holderName: held.holderName, since: held.since, expiresAt: held.expiresAt, queuedAt: held.queuedAt ?? null };
      if (!options.takeOver) return { state: { mine: false, holderName: held.holderName, since: held.since, expiresAt: held.expiresAt }, held: other };
      const taken = await Claim.updateOne({ _id: ideaId, holderId: held.holderId }, { $set: { holderId: actor.id, holderName: actor.name, since: now, expiresAt, queuedAt } });
      if (taken.modifiedCount === 1) {
        await recordAudit(actor, { action: 'curation.claim_taken_over', targetType: 'idea', targetId: ideaId, before: { holder: held.holderName }, after: { holder: actor.name } });
        return mine(now);
      }
    }
    const held = await Claim.findById(ideaId).lean();
    if (!held) return mine(now);
    return {
      state: { mine: false, holderName: held.holderName, since: held.since, expiresAt: held.expiresAt },
      held: { holderId: String(held.holderId), holderName: held.holderName, since: held.since, expiresAt: held.expiresAt, queuedAt: held.queuedAt ?? null },
    };
  }

  // Each challenge's live claims, read (a scan) at most once per CONVERGENCE_BOUND_MS: the queue
  // page shows them, and choosing the next idea for a copilot skips those others hold, without a
  // read per choice. This process's own claims and releases show at once, also in a read that
  // was under way when they were made; another process's within the bound (a copilot sent to an
  // idea just taken there meets the claim on its page, which the claim itself decides).
  type Loaded = { at: number; claims: Promise<Map<string, HeldClaim>> };
  const loaded = new Map<string, Loaded>();
  let changedHere: Array<{ at: number; challengeId: string; ideaId: string; held: HeldClaim | null }> = [];
  const apply = (claims: Map<string, HeldClaim>, change: { ideaId: string; held: HeldClaim | null }) => (change.held ? claims.set(change.ideaId, change.held) : claims.delete(change.ideaId));

  function held(challengeId: string): Promise<Map<string, HeldClaim>> {
    const now = Date.now();
    const current = loaded.get(challengeId);
    if (current && now - current.at < CONVERGENCE_BOUND_MS) return current.claims;
    const entry: Loaded = {
      at: now,
      claims: liveClaims(challengeId).then((claims) => {
        for (const change of changedHere) if (change.challengeId === challengeId && change.at >= now) apply(claims, change);
        return claims;
      }),
    };
    loaded.set(challengeId, entry);
    entry.claims.catch(() => loaded.get(challengeId) === entry && loaded.delete(challengeId));
    return entry.claims;
  }

  function changed(challengeId: string, ideaId: string, claim: HeldClaim | null): void {
    const now = Date.now();
    changedHere = changedHere.filter((change) => now - change.at < CONVERGENCE_BOUND_MS);
    const change = { at: now, challengeId, ideaId, held: claim };
    changedHere.push(change);
    void loaded.get(challengeId)?.claims.then(
      (claims) => apply(claims, change),
      () => undefined,
    );
  }

  /** Live claims of the challenge as this process knows them; lapsed and ended ones are passed by. */
  async function liveOf(challengeId: string): Promise<Map<string, HeldClaim>> {
    const now = new Date();
    const all = await held(challengeId);
    const live = await Promise.all([...all].map(async ([ideaId, claim]) => ((await ended(ideaId, claim, now)) ? null : ([ideaId, claim] as const))));
    return new Map(live.filter((entry) => entry !== null));
  }

  return {
    /**
     * Claims the idea for the actor (or extends their claim). A lapsed or ended claim is replaced;
     * a live one of someone else's is reported, or taken over when asked to (audited).
     */
    async claim(actor: Actor, target: ClaimTarget, options: { takeOver?: boolean } = {}): Promise<ClaimState> {
      const { state, held: now } = await claimOnce(actor, target, options);
      changed(target.challengeId, target.ideaId, now);
      return state;
    },

    /** Frees the actor's claim (when they skip the idea, or leave it without deciding). */
    async release(actor: Actor, challengeId: string, ideaId: string): Promise<void> {
      const released = await Claim.deleteOne({ _id: ideaId, holderId: actor.id });
      if (released.deletedCount === 1) changed(challengeId, ideaId, null);
    },

    /** The challenge's live claims by idea, as recent as CONVERGENCE_BOUND_MS (this process's own at once). */
    liveClaims: liveOf,
  };
}

export type Claims = ReturnType<typeof createClaims>;
