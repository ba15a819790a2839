import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { acquireLease } from '../../db/lease.ts';
import type { Logger } from '../../shared/logger.ts';
import { deleteAuditEntriesBefore } from '../audit/audit.service.ts';
import type { Notifications } from '../notifications/notifications.service.ts';
import { DataExport } from './data-export.model.ts';

const LEASE = 'retention';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Days to keep audit entries and notifications; 0 keeps them for ever. */
export type RetentionSettings = { auditDays: number; notificationDays: number };

/** Deletes what has outlived its retention, and download archives past their link's expiry. */
export async function applyRetention(settings: RetentionSettings, notifications: Pick<Notifications, 'deleteNotificationsBefore'>, now = new Date()) {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const audit = settings.auditDays > 0 ? await deleteAuditEntriesBefore(before(settings.auditDays)) : 0;
  const notices = settings.notificationDays > 0 ? await notifications.deleteNotificationsBefore(before(settings.notificationDays)) : 0;
  const archives = (await DataExport.deleteMany({ expiresAt: mongoose.trusted({ $lt: now }) })).deletedCount;
  return { audit, notifications: notices, archives };
}

/**
 * Applies retention every `intervalMs` (an hour by default). Every process ticks; only the
 * lease holder deletes, so several processes do the work once.
 */
export function startRetentionScheduler(options: { settings: RetentionSettings; notifications: Pick<Notifications, 'deleteNotificationsBefore'>; logger: Logger; intervalMs?: number }): () => void {
  const holder = randomUUID();
  const intervalMs = options.intervalMs ?? 60 * 60 * 1000;
  const tick = async () => {
    if (!(await acquireLease(LEASE, holder, intervalMs * 2))) return;
    const removed = await applyRetention(options.settings, options.notifications);
    if (removed.audit + removed.notifications + removed.archives > 0) options.logger.info(removed, 'retention applied');
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => options.logger.error({ err: error }, 'applying retention failed'));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
