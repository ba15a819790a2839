/**
 * Typed errors thrown by services and mapped to a status and page by the one error handler.
 * Services know nothing of HTTP; the status lives here so the mapping stays in one place.
 */
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.name = new.target.name;
  }
}

export class Invalid extends AppError {
  readonly fields: FieldErrors;

  constructor(fields: FieldErrors, message = 'Please correct the highlighted fields.') {
    super(400, 'invalid', message);
    this.fields = fields;
  }
}

export class Unauthenticated extends AppError {
  constructor(message = 'Please sign in to continue.') {
    super(401, 'unauthenticated', message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'You do not have permission to do that.') {
    super(403, 'forbidden', message);
  }
}

export class NotFound extends AppError {
  constructor(message = 'We could not find that page.') {
    super(404, 'not_found', message);
  }
}

export class Conflict extends AppError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

export class TooManyRequests extends AppError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message = 'Too many attempts. Please wait and try again.') {
    super(429, 'too_many_requests', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** MongoDB reports a unique index violation as 11000; FerretDB uses another code on updates. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 11000 || code === 11001 || (typeof message === 'string' && /duplicate key/i.test(message));
}

/** Something the request needs (the database) does not answer now; the client may retry. */
export class ServiceUnavailable extends AppError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message = 'The service is briefly unavailable. Please try again in a few seconds.') {
    super(503, 'unavailable', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
