import type { createApp } from './app.ts';
import type { Config } from './config.ts';
import { startPhaseScheduler } from './features/challenges/phase-scheduler.ts';
import { startRetentionScheduler } from './features/privacy/retention.ts';
import type { Logger } from './shared/logger.ts';
import { removeExpiredSessions } from './web/session.ts';

const SESSION_CLEANUP_MS = 10 * 60 * 1000;
const DIGEST_CHECK_MS = 10 * 60 * 1000;
const DIGEST_HOUR_UTC = 7;

/**
 * What a serving process runs on timers besides its requests (the change log's tail and the
 * outbox start with the app): phase moves, retention, webhook deliveries, daily digests, expired
 * sessions. In one place so that the server and the load benchmark (scripts/bench/app-server.ts)
 * run the same. Returns the stop, which lets a webhook delivery under way finish.
 */
export function startBackgroundWork(deps: { services: ReturnType<typeof createApp>['services']; config: Config; logger: Logger }): () => Promise<void> {
  const { services, config, logger } = deps;
  const stopScheduler = startPhaseScheduler({ challenges: services.challenges, logger });
  const stopRetention = startRetentionScheduler({ settings: config.retention, notifications: services.notifications, logger });
  const stopWebhooks = services.webhooks.startWorker();
  const digests = setInterval(() => {
    // Daily digests go out from 07:00 UTC; the first process to claim the day sends them.
    if (new Date().getUTCHours() < DIGEST_HOUR_UTC) return;
    services.notifications.runDailyDigests().catch((error: unknown) => logger.error({ err: error }, 'daily digests failed'));
  }, DIGEST_CHECK_MS);
  const cleanup = setInterval(() => {
    removeExpiredSessions().catch((error: unknown) => logger.warn({ err: error }, 'session cleanup failed'));
  }, SESSION_CLEANUP_MS);
  for (const timer of [digests, cleanup]) timer.unref();
  return async () => {
    clearInterval(cleanup);
    clearInterval(digests);
    stopScheduler();
    stopRetention();
    await stopWebhooks();
  };
}
