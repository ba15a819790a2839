import { randomBytes } from 'node:crypto';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { SESSION_COOKIE } from './session.ts';

const NONCE_BYTES = 16;
/** Random bytes for the next 256 nonces: one random job per 256 responses instead of one each (a few % of a page's CPU). */
let nonceBytes = Buffer.alloc(0);
let nonceAt = 0;

/** A fresh nonce per response (random bytes never used before): the only inline scripts allowed are the ones we render with it. */
function cspNonce(_req: Request, res: Response, next: NextFunction) {
  if (nonceAt + NONCE_BYTES > nonceBytes.length) {
    nonceBytes = randomBytes(NONCE_BYTES * 256);
    nonceAt = 0;
  }
  res.locals.cspNonce = nonceBytes.toString('base64', nonceAt, (nonceAt += NONCE_BYTES));
  next();
}

export function securityHeaders(options: { https: boolean }): RequestHandler[] {
  return [
    cspNonce,
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          upgradeInsecureRequests: options.https ? [] : null,
        },
      },
      strictTransportSecurity: options.https,
    }),
  ];
}

/** Token cookies found valid, remembered per process: one per browser and person. */
const MAX_CHECKED_TOKENS = 10_000;

/**
 * CSRF protection by signed double-submit cookie: stateless, so a visitor's sign-in form costs no
 * database write. The token is bound to the signed-in user, so a token minted before sign-in
 * (or for someone else) is refused afterwards.
 */
export function csrfProtection(options: { secret: string; https: boolean }) {
  const cookieName = options.https ? '__Host-cocreate.csrf' : 'cocreate.csrf';
  const whoHolds = (req: Request) => String(req.session?.passport?.user ?? 'visitor');
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => options.secret,
    getSessionIdentifier: whoHolds,
    cookieName,
    cookieOptions: { sameSite: 'lax', secure: options.https, path: '/', httpOnly: true },
    // Never from the query string: a token in a URL ends up in history and logs. Multipart forms
    // are parsed before this check (`mountUploads`), so theirs is in the body too.
    getCsrfTokenFromRequest: (req) => (req.body as { _csrf?: string } | undefined)?._csrf ?? req.headers['x-csrf-token'],
    // The JSON API authenticates by a bearer token a browser never sends by itself, so a forged
    // cross-site request gains nothing there. A request that carries the session cookie is
    // checked as always: the cookie, not the path, is what a forger could ride on.
    skipCsrfProtection: (req) => req.path.startsWith('/api/') && !hasSessionCookie(req),
  });

  // A browser sends its token cookie back with every page, and checking its HMAC and setting the
  // same cookie again cost every form page about a tenth of a millisecond. So each (person, cookie)
  // the library found valid is remembered and its token reused as it is, with no cookie set: for
  // another person, or a cookie not checked yet, the library checks or mints as before.
  const checked = new Set<string>();
  const tokenOf = (req: Request, res: Response): string => {
    const cookie = (req.cookies as Record<string, string | undefined>)[cookieName];
    const key = `${whoHolds(req)}\u0000${cookie}`;
    if (cookie && checked.has(key)) return cookie;
    const token = generateCsrfToken(req, res);
    if (token === cookie) {
      if (checked.size >= MAX_CHECKED_TOKENS) checked.clear();
      checked.add(key);
    }
    return token;
  };

  // Minted only when a template renders a form: a page without one sets no cookie and costs no HMAC.
  const exposeToken: RequestHandler = (req, res, next) => {
    let token: string | undefined;
    res.locals.csrfToken = () => (token ??= tokenOf(req, res));
    next();
  };

  // No secret for cookie-parser: nothing reads signed cookies from it (the CSRF cookie carries its
  // own HMAC, and express-session checks its cookie itself), and with one it checked the session
  // cookie's signature a second time on every request.
  return [cookieParser(), doubleCsrfProtection, exposeToken];
}

/** Looks at the raw header: cookie-parser may not have run, and a malformed cookie must still count. */
function hasSessionCookie(req: Request): boolean {
  return (req.headers.cookie ?? '').split(';').some((pair) => pair.trim().startsWith(`${SESSION_COOKIE}=`));
}

declare module 'express-session' {
  interface SessionData {
    passport?: { user?: string };
  }
}
