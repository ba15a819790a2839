import { Router } from 'express';
import type { Mailer } from './mailer.ts';

/** Development only: the messages the platform would have emailed, since no SMTP server is set. */
export function outboxRoutes(mailer: Mailer): Router {
  const router = Router();
  router.get('/dev/outbox', (_req, res) => {
    res.render('dev/outbox', { title: 'Development outbox', messages: mailer.outbox() });
  });
  return router;
}
