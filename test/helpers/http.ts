/**
 * A browser-like HTTP client for integration tests: keeps cookies, does not follow redirects
 * (tests assert them), and fills in the CSRF token from the page that holds the form.
 */
export class TestClient {
  private readonly cookies = new Map<string, string>();
  private readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  /**
   * `body_` is the page with the characters beyond Latin-1 that pages write as numeric references
   * (src/web/html-escape.ts) read back, as the browser reads them, so tests match "“Curation”";
   * `html_` is the page as sent.
   */
  async request(path: string, init: RequestInit = {}): Promise<Response & { body_: string; html_: string }> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((attribute) => /^\s*expires=Thu, 01 Jan 1970/i.test(attribute)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = await response.text();
    return Object.assign(response, { body_: readReferences(html), html_: html });
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }

  /** Posts a urlencoded form; `csrf` is the token, usually from `csrfFrom`. */
  post(path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) {
      for (const item of [value].flat()) body.append(name, item);
    }
    return this.request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  /** Opens the page with the form, then posts it with that page's CSRF token. */
  async submit(pagePath: string, action: string, fields: Record<string, string | string[]>) {
    const page = await this.get(pagePath);
    // A page without the form (an error page, a redirect) says what it was: the test's failure shows why.
    if (!/name="_csrf"/.test(page.body_)) throw new Error(`no CSRF token on ${pagePath}: ${page.status} ${page.headers.get('location') ?? ''} ${page.body_.replace(/\s+/g, ' ').slice(0, 600)}`);
    return this.post(action, { _csrf: csrfFrom(page.body_), ...fields });
  }

  hasCookie(name: string) {
    return this.cookies.has(name);
  }

  cookie(name: string) {
    return this.cookies.get(name);
  }

  /** Every cookie the client holds, as name and value (to hand them to a browser). */
  allCookies(): Array<{ name: string; value: string }> {
    return [...this.cookies].map(([name, value]) => ({ name, value }));
  }
}

/** The named references templates use for characters beyond Latin-1. */
const NAMED: Record<string, string> = { larr: '←', rarr: '→', uarr: '↑', darr: '↓', mdash: '—', ndash: '–', ldquo: '“', rdquo: '”' };
/** References to characters beyond Latin-1 ("&#8220;", "&mdash;") as the characters: only those, so every other escape stays visible to tests. */
const readReferences = (html: string) =>
  html.replace(/&#(\d+);|&([a-z]+);/g, (reference, code: string | undefined, name: string | undefined) =>
    code !== undefined ? (Number(code) > 0xff && Number(code) <= 0x10ffff ? String.fromCodePoint(Number(code)) : reference) : (NAMED[name!] ?? reference),
  );

export function csrfFrom(html: string): string {
  const token = html.match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return token;
}
