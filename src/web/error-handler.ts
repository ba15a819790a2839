import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { databaseUnavailable } from '../db/connection.ts';
import { AppError, Invalid, NotFound, ServiceUnavailable, TooManyRequests } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { isLocale, message, translate, type Text } from '../i18n/i18n.ts';
import { redirectWithNotice } from './flash.ts';
import { keepInput, returnsToOnInvalid } from './kept-input.ts';

const TITLED = new Set([400, 401, 403, 404, 409, 413, 429, 500, 503]);
const titleOf = (status: number) => message(`errors.title.${TITLED.has(status) ? status : 'other'}`);

// How soon a client should retry after the database failed to answer: about the supervisor's restart time.
const RETRY_AFTER_DATABASE_S = 5;

// Never echo secrets back into a re-rendered form.
const NEVER_ECHOED = new Set(['password', 'currentPassword', '_csrf', 'token']);

/** Which form view re-renders, with the user's input and messages, when its input is invalid. */
export function formView(view: string, title: Text): RequestHandler {
  return (_req, res, next) => {
    res.locals.form = { view, title };
    next();
  };
}

export const notFound: RequestHandler = () => {
  throw new NotFound();
};

function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (databaseUnavailable(error)) return new ServiceUnavailable(RETRY_AFTER_DATABASE_S);
  const candidate = error as { type?: string; code?: string; status?: number; statusCode?: number; message?: string };
  if (candidate?.type === 'entity.too.large') return new AppError(413, 'too_large', message('errors.tooLarge'));
  if (candidate?.code === 'EBADCSRFTOKEN') return new AppError(403, 'bad_csrf', message('errors.badCsrf'));
  if (candidate?.type === 'entity.parse.failed') return new AppError(400, 'bad_body', message('errors.badBody'));
  const status = candidate?.status ?? candidate?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError(status, 'http_error', TITLED.has(status) ? titleOf(status) : message('errors.refused'));
  return null;
}

function wantsJson(req: Request) {
  // The API's clients are programs: they get JSON whatever their Accept header says.
  return req.path.startsWith('/api/') || req.accepts(['html', 'json']) === 'json';
}

// A form field is a string or a list of strings (checkboxes); anything else a client sent is not
// ours to show again, and a template must never walk an unbounded value.
const MAX_ECHOED_ITEMS = 100;
function echoable(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length <= MAX_ECHOED_ITEMS && value.every((item) => typeof item === 'string')) return value as string[];
  return undefined;
}

function echoedValues(body: unknown): Record<string, string | string[]> {
  if (!body || typeof body !== 'object') return {};
  const values: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(body)) {
    const shown = NEVER_ECHOED.has(key) ? undefined : echoable(value);
    if (shown !== undefined) values[key] = shown;
  }
  return values;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res: Response, next) => {
    if (res.headersSent) {
      // A failure after the response was complete (the session saved as it ends) changes nothing the
      // client can see: log it and keep the response, rather than let Express cut the connection.
      if (res.writableEnded) {
        logger.warn({ err: error, requestId: String(req.id ?? '') }, 'failed after the response was sent');
        return;
      }
      return next(error);
    }
    const appError = toAppError(error);
    const requestId = String(req.id ?? '');
    if (!appError) logger.error({ err: error, requestId }, 'unexpected error');
    else if (appError instanceof ServiceUnavailable) logger.warn({ err: error, requestId }, 'the database did not answer');
    const status = appError?.status ?? 500;
    const locale = isLocale(res.locals.locale) ? res.locals.locale : 'en';
    // The viewer's zone for a date in the message; UTC when the request failed before it was known.
    const timeZone = typeof res.locals.viewerTimeZone === 'string' ? res.locals.viewerTimeZone : 'UTC';
    const shown = translate(locale, appError?.text ?? message('errors.unexpected'), timeZone);
    const fieldErrors = appError instanceof Invalid ? Object.fromEntries(Object.entries(appError.fieldTexts).map(([name, text]) => [name, translate(locale, text, timeZone)])) : {};

    if (appError instanceof TooManyRequests || appError instanceof ServiceUnavailable) res.setHeader('Retry-After', String(appError.retryAfterSeconds));
    res.status(status);

    if (wantsJson(req)) {
      res.json({
        // A script shows the message as it is: no "highlighted fields" that it never highlights.
        error: {
          code: appError?.code ?? 'internal',
          message: Object.values(fieldErrors).join(' ') || shown,
          ...(appError instanceof Invalid ? { fields: fieldErrors } : {}),
          requestId,
        },
      });
      return;
    }

    // A form that is part of another page (a comment under an idea) goes back to it, its text kept.
    const returnTo = returnsToOnInvalid(res);
    if (appError instanceof Invalid && returnTo && req.session && keepInput(req, echoedValues(req.body), appError.fieldTexts)) {
      const said = Object.values(appError.fieldTexts);
      redirectWithNotice(req, res, returnTo, 'error', said.length === 1 ? said[0]! : appError.text).catch(next);
      return;
    }

    const form = res.locals.form as { view: string; title: Text } | undefined;
    if (appError instanceof Invalid && form) {
      res.render(form.view, {
        title: form.title,
        values: { ...res.locals.values, ...echoedValues(req.body) },
        errors: fieldErrors,
        errorSummary: shown,
      });
      return;
    }

    res.render('errors/error', { title: translate(locale, titleOf(status)), status, message: shown, details: Object.values(fieldErrors), requestId });
  };
}
