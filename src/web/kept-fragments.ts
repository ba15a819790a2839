import Handlebars from 'handlebars';
import { localeOf, viewerTimeZone, type HelperOptions } from './i18n-helpers.ts';

type BlockOptions = HelperOptions & { fn: (context: unknown) => string };

/** Renderings of one owner: a few languages, time zones and author names at most. */
const MAX_VARIANTS = 8;

let kept = new WeakMap<object, Map<string, Handlebars.SafeString>>();

/** What `more` says, as a key: texts as they are, messages (a deleted author) by what they hold. */
const keyOf = (value: unknown): string => (Array.isArray(value) ? value.map(keyOf).join('\u0001') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

/**
 * `{{#keptWith "name" owner more…}}…{{/keptWith}}`: the block's HTML, rendered once per `owner`
 * object and page language, time zone and `more`, then kept with the owner (and dropped with it);
 * the name tells apart the blocks kept with one owner. Only for a
 * block whose HTML depends on nothing else, and an owner that is replaced, never changed in place,
 * when what it holds changes: an idea's card on the board is (see idea-board.ts). Then a kept
 * rendering is never stale, and converges as the board does. A member's list of 50 idea cards
 * spent about 0.5 ms a page rendering the same cards again.
 */
export function keptWith(this: unknown, name: unknown, owner: unknown, ...rest: unknown[]): unknown {
  const options = rest.pop() as BlockOptions;
  if (typeof owner !== 'object' || owner === null) return options.fn(this);
  const key = `${String(name)}\u0000${localeOf(options)}\u0000${viewerTimeZone(options)}\u0000${keyOf(rest)}`;
  let variants = kept.get(owner);
  if (!variants) kept.set(owner, (variants = new Map()));
  let html = variants.get(key);
  if (!html) {
    if (variants.size >= MAX_VARIANTS) variants.clear();
    variants.set(key, (html = new Handlebars.SafeString(options.fn(this))));
  }
  return html;
}

/** Forgets every kept rendering (the templates changed, in development). */
export function forgetKeptFragments(): void {
  kept = new WeakMap();
}
