/**
 * Pages as one-byte strings. V8 stores a string with one byte per character only while every
 * character fits in Latin-1: a single curly quote, dash or arrow anywhere in a page (the
 * catalogue's “…”, a title typed on a phone, Markdown's typographer) made the whole rendered page
 * a two-byte string, and encoding it to UTF-8 for the socket took four times as long (a member's
 * 68 kB challenge page: 1.24 ms against 0.33 ms). So what pages print writes every character
 * beyond Latin-1 as a numeric character reference ("—" as "&#8212;"), which the browser reads as
 * the same character, in text and attribute values alike (data-* texts that scripts read
 * included). Templates write their own such characters as entities (`&larr;`); a test keeps
 * them so.
 */

import { keptResults } from '../shared/kept-results.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
/** A surrogate pair is one character: one reference. A lone surrogate is written as what it is (browsers show U+FFFD, as UTF-8 did). */
const BEYOND_LATIN1 = /[\ud800-\udbff][\udc00-\udfff]|[^\0-\xff]/g;
const SPECIAL = /[&<>"'`=]|[\ud800-\udbff][\udc00-\udfff]|[^\0-\xff]/g;
const ANY_SPECIAL = /[&<>"'`=]|[^\0-\xff]/;

const reference = (character: string) => ESCAPES[character] ?? `&#${character.codePointAt(0)!};`;
const isLatin1 = (text: string) => !/[^\0-\xff]/.test(text);

/**
 * The same text (all of it Latin-1 now) in a one-byte string: a string made from a two-byte one
 * keeps its width, even once its wide characters are replaced, and would make the page two-byte.
 */
const oneByte = (text: string): string => Buffer.from(text, 'latin1').toString('latin1');

/**
 * Texts escaped, as escaped: most are the same on every page (the catalogue's sentences with their
 * quotes and dashes, a page's texts for its scripts), and replacing their characters one by one
 * was 3% of a member's challenge page. Short texts only, a few pages' worth.
 */
const escapedTexts = keptResults<string, string>(2_000);
const MAX_KEPT_LENGTH = 2_000;
const escapeNow = (text: string) => (!isLatin1(text) ? oneByte(text.replace(SPECIAL, reference)) : text.replace(SPECIAL, reference));

/**
 * Handlebars' escaping (the same characters, the same entities; a SafeString's HTML as it is),
 * plus characters beyond Latin-1 as references: installed as Handlebars' `escapeExpression`.
 */
export function escapeHtml(value: unknown): string {
  if (typeof value !== 'string') {
    if (value && typeof (value as { toHTML?: unknown }).toHTML === 'function') return (value as { toHTML: () => string }).toHTML();
    if (value == null) return '';
    if (!value) return `${value as string}`;
    value = `${value as string}`;
  }
  const text = value as string;
  if (!ANY_SPECIAL.test(text)) return text;
  return text.length <= MAX_KEPT_LENGTH ? escapedTexts(text, escapeNow) : escapeNow(text);
}

/** Texts with characters beyond Latin-1, as converted: a few pages' worth of ideas and comments. */
const convertedTexts = keptResults<string, string>(500);
const convertNow = (html: string) => oneByte(html.replace(BEYOND_LATIN1, reference));

/**
 * HTML made elsewhere (rendered Markdown), with its characters beyond Latin-1 as references.
 * Stored HTML is printed on every view and changes only when its text is edited, while the
 * conversion costs about 35 µs per 2 kB of two-byte text: it is made once per text and kept,
 * keyed by the text itself (the kept idea or thread hands the same string to every view, whose
 * hash V8 computes once).
 */
export function latin1Html(html: string): string {
  return isLatin1(html) ? html : convertedTexts(html, convertNow);
}
