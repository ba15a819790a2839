import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import type { Text } from '../i18n/i18n.ts';
import { NOTICE_TTL_MS, noticeSealer, type Notice, type NoticeSealer } from './notice-cookie.ts';

const NOTICE_COOKIE = 'cocreate.notice';

/** What a request's redirect needs: the sealer, and the session as it was when the request began. */
type Started = { sealer: NoticeSealer; sessionAtStart: string };
/**
 * Kept on the request itself, not in a WeakMap keyed by it: under load, each request that outlived
 * a young-generation collection left the map an entry (an ephemeron) that the next full collection
 * had to settle while the app stood still: 24 of the 45 ms of such a pause on the member's
 * challenge page (bench:all with the app's --trace-gc-nvp: mark.ephemeron).
 */
const STARTED = Symbol('flash: the request at its start');
type RequestWithStart = Request & { [STARTED]?: Started };

/**
 * Notices travel in a signed cookie of the redirect itself, shown once on the page it leads to
 * (`res.locals.flash`) and cleared there. In the session they cost a database write on the form's
 * redirect and another on the next page that cleared them.
 */
export function exposeFlash(options: { secret: string }): RequestHandler {
  const sealer = noticeSealer(options.secret);
  return (req, res, next) => {
    (req as RequestWithStart)[STARTED] = { sealer, sessionAtStart: sessionState(req) };
    const value = (req.cookies as Record<string, string | undefined>)[NOTICE_COOKIE];
    if (value !== undefined) {
      const notices = sealer.open(value);
      if (notices.length) res.locals.flash = notices;
      // Once: the notices are on this page (or carried on by `redirectKeepingNotices`), a forged or stale cookie is dropped.
      res.clearCookie(NOTICE_COOKIE, cookieOptions(req));
    }
    next();
  };
}

/** Redirects (303) with a message shown once on the next page. */
export function redirectWithNotice(req: Request, res: Response, location: string, kind: Notice['kind'], message: Text, action?: { href: string; label: Text }): Promise<void> {
  return redirectWith(req, res, location, [{ kind, message, ...(action ? { action } : {}) }]);
}

/** Redirects on, keeping the notices this request was to show (a redirect that only finds where to go next), and `added` after them. */
export function redirectKeepingNotices(req: Request, res: Response, location: string, added?: Notice): Promise<void> {
  const carried = (res.locals.flash ?? []) as Notice[];
  return redirectWith(req, res, location, added ? [...carried, added] : carried);
}

async function redirectWith(req: Request, res: Response, location: string, notices: Notice[]): Promise<void> {
  const started = (req as RequestWithStart)[STARTED];
  if (!started) throw new Error('a redirect with notices before exposeFlash ran');
  const value = notices.length ? started.sealer.seal(notices) : undefined;
  if (value !== undefined) {
    // This cookie replaces the clearing of the one the request came with.
    const others = ([res.getHeader('Set-Cookie') ?? []].flat() as string[]).filter((cookie) => !cookie.startsWith(`${NOTICE_COOKIE}=`));
    if (others.length) res.setHeader('Set-Cookie', others);
    else res.removeHeader('Set-Cookie');
    res.cookie(NOTICE_COOKIE, value, { ...cookieOptions(req), maxAge: NOTICE_TTL_MS });
  }
  // express-session sends the headers first and saves afterwards: a browser following the
  // redirect at once could read the session before the change (a sign-in, a secret to reveal
  // once). Saved first when it changed; unchanged, the session costs no write at all.
  if (req.session && sessionState(req) !== started.sessionAtStart) await saveSession(req);
  res.redirect(303, location);
}

/** The session as express-session compares it to decide on saving (its cookie aside), with its id. */
const sessionState = (req: Request): string => (req.session ? `${req.sessionID} ${JSON.stringify({ ...req.session, cookie: undefined })}` : '');

const saveSession = (req: Request) => new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error as Error) : resolve())));

/** As the session cookie: Secure when the request came over https (`secure: 'auto'`). */
const cookieOptions = (req: Request): CookieOptions => ({ httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
