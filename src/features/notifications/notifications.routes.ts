import { Router } from 'express';
import { actorOf, requireSignIn, safeReturnTo } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import type { Notifications } from './notifications.service.ts';

export function notificationsRoutes({ notifications }: { notifications: Notifications }): Router {
  const router = Router();
  router.use('/notifications', requireSignIn);

  router.get('/notifications', async (req, res) => {
    const before = Number(req.query.before);
    const page = await notifications.inbox(actorOf(req), Number.isInteger(before) && before > 0 ? before : undefined);
    res.render('notifications/inbox', { title: 'Notifications', ...page });
  });

  router.post('/notifications/read-all', async (req, res) => {
    await notifications.markAllRead(actorOf(req));
    await redirectWithNotice(req, res, '/notifications', 'success', 'All notifications are marked read.');
  });

  // Opening one marks it read, then goes where it points (always a path on this site).
  router.post('/notifications/:seq/open', async (req, res) => {
    const seq = Number(req.params.seq);
    const link = Number.isInteger(seq) && seq > 0 ? await notifications.open(actorOf(req), seq) : '/notifications';
    res.redirect(303, safeReturnTo(link));
  });

  return router;
}
