import { randomBytes } from 'node:crypto';
import type { Actor } from '../../shared/actor.ts';
import { Forbidden, Invalid, NotFound } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import type { Logger } from '../../shared/logger.ts';
import { DELETED_USER, type ErasedPerson } from '../../shared/personal-data.ts';
import { accountData, eraseAccount } from '../accounts/personal-data.ts';
import { auditData, eraseAuditData } from '../audit/personal-data.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { eraseBacklogsData } from '../backlogs/personal-data.ts';
import { eraseChallengesData } from '../challenges/personal-data.ts';
import { communityData, eraseCommunityData } from '../community/personal-data.ts';
import { eraseCurationData } from '../curation/personal-data.ts';
import { eraseWebhooksData } from '../webhooks/personal-data.ts';
import { eraseOutboxData } from '../../cluster/outbox-personal-data.ts';
import { eraseIdeasData, ideasData } from '../ideas/personal-data.ts';
import { eraseInsightsData } from '../insights/personal-data.ts';
import { eraseJudgingData, judgingData } from '../judging/personal-data.ts';
import { eraseNotificationsData, notificationsData } from '../notifications/personal-data.ts';
import { DataExport } from './data-export.model.ts';
import { canEraseAccount } from './privacy.policy.ts';
import { message } from '../../i18n/i18n.ts';

/** How long a finished archive can be downloaded. */
export const EXPORT_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** A build that has not finished by then died with its process: a new request may start over. */
const STALE_BUILD_MS = 10 * 60 * 1000;

/** The archive's parts, each from the feature that stores it. */
const SECTIONS: Array<[string, (userId: string) => Promise<unknown>]> = [
  ['profile', accountData],
  ['ideas', ideasData],
  ['community', communityData],
  ['notifications', notificationsData],
  ['judging', judgingData],
  ['audit', auditData],
];

/** Every feature's eraser, the account last (the others find the person by the name and address it still holds). */
const ERASERS = [
  eraseIdeasData,
  eraseCommunityData,
  eraseNotificationsData,
  eraseJudgingData,
  eraseAuditData,
  eraseInsightsData,
  eraseCurationData,
  eraseBacklogsData,
  eraseWebhooksData,
  eraseOutboxData,
];

export type ExportStatus = { status: 'building' | 'ready' | 'failed'; done: number; total: number; key: string; expiresAt: Date | null };

export function createPrivacy(deps: {
  events: EventBus;
  logger: Logger;
  endSessionsOf: (userId: string) => Promise<void>;
  /** Reloads a challenge's cached copy in this process. */
  refreshChallenge: (challengeId: string) => Promise<unknown>;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  async function build(userId: string, key: string): Promise<void> {
    const archive: Record<string, unknown> = { generatedAt: now().toISOString(), userId };
    for (const [index, [name, collect]] of SECTIONS.entries()) {
      archive[name] = await collect(userId);
      await DataExport.updateOne({ _id: userId, key }, { $set: { done: index + 1 } });
    }
    await DataExport.updateOne({ _id: userId, key }, { $set: { status: 'ready', archive: JSON.stringify(archive, null, 2), expiresAt: new Date(now().getTime() + EXPORT_LIFETIME_MS) } });
  }

  return {
    /** Starts building the person's archive in the background (unless one is being built). */
    async requestExport(actor: Actor): Promise<void> {
      const current = await DataExport.findById(actor.id, { archive: 0 }).lean();
      if (current?.status === 'building' && current.startedAt.getTime() > now().getTime() - STALE_BUILD_MS) return;
      const key = randomBytes(24).toString('base64url');
      await DataExport.replaceOne({ _id: actor.id }, { _id: actor.id, key, status: 'building', done: 0, total: SECTIONS.length, startedAt: now(), expiresAt: null, archive: null }, { upsert: true });
      build(actor.id, key).catch(async (error: unknown) => {
        deps.logger.error({ err: error }, 'building a personal data archive failed');
        await DataExport.updateOne({ _id: actor.id, key }, { $set: { status: 'failed' } }).catch(() => undefined);
      });
    },

    async exportStatus(actor: Actor): Promise<ExportStatus | null> {
      const current = await DataExport.findById(actor.id, { archive: 0 }).lean();
      if (!current) return null;
      if (current.expiresAt && current.expiresAt.getTime() < now().getTime()) return null;
      return { status: current.status as ExportStatus['status'], done: current.done, total: current.total, key: current.key, expiresAt: current.expiresAt ?? null };
    },

    /** The archive's JSON, for its owner and with the key of the link, until it expires. */
    async downloadExport(actor: Actor, key: string): Promise<string> {
      const current = await DataExport.findById(actor.id).lean();
      if (!current || current.key !== key || current.status !== 'ready' || !current.archive) throw new NotFound(message('accountLinks.privacy.downloadInvalid'));
      if (!current.expiresAt || current.expiresAt.getTime() < now().getTime()) throw new NotFound(message('accountLinks.privacy.downloadExpired'));
      return current.archive;
    },

    /**
     * Erases a person: each feature removes or anonymises what it holds, the account becomes an
     * anonymous shell, and every session of theirs ends. An admin's erasure is audited (without the name).
     */
    async eraseAccount(actor: Actor, targetId: string, reason = ''): Promise<void> {
      if (!canEraseAccount(actor, targetId)) throw new Forbidden(message('accountLinks.privacy.mayNotDelete'));
      const profile = await accountData(targetId);
      if (!profile || profile.name === DELETED_USER) throw new NotFound(message('admin.user.noSuchUser'));
      const person: ErasedPerson = { userId: targetId, name: profile.name, email: profile.email };
      if (actor.id !== targetId && !reason.trim()) throw new Invalid({ reason: message('admin.erase.reasonNeeded') });
      for (const erase of ERASERS) await erase(person);
      for (const challengeId of await eraseChallengesData(person)) {
        await deps.refreshChallenge(challengeId);
        deps.events.emit('challenge.saved', { challengeId });
      }
      await DataExport.deleteOne({ _id: targetId });
      await eraseAccount(person);
      await deps.endSessionsOf(targetId);
      await recordAudit(actor.id === targetId ? null : actor, {
        action: 'user.erased',
        targetType: 'user',
        targetId,
        targetLabel: DELETED_USER,
        reason,
        byName: actor.id === targetId ? DELETED_USER : undefined,
      });
      deps.events.emit('user.profile_changed', { userId: targetId });
      deps.events.emit('user.suspended', { userId: targetId, suspended: true });
    },
  };
}

export type Privacy = ReturnType<typeof createPrivacy>;
