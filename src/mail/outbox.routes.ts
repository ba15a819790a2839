import { Router } from 'express';
import { fromThisMachineOnly } from '../web/loopback.ts';
import type { Mailer } from './mailer.ts';

/**
 * Development only: the messages the platform would have emailed, since no SMTP server is set.
 * They hold every password-reset link, so only a browser on this machine may read them.
 */
export function outboxRoutes(mailer: Mailer): Router {
  const router = Router();
  router.get('/dev/outbox', fromThisMachineOnly, (_req, res) => {
    res.render('dev/outbox', { title: 'Development outbox', messages: mailer.outbox() });
  });
  return router;
}
