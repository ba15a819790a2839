import { message } from '../../i18n/i18n.ts';
import { Router } from 'express';
import { z } from 'zod';
import { Forbidden, Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { formView } from '../../web/error-handler.ts';
import { viewAsSignedOut } from '../../web/locals.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import { canEraseAccount } from './privacy.policy.ts';
import type { Privacy } from './privacy.service.ts';

const confirmInput = z.object({ confirmEmail: z.string().trim().toLowerCase().max(320) });
const adminEraseInput = z.object({ reason: z.string().trim().min(1, 'admin.erase.reasonNeeded').max(500) });

/** "Download my data" and "Delete my account", and an admin's erasure on request. */
export function privacyRoutes({ privacy }: { privacy: Privacy }): Router {
  const router = Router();

  router.get('/account/data', requireSignIn, async (req, res) => {
    const current = await privacy.exportStatus(actorOf(req));
    // The page reloads itself while the archive is built (no script needed); the progress bar shows how far.
    if (current?.status === 'building') res.set('Refresh', '2');
    res.render('accounts/my-data', { title: message('privacy.data.title'), current, building: current?.status === 'building' });
  });
  router.post('/account/data', requireSignIn, async (req, res) => {
    await privacy.requestExport(actorOf(req));
    await redirectWithNotice(req, res, '/account/data', 'info', message('accountLinks.privacy.gathering'));
  });
  router.get('/account/data/download', requireSignIn, async (req, res) => {
    const archive = await privacy.downloadExport(actorOf(req), String(req.query.key ?? ''));
    res.attachment('cocreate-my-data.json').type('application/json').set('Cache-Control', 'no-store').send(archive);
  });

  router.get('/account/delete', requireSignIn, (req, res) => {
    const actor = actorOf(req);
    res.render('accounts/delete-account', { title: message('privacy.erase.title'), allowed: canEraseAccount(actor, actor.id), values: {}, errors: {} });
  });
  router.post('/account/delete', requireSignIn, formView('accounts/delete-account', message('privacy.erase.title')), async (req, res) => {
    const actor = actorOf(req);
    res.locals.allowed = canEraseAccount(actor, actor.id);
    const { confirmEmail } = parseInput(confirmInput, req.body);
    if (confirmEmail !== actor.email.toLowerCase()) throw new Invalid({ confirmEmail: message('accountLinks.privacy.confirmMismatch') });
    await privacy.eraseAccount(actor, actor.id);
    // Every session of theirs has ended, this one too: the page is rendered without one.
    viewAsSignedOut(res);
    res.render('accounts/account-deleted', { title: message('accountLinks.deleted.title') });
  });

  router.get('/admin/users/:id/erase', requireSignIn, (req, res) => {
    if (!canEraseAccount(actorOf(req), String(req.params.id)) || actorOf(req).id === req.params.id) throw new Forbidden();
    res.render('admin/erase-user', { title: message('admin.erase.title'), userId: req.params.id, values: {}, errors: {} });
  });
  router.post('/admin/users/:id/erase', requireSignIn, formView('admin/erase-user', message('admin.erase.title')), async (req, res) => {
    res.locals.userId = req.params.id;
    // One's own account is deleted from the account page, with its confirmation.
    if (actorOf(req).id === req.params.id) throw new Forbidden();
    const { reason } = parseInput(adminEraseInput, req.body);
    await privacy.eraseAccount(actorOf(req), String(req.params.id), reason);
    await redirectWithNotice(req, res, '/admin/users', 'success', message('admin.erase.done'));
  });

  return router;
}
