import type { NextFunction, Request, Response } from 'express';
import type { Text } from '../i18n/i18n.ts';

type FlashKind = 'success' | 'info' | 'error';

/**
 * Redirects (303) with a message shown once on the next page. The session is saved before the
 * redirect is sent: express-session otherwise sends the headers first and saves afterwards, and a
 * browser that follows the redirect at once can read the session before the message is in it.
 */
export function redirectWithNotice(req: Request, res: Response, location: string, kind: FlashKind, message: Text, action?: { href: string; label: Text }): Promise<void> {
  (req.session.flash ??= []).push({ kind, message, ...(action ? { action } : {}) });
  return saveAndRedirect(req, res, location);
}

/** Redirects on, keeping the notices this request was to show (a redirect that only finds where to go next). */
export function redirectKeepingNotices(req: Request, res: Response, location: string): Promise<void> {
  const carried = (res.locals.flash ?? []) as NonNullable<typeof req.session.flash>;
  if (carried.length) req.session.flash = [...carried, ...(req.session.flash ?? [])];
  return saveAndRedirect(req, res, location);
}

function saveAndRedirect(req: Request, res: Response, location: string): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.save((error) => {
      if (error) return reject(error);
      res.redirect(303, location);
      resolve();
    });
  });
}

export function exposeFlash(req: Request, res: Response, next: NextFunction): void {
  if (req.session?.flash?.length) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  next();
}
