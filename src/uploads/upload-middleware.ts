import type { Express, Request, RequestHandler } from 'express';
import multer from 'multer';
import { AppError, Invalid } from '../shared/errors.ts';
import { roundTo } from '../shared/rounding.ts';
import { message } from '../i18n/i18n.ts';

export type UploadedFile = Express.Multer.File;

export type UploadOptions = {
  /** The form's file input name; its files end up in `req.files` (see `uploadedFiles`). */
  field: string;
  /** How many files one request may carry. */
  maxFiles: number;
  /** The largest file accepted, in bytes. Files are held in memory: keep maxFiles × maxFileBytes modest. */
  maxFileBytes: number;
  /** How many other (text) fields the form may have. */
  maxFields?: number;
  /** The longest text field value, in bytes; the same as the urlencoded body limit by default. */
  maxFieldBytes?: number;
};

const MB = 1024 * 1024;

/** "10 MB", "0.5 MB": the limit as people read it. */
export function megabytes(bytes: number): string {
  const value = bytes / MB;
  return `${Number.isInteger(value) ? value : roundTo(value, value < 1 ? 2 : 1)} MB`;
}

function kilobytes(bytes: number): string {
  return `${Math.floor(bytes / 1024)} kB`;
}

/** A name from the request, without control characters and at most 80 long: the message quotes it. */
function unquoted(name: string | undefined): string {
  return String(name ?? '')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .slice(0, 80);
}

/** Multer's and busboy's errors, as the typed errors the error handler renders. */
export function toUploadError(error: unknown, options: Required<UploadOptions>): AppError {
  if (error instanceof AppError) return error;
  if (!(error instanceof multer.MulterError)) {
    // busboy's parse errors ("Unexpected end of form", a missing boundary) and aborted requests.
    return new AppError(400, 'bad_body', message('ideaChecks.upload.unreadable'));
  }
  const { field, maxFiles, maxFileBytes, maxFieldBytes } = options;
  const filename = (error as { filename?: string }).filename;
  const tooMany = message('ideaChecks.upload.tooManyFiles', { count: maxFiles });
  switch (error.code) {
    case 'LIMIT_FILE_SIZE': {
      const size = megabytes(maxFileBytes);
      return new AppError(413, 'file_too_large', filename ? message('ideaChecks.upload.fileTooLarge', { name: unquoted(filename), size }) : message('ideaChecks.upload.aFileTooLarge', { size }));
    }
    case 'LIMIT_FILE_COUNT':
      return new Invalid({ [field]: tooMany }, tooMany);
    case 'LIMIT_UNEXPECTED_FILE':
      // `.array(field, maxFiles)` reports one file too many in our own field this way.
      if (error.field === field) return new Invalid({ [field]: tooMany }, tooMany);
      return new AppError(400, 'unexpected_file', message('ideaChecks.upload.unexpectedFile', { field: unquoted(error.field) }));
    case 'LIMIT_FIELD_VALUE':
      return new AppError(413, 'field_too_large', message('ideaChecks.upload.fieldTooLarge', { size: kilobytes(maxFieldBytes) }));
    default:
      // Too many fields or parts, names too long, nested or missing: never sent by our own forms.
      return new AppError(400, 'bad_form', message('ideaChecks.upload.unreadable'));
  }
}

/**
 * Parses a multipart form into memory: the files of one field into `req.files`, the other fields
 * into `req.body`. Limits and refusals become our typed errors (413 for a file over the size limit,
 * 400 `Invalid` for too many files, 400 for a file in any other field). Requests that are not
 * multipart pass through untouched. It only parses: sniff each file with `sniffUpload` before
 * storing it.
 */
export function uploadMiddleware(options: UploadOptions): RequestHandler {
  const settings: Required<UploadOptions> = { maxFields: 50, maxFieldBytes: 100 * 1024, ...options };
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: settings.maxFileBytes,
      files: settings.maxFiles,
      fields: settings.maxFields,
      fieldSize: settings.maxFieldBytes,
      fieldNameSize: 100,
      // Field names stay plain, as with our urlencoded parser: `email[$ne]` is refused, never nested.
      fieldNestingDepth: 0,
    },
    // Browsers send file names as UTF-8; busboy's default (latin1) would garble "résumé.pdf".
    defParamCharset: 'utf8',
  }).array(settings.field, settings.maxFiles);

  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (error) next(toUploadError(error, settings));
      else next();
    });
  };
}

/** The files `uploadMiddleware` parsed, in the order they were sent (none for a non-multipart request). */
export function uploadedFiles(req: Request): UploadedFile[] {
  return Array.isArray(req.files) ? req.files : [];
}

/** The addresses whose forms carry files, and the parser for those files. */
export type UploadRoute = { paths: string[]; parse: RequestHandler };

/**
 * Mounts each upload route's parser ahead of the CSRF check, so a multipart form carries its token
 * in its body like any other form, never in the address bar (where history and logs would keep it).
 * A multipart request to any other address is never parsed, so it has no token and is refused.
 * Only a signed-in person's files are read: nobody else may upload, and a stranger's megabytes never
 * reach memory.
 */
export function mountUploads(app: Express, routes: UploadRoute[]) {
  for (const { paths, parse } of routes) {
    app.post(paths, (req, res, next) => (req.user ? parse(req, res, next) : next()));
  }
}
