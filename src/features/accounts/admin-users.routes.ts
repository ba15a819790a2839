import { message, type Text } from '../../i18n/i18n.ts';
import { Router, type Request, type Response } from 'express';
import { ROLES, type Actor } from '../../shared/actor.ts';
import { Forbidden, Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import { canChangeRoles, canSuspend, isManageableAccount, rolesActorMayChange } from './accounts.policy.ts';
import { changeRolesInput, suspendInput, userSearchInput } from './accounts.schemas.ts';
import type { AdminUsers } from './admin-users.service.ts';

/** Whether the actor is judging, blind, an idea by this user (their profile would reveal the author). */
type BlindCheck = (actor: Actor, userId: string) => Promise<boolean>;

export function adminUsersRoutes({ adminUsers, judgesAuthorBlind }: { adminUsers: AdminUsers; judgesAuthorBlind: BlindCheck }): Router {
  const router = Router();
  router.use(requireSignIn);

  router.get('/', async (req, res) => {
    const { q, after } = parseInput(userSearchInput, req.query);
    const page = await adminUsers.listUsers(actorOf(req), { q, after });
    res.render('admin/users', { title: message('admin.users.title'), q, ...page });
  });

  async function renderUser(req: Request, res: Response, form: { values?: Record<string, unknown>; errors?: Record<string, Text> } = {}) {
    const actor = actorOf(req);
    if (await judgesAuthorBlind(actor, String(req.params.id))) throw new Forbidden(message('admin.user.blind'));
    const user = await adminUsers.getUser(actor, String(req.params.id));
    const changeable = rolesActorMayChange(actor);
    const manageable = isManageableAccount({ deleted: user.deletedAt !== null });
    res.render('admin/user', {
      title: user.name,
      user,
      roleOptions: ROLES.filter((role) => role !== 'member').map((role) => ({
        role,
        checked: user.roles.includes(role),
        disabled: !changeable.includes(role) || (role === 'admin' && user.id === actor.id),
      })),
      can: { ...res.locals.can, changeRoles: manageable && canChangeRoles(actor, user.id, user.roles, user.roles), suspend: manageable && canSuspend(actor, user.id) },
      values: form.values ?? {},
      errors: form.errors ?? {},
    });
  }

  router.get('/:id', (req, res) => renderUser(req, res));

  router.post('/:id/roles', async (req, res) => {
    const { roles } = parseInput(changeRolesInput, req.body);
    await adminUsers.changeRoles(actorOf(req), String(req.params.id), roles);
    await redirectWithNotice(req, res, `/admin/users/${req.params.id}`, 'success', message('admin.user.rolesSaved'));
  });

  router.post('/:id/suspend', async (req, res) => {
    let reason: string;
    try {
      ({ reason } = parseInput(suspendInput, req.body));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      return renderUser(req, res, { values: req.body as Record<string, unknown>, errors: error.fieldTexts });
    }
    await adminUsers.setSuspended(actorOf(req), String(req.params.id), true, reason);
    await redirectWithNotice(req, res, `/admin/users/${req.params.id}`, 'success', message('admin.user.suspendedDone'));
  });

  router.post('/:id/reinstate', async (req, res) => {
    await adminUsers.setSuspended(actorOf(req), String(req.params.id), false, 'Reinstated');
    await redirectWithNotice(req, res, `/admin/users/${req.params.id}`, 'success', message('admin.user.reinstated'));
  });

  return router;
}
