import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../shared/logger.ts';

declare module 'http' {
  interface IncomingMessage {
    /** The request id: the caller's X-Request-Id when it looks like one, else a fresh UUID. */
    id: string;
    /** The app's logger with this request's id on every line (made on first use). */
    log: Logger;
  }
}

const INCOMING_ID = /^[\w-]{1,64}$/;
const NOT_LOGGED = new Set(['/healthz', '/readyz']);

/** Our forms keep the CSRF token out of URLs, but a page cached from an older version put it there: keep it out of the logs. */
const withoutCsrf = (url: string) => (url.includes('_csrf=') ? url.replace(/([?&]_csrf=)[^&#]*/g, '$1[redacted]') : url);

/**
 * One compact line per request: method, path, status, time, request id and user id. Not the
 * request's and response's headers: serialising them cost more CPU than many pages' own work
 * (issue #17), and a proxy's access log keeps them where they are wanted. The message reads at a
 * terminal ("GET /challenges 200 12 ms"); the JSON fields beside it are for log collectors.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', { configurable: true, enumerable: false, get: () => (child ??= logger.child({ reqId: id })) });
    if (NOT_LOGGED.has(req.path)) return next();
    // Read now: a router mounted on a path changes req.url while it handles the request.
    const url = req.originalUrl;
    const done = () => {
      res.off('finish', done);
      res.off('close', done);
      const ms = Math.round(performance.now() - started);
      const path = withoutCsrf(url);
      // Closed before the response finished: the client went away.
      const status = res.writableFinished ? res.statusCode : 499;
      const fields = { reqId: id, userId: req.user?.id ?? null, method: req.method, path, status, ms };
      if (status >= 500) logger.error(fields, `${req.method} ${path} ${status} ${ms} ms`);
      else logger.info(fields, `${req.method} ${path} ${status} ${ms} ms`);
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
