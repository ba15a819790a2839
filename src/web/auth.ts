import type { Request, RequestHandler } from 'express';
import { Unauthenticated } from '../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';

/** Only local paths may be returned to after sign-in (no open redirects). */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}

export const requireSignIn: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') {
    res.redirect(`/sign-in?returnTo=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  next(new Unauthenticated());
};

/** The signed-in actor; call only behind `requireSignIn`. */
export function actorOf(req: Request): Actor {
  if (!req.user) throw new Unauthenticated();
  return req.user;
}
