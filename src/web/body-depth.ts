import { message } from '../i18n/i18n.ts';
import type { RequestHandler } from 'express';
import { AppError } from '../shared/errors.ts';

/**
 * No form or API of ours nests deeper than a few levels; a deeper body (a 10,000-deep array) is
 * refused before any handler, schema or template walks it recursively.
 */
export const MAX_BODY_DEPTH = 8;

/** The nesting depth of a parsed body, counted without recursion and given up past `limit`. */
export function exceedsDepth(value: unknown, limit: number): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth += 1) {
    const next: unknown[] = [];
    for (const item of level) {
      if (item && typeof item === 'object') next.push(...Object.values(item));
    }
    if (next.length > 0 && depth + 1 > limit) return true;
    level = next;
  }
  return false;
}

export const refuseDeepBodies: RequestHandler = (req, _res, next) => {
  if (exceedsDepth(req.body, MAX_BODY_DEPTH)) throw new AppError(400, 'too_deep', message('errors.tooDeep'));
  next();
};
