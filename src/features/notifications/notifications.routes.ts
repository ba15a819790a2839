import { message } from '../../i18n/i18n.ts';
import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireSignIn, safeReturnTo } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import { DELIVERY_CHOICES, NOTIFICATION_KINDS } from './notification.model.ts';
import type { Notifications } from './notifications.service.ts';
import { readUnsubscribeToken } from './unsubscribe-token.ts';

// Each kind is optional: the form shows only the kinds this person can receive.
const preferencesInput = z.object(Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, z.enum(DELIVERY_CHOICES, { message: 'preferences.chooseOne' }).optional()])));

export function notificationsRoutes({ notifications, secret }: { notifications: Notifications; secret: string }): Router {
  const router = Router();
  router.use('/notifications', requireSignIn);

  router.get('/account/notifications', requireSignIn, async (req, res) => {
    res.render('notifications/preferences', {
      title: message('preferences.title'),
      kinds: await notifications.preferences(actorOf(req), { curates: Boolean(res.locals.curatesAny) }),
      choices: DELIVERY_CHOICES.map((value) => ({ value })),
    });
  });

  router.post('/account/notifications', requireSignIn, async (req, res) => {
    await notifications.setPreferences(actorOf(req), parseInput(preferencesInput, req.body));
    await redirectWithNotice(req, res, '/account/notifications', 'success', message('preferences.saved'));
  });

  // The link in every email: works without signing in; the signed token says who and what.
  router.get('/unsubscribe', (req, res) => {
    const token = String(req.query.token ?? '');
    const valid = readUnsubscribeToken(secret, token) !== null;
    res.status(valid ? 200 : 400).render('notifications/unsubscribe', { title: message('preferences.unsubscribe.title'), token, valid });
  });

  router.post('/unsubscribe', async (req, res) => {
    const token = String((req.body as { token?: unknown }).token ?? '');
    const target = readUnsubscribeToken(secret, token);
    if (!target) return res.status(400).render('notifications/unsubscribe', { title: message('preferences.unsubscribe.title'), token, valid: false });
    await notifications.unsubscribe(target.userId, target.kind);
    res.render('notifications/unsubscribed', { title: message('preferences.unsubscribe.done') });
  });

  router.get('/notifications', async (req, res) => {
    const before = Number(req.query.before);
    const page = await notifications.inbox(actorOf(req), Number.isInteger(before) && before > 0 ? before : undefined);
    res.render('notifications/inbox', { title: message('inbox.title'), ...page });
  });

  router.post('/notifications/read-all', async (req, res) => {
    await notifications.markAllRead(actorOf(req));
    await redirectWithNotice(req, res, '/notifications', 'success', message('inbox.allMarkedRead'));
  });

  // Opening one marks it read, then goes where it points (always a path on this site).
  router.post('/notifications/:seq/open', async (req, res) => {
    const seq = Number(req.params.seq);
    const link = Number.isInteger(seq) && seq > 0 ? await notifications.open(actorOf(req), seq) : '/notifications';
    res.redirect(303, safeReturnTo(link));
  });

  return router;
}
