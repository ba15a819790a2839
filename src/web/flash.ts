import type { NextFunction, Request, Response } from 'express';

type FlashKind = 'success' | 'info' | 'error';

/** A message shown once on the next page (after a redirect). */
export function flash(req: Request, kind: FlashKind, message: string): void {
  (req.session.flash ??= []).push({ kind, message });
}

export function exposeFlash(req: Request, res: Response, next: NextFunction): void {
  if (req.session?.flash?.length) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  next();
}
