import type { RequestHandler, Response } from 'express';
import { canManageSignIn, canSeeUserList, canViewAuditLog } from '../features/accounts/accounts.policy.ts';
import { canManageBranding } from '../features/site/site.policy.ts';
import { isStaff, type Actor } from '../shared/actor.ts';

/** Who the page is rendered for, and what the header may offer them. */
function setViewer(res: Response, actor: Actor | null) {
  res.locals.currentUser = actor;
  res.locals.viewerTimeZone = actor?.timezone ?? 'UTC';
  res.locals.can = {
    seeUsers: canSeeUserList(actor),
    viewAuditLog: canViewAuditLog(actor),
    manageSignIn: canManageSignIn(actor),
    // Backlog owners are staff: the Backlogs page lists what each may work on.
    seeBacklogs: isStaff(actor),
    manageBranding: canManageBranding(actor),
  };
}

/** What every page needs: who is signed in, what they may do, and where to go from here. */
export const pageLocals: RequestHandler = (req, res, next) => {
  setViewer(res, req.user ?? null);
  res.locals.requestId = req.id;
  res.locals.currentPath = req.path;
  next();
};

/**
 * For a page rendered in the request that ended the session (the account was just deleted, or
 * signed out at a provider): its header must not still name the person, count their unread news
 * or show their photo.
 */
export function viewAsSignedOut(res: Response) {
  setViewer(res, null);
  res.locals.unreadCount = 0;
  res.locals.curatesAny = false;
  res.locals.judgesAny = false;
}
