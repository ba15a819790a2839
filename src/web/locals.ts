import type { RequestHandler } from 'express';
import { canManageSignIn, canSeeUserList, canViewAuditLog } from '../features/accounts/accounts.policy.ts';
import { canManageBranding } from '../features/site/site.policy.ts';
import { isStaff } from '../shared/actor.ts';

/** What every page needs: who is signed in, what they may do, and where to go from here. */
export const pageLocals: RequestHandler = (req, res, next) => {
  const actor = req.user ?? null;
  res.locals.currentUser = actor;
  res.locals.viewerTimeZone = actor?.timezone ?? 'UTC';
  res.locals.requestId = req.id;
  res.locals.currentPath = req.path;
  res.locals.can = {
    seeUsers: canSeeUserList(actor),
    viewAuditLog: canViewAuditLog(actor),
    manageSignIn: canManageSignIn(actor),
    // Backlog owners are staff: the Backlogs page lists what each may work on.
    seeBacklogs: isStaff(actor),
    manageBranding: canManageBranding(actor),
  };
  next();
};
