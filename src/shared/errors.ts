import { message as key, translate, type Text } from '../i18n/i18n.ts';

/**
 * Typed errors thrown by services and mapped to a status and page by the one error handler.
 * Services know nothing of HTTP; the status lives here so the mapping stays in one place.
 * Services know nothing of the reader's language either: a message is a catalogue key (shown in
 * the request's language) or a plain sentence; `message` holds its English for logs.
 */
export type FieldErrors = Record<string, string>;

const english = (text: Text) => translate('en', text);

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  /** What the person is shown, translated by the error handler. */
  readonly text: Text;

  constructor(status: number, code: string, message: Text) {
    super(english(message));
    this.status = status;
    this.code = code;
    this.text = message;
    this.name = new.target.name;
  }
}

export class Invalid extends AppError {
  /** Each field's message in English (logs, scripts); `fieldTexts` are what the form shows. */
  readonly fields: FieldErrors;
  readonly fieldTexts: Record<string, Text>;

  constructor(fields: Record<string, Text>, message: Text = key('errors.invalid')) {
    super(400, 'invalid', message);
    this.fieldTexts = fields;
    this.fields = Object.fromEntries(Object.entries(fields).map(([name, text]) => [name, english(text)]));
  }
}

export class Unauthenticated extends AppError {
  constructor(message: Text = key('errors.signInToContinue')) {
    super(401, 'unauthenticated', message);
  }
}

export class Forbidden extends AppError {
  constructor(message: Text = key('errors.forbidden')) {
    super(403, 'forbidden', message);
  }
}

export class NotFound extends AppError {
  constructor(message: Text = key('errors.notFound')) {
    super(404, 'not_found', message);
  }
}

export class Conflict extends AppError {
  constructor(message: Text) {
    super(409, 'conflict', message);
  }
}

export class TooManyRequests extends AppError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message: Text = key('errors.tooManyAttempts')) {
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

/** The documents an unordered bulk write (insertMany, bulkWrite) refused, each by its index; the others were written. Undefined when the whole write failed. */
export function bulkWriteErrors(error: unknown): Array<{ index: number; code?: number }> | undefined {
  const writeErrors = (error as { writeErrors?: Array<{ index: number; code?: number }> } | null)?.writeErrors;
  return writeErrors?.length ? writeErrors : undefined;
}

/** The indexes an unordered bulk write refused as duplicates (found there already); any other failure is thrown again. */
export function duplicateIndexes(error: unknown): number[] {
  const writeErrors = bulkWriteErrors(error);
  if (!writeErrors?.every(isDuplicateKeyError)) throw error;
  return writeErrors.map((writeError) => writeError.index);
}

/** Something the request needs (the database) does not answer now; the client may retry. */
export class ServiceUnavailable extends AppError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message: Text = key('errors.unavailable')) {
    super(503, 'unavailable', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
