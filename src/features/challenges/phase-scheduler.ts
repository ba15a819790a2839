import { randomUUID } from 'node:crypto';
import { acquireLease } from '../../db/lease.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Challenges } from './challenges.service.ts';

const LEASE = 'phase-scheduler';

/**
 * Moves challenges whose phase start has come. Every app process ticks, but only the holder of
 * the lease does the work; the move itself is conditional on the current phase, so even two
 * holders (a lease that expired mid-tick) move a challenge once.
 */
export function startPhaseScheduler(options: { challenges: Challenges; logger: Logger; intervalMs?: number }): () => void {
  const holder = randomUUID();
  const intervalMs = options.intervalMs ?? 30_000;
  const tick = async () => {
    if (!(await acquireLease(LEASE, holder, intervalMs * 2))) return;
    const moves = await options.challenges.runScheduledMoves();
    if (moves > 0) options.logger.info({ moves }, 'scheduled phase moves');
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => options.logger.error({ err: error }, 'phase scheduler failed'));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
