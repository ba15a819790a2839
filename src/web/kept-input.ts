import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Text } from '../i18n/i18n.ts';
import type { HelperOptions } from './i18n-helpers.ts';

/**
 * What someone typed into a form that is part of a larger page (a comment under an idea, a
 * question to the challenge team), kept across the redirect back to that page when the form was
 * refused, with the refusal of each field. A notice cookie is too small for a 5,000-character
 * comment, so it waits in the session, for the one page view that shows it again.
 */
export type KeptInput = { action: string; values: Record<string, string>; errors: Record<string, Text> };

declare module 'express-session' {
  interface SessionData {
    keptInput?: KeptInput;
  }
}

/** For the error handler: where a refused form of this request goes back to (set by its route), if it does. */
export const returnsToOnInvalid = (res: Response): string | undefined => (typeof res.locals.invalidReturnsTo === 'string' ? res.locals.invalidReturnsTo : undefined);

/** Set by a route whose form sits on another page: when its input is refused, the person is sent back there, their text kept. */
export function returnOnInvalid(res: Response, location: string): void {
  res.locals.invalidReturnsTo = location;
}

/**
 * Twice what the longest of these forms' fields takes (a comment, 5,000 characters, which its
 * textarea enforces): more was not typed into our form, and is not stored in a session.
 */
const MAX_KEPT_CHARACTERS = 10_000;

/**
 * Keeps the refused form's text fields in the session for the next page view (see
 * `exposeKeptInput`); false, keeping nothing, when they are larger than any of these forms sends.
 */
export function keepInput(req: Request, values: Record<string, unknown>, errors: Record<string, Text>): boolean {
  const strings = Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  if (Object.values(strings).reduce((sum, value) => sum + value.length, 0) > MAX_KEPT_CHARACTERS) return false;
  // The form's whole path, wherever its router is mounted: what the page's form posts to.
  req.session.keptInput = { action: req.baseUrl + req.path, values: strings, errors };
  return true;
}

/** On the page view after the redirect: the kept input goes to the page (`res.locals.kept`) and leaves the session. */
export const exposeKeptInput: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  const kept = req.method === 'GET' ? req.session?.keptInput : undefined;
  if (kept) {
    res.locals.kept = kept;
    delete req.session.keptInput;
  }
  next();
};

const keptFor = (action: unknown, options: HelperOptions): KeptInput | undefined => {
  const kept = (options.data?.root as { kept?: KeptInput } | undefined)?.kept;
  return kept && kept.action === action ? kept : undefined;
};

export const keptInputHelpers = {
  /** `{{keptValue "/ideas/ID/comments" "body"}}`: the text typed into that form's field, when it was just refused. */
  keptValue: (action: unknown, name: unknown, options: HelperOptions) => keptFor(action, options)?.values[String(name)] ?? '',
  /** `{{keptError "/ideas/ID/comments" "body"}}`: why that field was refused, for the field's error message. */
  keptError: (action: unknown, name: unknown, options: HelperOptions) => keptFor(action, options)?.errors[String(name)] ?? null,
  /** All the form's kept values and errors, for a partial that takes them as `values` and `errors`. */
  keptValues: (action: unknown, options: HelperOptions) => keptFor(action, options)?.values ?? {},
  keptErrors: (action: unknown, options: HelperOptions) => keptFor(action, options)?.errors ?? {},
};
