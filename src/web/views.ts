import { readdirSync, watch } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExpressHandlebars } from 'express-handlebars';
import Handlebars from 'handlebars';
import { formatDuration } from '../shared/durations.ts';
import { keptResults } from '../shared/kept-results.ts';
import { roundTo } from '../shared/rounding.ts';
import { excerpt, highlight } from '../shared/token-index.ts';
import { acceptedType } from '../uploads/sniff.ts';
import { formattedDate, intlLocale, type Locale } from '../i18n/i18n.ts';
import { decimalText, numberFormat, ordinalText } from '../i18n/numbers.ts';
import { escapeHtml, latin1Html } from './html-escape.ts';
import { keptInputHelpers } from './kept-input.ts';
import { i18nHelpers, localeOf, viewerTimeZone, type HelperOptions } from './i18n-helpers.ts';
import { forgetKeptFragments, keptWith } from './kept-fragments.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const VIEWS_DIR = path.join(ROOT, 'views');

/** Each line's indentation in a template's source. */
const LEADING_WHITESPACE = /\n[ \t]+/g;

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/g;

const relativeFormats = { en: new Intl.RelativeTimeFormat(intlLocale('en'), { numeric: 'auto' }), de: new Intl.RelativeTimeFormat(intlLocale('de'), { numeric: 'auto' }) };
const RELATIVE_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];
/**
 * "3 days ago" as written before: a screening queue writes one per row on every view (4% of
 * its CPU through Intl), from a few hundred texts in all.
 */
const relativeTexts = keptResults<string, string>(1_000);
const relativeText = (locale: Locale, amount: number, unit: Intl.RelativeTimeFormatUnit) => relativeTexts(`${locale} ${amount} ${unit}`, () => relativeFormats[locale].format(amount, unit));

export const helpers = {
  ...i18nHelpers,
  ...keptInputHelpers,
  keptWith,
  /** A date in the viewer's time zone and language, e.g. "25 Nov 2026, 14:05" or "25.11.2026, 14:05". */
  formatDate(value: unknown, options: HelperOptions) {
    if (!(value instanceof Date) && typeof value !== 'string') return '';
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return '';
    return formattedDate(localeOf(options), viewerTimeZone(options), date);
  },
  /** "in 3 days", "2 hours ago": the largest unit that fits. */
  relativeTime(value: unknown, options: HelperOptions) {
    if (!(value instanceof Date)) return '';
    const locale = localeOf(options);
    const seconds = (value.getTime() - Date.now()) / 1000;
    for (const [unit, size] of RELATIVE_UNITS) {
      if (Math.abs(seconds) >= size) return relativeText(locale, Math.round(seconds / size), unit);
    }
    return relativeText(locale, Math.round(seconds / 60), 'minute');
  },
  /** 1st, 2nd, 3rd, 4th, 11th, 22nd… (German: 1., 2., 3.) */
  ordinal(value: unknown, options?: HelperOptions) {
    const n = Number(value);
    return Number.isInteger(n) ? ordinalText(localeOf(options), n) : '';
  },
  /** A number with `digits` decimals ("0.85", German "0,85"), or an em dash when there is none; never "-0.0". */
  fixed: (value: unknown, digits: unknown, options?: HelperOptions) => decimalText(localeOf(options), typeof value === 'number' ? value : null, Number(digits) || 0),
  /** A span of time, roughly: "45 s", "12 min", "3 h 20 min", "4 days". */
  duration: (ms: unknown, options?: HelperOptions) => formatDuration(Number(ms) || 0, localeOf(options)),
  isoDate(value: unknown) {
    return value instanceof Date ? value.toISOString() : '';
  },
  /** "1 idea", "3 ideas"; the plural defaults to the singular plus "s". */
  plural(count: unknown, singular: string, pluralOrOptions: unknown) {
    const n = Number(count) || 0;
    const plural = typeof pluralOrOptions === 'string' ? pluralOrOptions : `${singular}s`;
    return `${numberFormat('en').format(n)} ${n === 1 ? singular : plural}`;
  },
  eq: (a: unknown, b: unknown) => a === b,
  /** "Ada Lovelace" → "AL"; one name gives its first letter; no name gives "?". */
  initials(name: unknown) {
    const words = String(name ?? '')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    if (!words.length) return '?';
    const first = [...words[0]!][0]!;
    const last = words.length > 1 ? [...words.at(-1)!][0]! : '';
    return (first + last).toUpperCase();
  },
  /** One of the 8 avatar colours, the same for the same name on every page. */
  avatarHue(name: unknown) {
    let hash = 0;
    for (const char of String(name ?? '')) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
    return hash % 8;
  },
  gt: (a: unknown, b: unknown) => Number(a) > Number(b),
  /** "340 kB", "2.5 MB" ("2,5 MB" on a German page). */
  fileSize(bytes: unknown, options?: HelperOptions) {
    const n = Number(bytes) || 0;
    return n < 1024 * 1024 ? `${Math.max(1, roundTo(n / 1024))} kB` : `${decimalText(localeOf(options), n / 1024 / 1024, 1)} MB`;
  },
  not: (value: unknown) => !value,
  /** Whether a stored file is an image the browser may show in the page (a preview beside its link). */
  isImage: (mime: unknown) => acceptedType(String(mime ?? ''))?.kind === 'image',
  or: (...values: unknown[]) => values.slice(0, -1).some(Boolean),
  /** The HTML input type for a custom field's type. */
  inputType: (type: unknown) => (({ number: 'text', url: 'url' }) as Record<string, string>)[String(type)] ?? 'text',
  concat: (...parts: unknown[]) => parts.slice(0, -1).join(''),
  array: (...items: unknown[]) => items.slice(0, -1),
  includes: (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item),
  urlEncode: (value: unknown) => encodeURIComponent(String(value ?? '')),
  /** Escapes the text, then makes its web addresses clickable. */
  linkify(text: unknown) {
    const escaped = escapeHtml(String(text ?? ''));
    return new Handlebars.SafeString(escaped.replace(URL_PATTERN, (url) => `<a href="${url}">${url}</a>`));
  },
  /** The text in pieces with the words that match the search `query` marked, for the `marked` partial. */
  searchMarks: (text: unknown, query: unknown) => highlight(String(text ?? ''), String(query ?? '')),
  /** At most `maxLength` characters of the text around its first match, marked as `searchMarks` marks; none for an empty text. */
  searchExcerpt: (text: unknown, query: unknown, maxLength: unknown) => excerpt(String(text ?? ''), String(query ?? ''), Number(maxLength) || 0),
  /** HTML the app made and sanitised (rendered Markdown) as `{{{ }}}` prints it, but one byte per character (see html-escape.ts). */
  storedHtml: (html: unknown) => new Handlebars.SafeString(typeof html === 'string' ? latin1Html(html) : ''),
};

type ViewOptions = Parameters<ExpressHandlebars['renderView']>[1];
type RenderCallback = Parameters<ExpressHandlebars['renderView']>[2];

/**
 * Handlebars as express-handlebars runs it, minus two copies of every page. The indentation that
 * keeps templates readable is a tenth of a page's HTML, rendered and sent on every request: it is
 * left out when a template is compiled (only whitespace after a line break, so no page's text
 * changes: no template spreads a <pre>, a <textarea> or an attribute's value over lines). And a
 * rendering is not trimmed, which copied the page into one string twice (the view, then the layout
 * around it) before it was sent; the browser ignores those spaces.
 */
export class PageEngine extends ExpressHandlebars {
  // express-handlebars declares the options as RuntimeOptions, and passes its compilerOptions.
  protected override _compileTemplate(template: string, options?: RuntimeOptions): HandlebarsTemplateDelegate {
    return this.handlebars.compile(template.trim().replace(LEADING_WHITESPACE, '\n'), options as CompileOptions);
  }

  protected override _renderTemplate(template: HandlebarsTemplateDelegate, context?: object, options?: RuntimeOptions): string {
    return template(context, options);
  }

  /** Every partial, and the view as `body`: made once per view and set of partials (all of them are kept while the view cache is on). */
  readonly #partialsByView = new WeakMap<object, WeakMap<object, object>>();
  #pagePartials(partials: object, view: object): object {
    let byView = this.#partialsByView.get(partials);
    if (!byView) this.#partialsByView.set(partials, (byView = new WeakMap()));
    let pagePartials = byView.get(view);
    if (!pagePartials) byView.set(view, (pagePartials = { ...partials, body: view }));
    return pagePartials;
  }

  /**
   * A page is one rendering: its layout, with the view as the layout's `body` partial. Each
   * top-level rendering costs Handlebars a fresh copy of every helper, wrapped (to hand helpers
   * `lookupProperty`), of the partials and decorators; rendering the view, then the layout around
   * its HTML, paid it twice per page, and a partial shares its caller's. And the page is rendered
   * here rather than by express-handlebars' render, which copied the helpers, the context and the
   * options for each of the two, through four async steps. The view sees the same context as
   * before (the layout's, without `body`), and is escaped as before: the same compiled template.
   */
  override renderView(viewPath: string): Promise<string>;
  override renderView(viewPath: string, options: ViewOptions): Promise<string>;
  override renderView(viewPath: string, callback: RenderCallback): Promise<null>;
  override renderView(viewPath: string, options: ViewOptions, callback: RenderCallback): Promise<null>;
  override async renderView(viewPath: string, optionsOrCallback: ViewOptions | RenderCallback = {}, callback?: RenderCallback): Promise<string | null> {
    if (typeof optionsOrCallback === 'function') return this.renderView(viewPath, {}, optionsOrCallback);
    const options = optionsOrCallback;
    const layout = 'layout' in options ? options.layout : this.defaultLayout;
    if (!layout) return callback ? super.renderView(viewPath, options, callback) : super.renderView(viewPath, options);
    const files = { cache: options.cache, encoding: options.encoding ?? this.encoding };
    const layoutPath = path.resolve(this.layoutsDir, path.extname(layout) ? layout : layout + this.extname);
    const render = async () => {
      const [page, view, partials] = await Promise.all([this.getTemplate(layoutPath, files), this.getTemplate(viewPath, files), this.getPartials(files)]);
      return this._renderTemplate(page as HandlebarsTemplateDelegate, options, { ...this.runtimeOptions, helpers: this.helpers, partials: this.#pagePartials(partials, view) } as RuntimeOptions);
    };
    if (!callback) return render();
    // As express-handlebars calls back: an error of the rendering or of the callback goes to the callback.
    try {
      callback(null, await render());
    } catch (error) {
      callback(error as Error);
    }
    return null;
  }
}

/**
 * How every template is compiled. Otherwise a partial on an indented line indents every line it
 * outputs, textarea values too. And the helpers are all known when templates compile: then
 * `{{title}}` is a plain lookup and `{{t "key"}}` a direct call, where Handlebars otherwise looks
 * each name up among the helpers first, on every render (a twentieth of a member's challenge
 * page's rendering). A template that uses a helper that does not exist fails to compile, instead
 * of failing when that line is rendered (test/unit/view-templates.test.ts compiles them all).
 */
export const PAGE_COMPILER_OPTIONS: CompileOptions = {
  preventIndent: true,
  knownHelpers: Object.fromEntries(Object.keys(helpers).map((name) => [name, true])),
  knownHelpersOnly: true,
};

/**
 * The Handlebars engine. Templates are compiled once and kept; with `watch` (development: the
 * views folder) they are forgotten when a file under it changes, so an edit shows on the next
 * reload without re-reading every partial on every render. `onChange` also runs then (Express's
 * own view cache).
 */
export function createViewEngine(options: { watch?: string; onChange?: () => void } = {}) {
  // Handlebars reads its escaping function from its one shared Utils module when a template is
  // first run, so this is how every page's {{value}} gets it (the process has no other templates).
  Handlebars.Utils.escapeExpression = escapeHtml;
  const engine = new PageEngine({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(VIEWS_DIR, 'layouts'),
    partialsDir: path.join(VIEWS_DIR, 'partials'),
    helpers,
    compilerOptions: PAGE_COMPILER_OPTIONS,
    runtimeOptions: { allowProtoPropertiesByDefault: false },
  });
  // With the view cache on, express-handlebars still walks its cached partials directory and
  // awaits every partial on each render (a tenth of a signed-in page's CPU): keep the result.
  const getPartials = engine.getPartials.bind(engine);
  let cachedPartials: ReturnType<typeof getPartials> | undefined;
  engine.getPartials = (partialOptions = {}) => {
    if (!partialOptions.cache) return getPartials(partialOptions);
    cachedPartials ??= getPartials(partialOptions);
    cachedPartials.catch(() => {
      cachedPartials = undefined;
    });
    return cachedPartials;
  };
  if (options.watch) {
    watchFolders(options.watch, () => {
      // resetCache forgets the files read; the compiled templates are kept apart.
      engine.resetCache();
      engine.compiled = {};
      engine.precompiled = {};
      cachedPartials = undefined;
      forgetKeptFragments();
      options.onChange?.();
    });
  }
  return engine;
}

/**
 * Calls `onChange` when a file in `root` or a folder below it changes. One plain watcher per
 * folder (Node 20's recursive watcher on Linux cannot be unref'd, and would keep scripts alive).
 */
function watchFolders(root: string, onChange: () => void): void {
  const watched = new Set<string>();
  const add = (dir: string) => {
    if (watched.has(dir)) return;
    watched.add(dir);
    const watcher = watch(dir, () => {
      onChange();
      // A new folder (a feature's views) is watched from its first change on.
      addFoldersIn(dir);
    });
    watcher.on('error', () => watcher.close());
    watcher.unref();
    addFoldersIn(dir);
  };
  const addFoldersIn = (dir: string) => {
    try {
      for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) add(path.join(dir, entry.name));
    } catch {
      // The folder was removed: its watcher ends with it.
    }
  };
  add(root);
}
