import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { AppError, Invalid, NotFound, TooManyRequests } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

const TITLES: Record<number, string> = {
  400: 'Something in the request was not right',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Page not found',
  409: 'That conflicts with a change already made',
  413: 'That was too large',
  429: 'Too many attempts',
  500: 'Something went wrong on our side',
};

// Never echo secrets back into a re-rendered form.
const NEVER_ECHOED = new Set(['password', 'currentPassword', '_csrf', 'token']);

/** Which form view re-renders, with the user's input and messages, when its input is invalid. */
export function formView(view: string, title: string): RequestHandler {
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
  const candidate = error as { type?: string; code?: string; status?: number; statusCode?: number; message?: string };
  if (candidate?.type === 'entity.too.large') return new AppError(413, 'too_large', 'What you sent is larger than we accept. Shorten it and try again.');
  if (candidate?.code === 'EBADCSRFTOKEN') {
    return new AppError(403, 'bad_csrf', 'This form has expired or did not come from this site. Go back, reload the page and try again.');
  }
  if (candidate?.type === 'entity.parse.failed') return new AppError(400, 'bad_body', 'The request body could not be read.');
  const status = candidate?.status ?? candidate?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError(status, 'http_error', TITLES[status] ?? 'The request was refused.');
  return null;
}

function wantsJson(req: Request) {
  // The API's clients are programs: they get JSON whatever their Accept header says.
  return req.path.startsWith('/api/') || req.accepts(['html', 'json']) === 'json';
}

function echoedValues(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(Object.entries(body).filter(([key]) => !NEVER_ECHOED.has(key)));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res: Response, next) => {
    if (res.headersSent) return next(error);
    const appError = toAppError(error);
    const requestId = String(req.id ?? '');
    if (!appError) logger.error({ err: error, requestId }, 'unexpected error');
    const status = appError?.status ?? 500;
    const message = appError?.message ?? 'We could not complete your request. It has been logged; please try again.';

    if (appError instanceof TooManyRequests) res.setHeader('Retry-After', String(appError.retryAfterSeconds));
    res.status(status);

    if (wantsJson(req)) {
      res.json({
        // A script shows the message as it is: no "highlighted fields" that it never highlights.
        error: { code: appError?.code ?? 'internal', message: appError instanceof Invalid ? Object.values(appError.fields).join(' ') || message : message, ...(appError instanceof Invalid ? { fields: appError.fields } : {}), requestId },
      });
      return;
    }

    const form = res.locals.form as { view: string; title: string } | undefined;
    if (appError instanceof Invalid && form) {
      res.render(form.view, {
        title: form.title,
        values: { ...res.locals.values, ...echoedValues(req.body) },
        errors: appError.fields,
        errorSummary: appError.message,
      });
      return;
    }

    const details = appError instanceof Invalid ? Object.values(appError.fields) : [];
    res.render('errors/error', { title: TITLES[status] ?? 'Error', status, message, details, requestId });
  };
}
