import Handlebars from 'handlebars';
import { localeOf, viewerTimeZone, type HelperOptions } from './i18n-helpers.ts';

type BlockOptions = HelperOptions & { fn: (context: unknown) => string };

/**
 * Renderings of one owner: its blocks (a listed card and the vote button inside it), each in a
 * few languages and time zones and for the viewer's vote (none, vote, voted). Past it, they start again.
 */
const MAX_VARIANTS = 16;

/** What `more` said when a rendering was kept: texts as they were, objects (a deleted author's message) as their JSON then. */
type Said = string | number | boolean | null | undefined | { json: string } | Said[];
type Variant = { name: unknown; locale: string; timeZone: string; more: Said; html: Handlebars.SafeString };

let kept = new WeakMap<object, Variant[]>();

const said = (value: unknown): Said => (Array.isArray(value) ? value.map(said) : typeof value === 'object' && value !== null ? { json: JSON.stringify(value) } : (value as Said));

/** Whether `value` says now what was kept: compared in place, so a page's cards build no key each. */
function saysAgain(kept: Said, value: unknown): boolean {
  if (Array.isArray(value)) return Array.isArray(kept) && kept.length === value.length && value.every((item, index) => saysAgain(kept[index], item));
  if (typeof value === 'object' && value !== null) return typeof kept === 'object' && kept !== null && !Array.isArray(kept) && kept.json === JSON.stringify(value);
  return kept === value;
}

/**
 * The same text as one string in one piece. A rendering is built by appending its parts one by one,
 * which V8 keeps as a tree of the parts; a page's HTML is copied into one piece when it is measured
 * and sent, and a kept rendering's tree was walked again by every page that showed it: 50 kept
 * cards made that copy about three times what a page of the same cards in one piece costs. Sent as
 * UTF-8, so going through it here changes nothing that is sent.
 */
const inOnePiece = (html: string) => Buffer.from(html, 'utf8').toString('utf8');

/**
 * `{{#keptWith "name" owner more…}}…{{/keptWith}}`: the block's HTML, rendered once per `owner`
 * object and page language, time zone and `more`, then kept with the owner (and dropped with it);
 * the name tells apart the blocks kept with one owner. Only for a
 * block whose HTML depends on nothing else, and an owner that is replaced, never changed in place,
 * when what it holds changes: an idea's card on the board is (see idea-board.ts). Then a kept
 * rendering is never stale, and converges as the board does. A member's list of 50 idea cards
 * spent about 0.5 ms a page rendering the same cards again. The variants are found by comparing
 * what they were kept with, not by a key string: building and hashing one per block was a tenth
 * of that list's rendering.
 */
export function keptWith(this: unknown, name: unknown, owner: unknown, ...rest: unknown[]): unknown {
  const options = rest.pop() as BlockOptions;
  if (typeof owner !== 'object' || owner === null) return options.fn(this);
  const locale = localeOf(options);
  const timeZone = viewerTimeZone(options);
  let variants = kept.get(owner);
  if (!variants) kept.set(owner, (variants = []));
  for (const variant of variants) {
    if (variant.name === name && variant.locale === locale && variant.timeZone === timeZone && saysAgain(variant.more, rest)) return variant.html;
  }
  if (variants.length >= MAX_VARIANTS) variants.length = 0;
  const html = new Handlebars.SafeString(inOnePiece(options.fn(this)));
  variants.push({ name, locale, timeZone, more: said(rest), html });
  return html;
}

/** Forgets every kept rendering (the templates changed, in development). */
export function forgetKeptFragments(): void {
  kept = new WeakMap();
}
