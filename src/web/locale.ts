import type { RequestHandler, Response } from 'express';
import { isLocale, pickLocale, type Locale } from '../i18n/i18n.ts';

/**
 * The language of this request: the person's setting, else Accept-Language, else the site's.
 * Set before anything can fail (a bad CSRF token), so that even error pages speak it.
 */
export function requestLocale(siteDefault: Locale): RequestHandler {
  return (req, res, next) => {
    res.locals.locale = pickLocale({ setting: req.user?.locale, acceptLanguage: req.get('accept-language'), siteDefault });
    // Caches between us and the browser keep one copy per language.
    res.vary('Accept-Language');
    next();
  };
}

/** The language `requestLocale` chose for this response (English before it has run). */
export const responseLocale = (res: Response): Locale => (isLocale(res.locals.locale) ? res.locals.locale : 'en');
