import mongoose from 'mongoose';
import { CONVERGENCE_BOUND_MS } from '../../cluster/change-log.ts';
import type { Actor } from '../../shared/actor.ts';
import { isDuplicateKeyError } from '../../shared/errors.ts';
import { createKeyedCache } from '../../shared/keyed-cache.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { Claim, CLAIM_MS } from './claim.model.ts';

export type ClaimState = { mine: true; expiresAt: Date } | { mine: false; holderName: string; since: Date; expiresAt: Date };

/** Who is screening what, so that two copilots do not read and answer the same idea. */
export function createClaims() {
  async function tryCreate(actor: Actor, ideaId: string, challengeId: string, now: Date): Promise<boolean> {
    try {
      await Claim.create({ _id: ideaId, challengeId, holderId: actor.id, holderName: actor.name, since: now, expiresAt: new Date(now.getTime() + CLAIM_MS) });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /**
   * Live claims of a challenge, by idea. Claims are few (one per idea being read, gone after five
   * minutes), so reading them by challenge is a scan of a small collection; lapsed ones are swept here.
   */
  async function activeClaims(challengeIds: string[]): Promise<Map<string, { holderId: string; holderName: string; since: Date }>> {
    if (challengeIds.length === 0) return new Map();
    const now = new Date();
    const claims = await Claim.find({ challengeId: mongoose.trusted({ $in: challengeIds.map((id) => new mongoose.Types.ObjectId(id)) }) }).lean();
    const lapsed = claims.filter((claim) => claim.expiresAt <= now);
    if (lapsed.length) await Claim.deleteMany({ _id: mongoose.trusted({ $in: lapsed.map((claim) => claim._id) }), expiresAt: mongoose.trusted({ $lte: now }) });
    return new Map(claims.filter((claim) => claim.expiresAt > now).map((claim) => [claim._id, { holderId: String(claim.holderId), holderName: claim.holderName, since: claim.since }]));
  }

  async function claimOnce(actor: Actor, ideaId: string, challengeId: string, options: { takeOver?: boolean }): Promise<ClaimState> {
    const now = new Date();
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await tryCreate(actor, ideaId, challengeId, now)) return { mine: true, expiresAt: new Date(now.getTime() + CLAIM_MS) };
      const held = await Claim.findById(ideaId).lean();
      if (!held) continue;
      const expiresAt = new Date(now.getTime() + CLAIM_MS);
      if (String(held.holderId) === actor.id) {
        await Claim.updateOne({ _id: ideaId, holderId: actor.id }, { $set: { expiresAt } });
        return { mine: true, expiresAt };
      }
      if (held.expiresAt <= now) {
        // Conditional on the lapsed expiry: of two copilots replacing it at once, one succeeds.
        await Claim.deleteOne({ _id: ideaId, expiresAt: held.expiresAt });
        continue;
      }
      if (!options.takeOver) return { mine: false, holderName: held.holderName, since: held.since, expiresAt: held.expiresAt };
      const taken = await Claim.updateOne({ _id: ideaId, holderId: held.holderId }, { $set: { holderId: actor.id, holderName: actor.name, since: now, expiresAt } });
      if (taken.modifiedCount === 1) {
        await recordAudit(actor, { action: 'curation.claim_taken_over', targetType: 'idea', targetId: ideaId, before: { holder: held.holderName }, after: { holder: actor.name } });
        return { mine: true, expiresAt };
      }
    }
    const held = await Claim.findById(ideaId).lean();
    return held ? { mine: false, holderName: held.holderName, since: held.since, expiresAt: held.expiresAt } : { mine: true, expiresAt: new Date(now.getTime() + CLAIM_MS) };
  }

  /**
   * The first of `ideaIds`, in their order, that no one but the actor holds (a lapsed claim holds
   * nothing), read by _id: the claims scan cost every decision's "next item" a read of the whole
   * collection on the embedded engine. The first is nearly always free; when it is not, larger
   * batches follow, and since each held idea has its own claim, the lookups stay within the live
   * claims plus one batch.
   */
  async function firstFree(actor: Actor, ideaIds: readonly string[]): Promise<string | undefined> {
    const now = new Date();
    for (let start = 0, size = 1; start < ideaIds.length; start += size, size = Math.min(size * 4, 64)) {
      const batch = ideaIds.slice(start, start + size);
      const held = await Promise.all(batch.map((ideaId) => Claim.findById(ideaId, { holderId: 1, expiresAt: 1 }).lean()));
      const free = held.findIndex((claim) => !claim || claim.expiresAt <= now || String(claim.holderId) === actor.id);
      if (free >= 0) return batch[free];
    }
    return undefined;
  }

  // What the queue page shows beside each idea: read (a scan) once per CONVERGENCE_BOUND_MS per
  // challenge, and again at once after any claim changes here. Choosing the next idea reads afresh (firstFree).
  const shown = createKeyedCache((challengeId: string) => activeClaims([challengeId]), { ttlMs: CONVERGENCE_BOUND_MS, maxKeys: 1_000 });

  return {
    /**
     * Claims the idea for the actor (or extends their claim). A lapsed claim is replaced; a live one
     * of someone else's is reported, or taken over when asked to (audited).
     */
    async claim(actor: Actor, ideaId: string, challengeId: string, options: { takeOver?: boolean } = {}): Promise<ClaimState> {
      try {
        return await claimOnce(actor, ideaId, challengeId, options);
      } finally {
        shown.clear();
      }
    },

    /** Frees the actor's claim (after a decision, or when they skip the idea). */
    async release(actor: Actor, ideaId: string): Promise<void> {
      await Claim.deleteOne({ _id: ideaId, holderId: actor.id });
      shown.clear();
    },

    /** Ends any claim on the idea, whoever holds it (the idea was decided). */
    async end(ideaId: string): Promise<void> {
      await Claim.deleteOne({ _id: ideaId });
      shown.clear();
    },

    firstFree,

    /** The same for the queue page, as recent as CONVERGENCE_BOUND_MS. */
    shownClaims: (challengeId: string) => shown.get(challengeId),
  };
}

export type Claims = ReturnType<typeof createClaims>;
