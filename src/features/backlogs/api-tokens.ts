import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../shared/actor.ts';
import { Forbidden, NotFound, Unauthenticated } from '../../shared/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { ApiToken } from './api-token.model.ts';
import type { Backlogs } from './backlogs.service.ts';
import { canMoveItems } from './backlogs.policy.ts';
import { message } from '../../i18n/i18n.ts';

const PREFIX = 'cct_';
const TOKEN_SHAPE = /^cct_[A-Za-z0-9_-]{43}$/;
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export type ApiTokenView = { id: string; label: string; createdAt: Date; createdByName: string; revokedAt: Date | null; lastUsedAt: Date | null };

/**
 * Per-backlog API tokens for trackers (Jira, Linear…) to report an item's status. Whoever may move
 * the backlog's items by hand may hand that power to a tracker, and take it back.
 */
export function createApiTokens({ backlogs }: { backlogs: Backlogs }) {
  async function managed(actor: Actor, backlogId: string) {
    const backlog = await backlogs.get(backlogId);
    if (!canMoveItems(actor, backlog)) throw new Forbidden(message('backlogs.refusal.tokens'));
    return backlog;
  }

  return {
    managed,

    /** Tokens are a few per backlog: listing them scans a small collection. */
    async list(actor: Actor, backlogId: string): Promise<ApiTokenView[]> {
      await managed(actor, backlogId);
      const tokens = await ApiToken.find({ backlogId }).sort({ createdAt: -1 }).lean();
      return tokens.map((token) => ({
        id: token._id,
        label: token.label,
        createdAt: token.createdAt,
        createdByName: token.createdByName,
        revokedAt: token.revokedAt ?? null,
        lastUsedAt: token.lastUsedAt ?? null,
      }));
    },

    /** Returns the token itself, which is shown once and never stored. */
    async create(actor: Actor, backlogId: string, label: string): Promise<{ token: string }> {
      const backlog = await managed(actor, backlogId);
      const token = PREFIX + randomBytes(32).toString('base64url');
      const id = hashOf(token);
      await ApiToken.create({ _id: id, backlogId, label, createdByName: actor.name });
      await recordAudit(actor, { action: 'backlog.api_token_created', targetType: 'backlog', targetId: backlogId, targetLabel: backlog.name, after: { label, tokenId: id.slice(0, 12) } });
      return { token };
    },

    async revoke(actor: Actor, backlogId: string, tokenId: string) {
      const backlog = await managed(actor, backlogId);
      const token = typeof tokenId === 'string' && /^[0-9a-f]{64}$/.test(tokenId) ? await ApiToken.findById(tokenId).lean() : null;
      if (!token || token.backlogId !== backlogId) throw new NotFound(message('backlogs.refusal.noToken'));
      const result = await ApiToken.updateOne({ _id: tokenId, revokedAt: null }, { $set: { revokedAt: new Date() } });
      if (result.modifiedCount === 1) {
        await recordAudit(actor, {
          action: 'backlog.api_token_revoked',
          targetType: 'backlog',
          targetId: backlogId,
          targetLabel: backlog.name,
          before: { label: token.label, tokenId: tokenId.slice(0, 12) },
        });
      }
      return { label: token.label };
    },

    /**
     * The token of an `Authorization: Bearer …` header, if it is this backlog's and not revoked.
     * Every refusal reads the same, so a caller learns nothing about other backlogs' tokens.
     */
    async authenticate(backlogId: string, authorization: string | undefined): Promise<{ label: string }> {
      const refused = new Unauthenticated(message('backlogs.api.tokenRequired'));
      const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
      if (!token || !TOKEN_SHAPE.test(token)) throw refused;
      const stored = await ApiToken.findById(hashOf(token)).lean();
      if (!stored || stored.revokedAt || stored.backlogId !== backlogId) throw refused;
      await ApiToken.updateOne({ _id: stored._id }, { $set: { lastUsedAt: new Date() } });
      return { label: stored.label };
    },
  };
}

export type ApiTokens = ReturnType<typeof createApiTokens>;
