import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { createRequire } from 'node:module';

let source: string | undefined;

/** axe-core's source (652 KB), read once. */
export function axeSource(): string {
  source ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return source;
}

/** Where a test app serves axe-core: on its own origin, so the page's CSP (`script-src 'self'`) lets a script tag load it. */
export const AXE_PATH = '/__test/axe-core.js';

const servingOrigins = new Set<string>();

/**
 * The test app's request handler, answering first the requests for axe-core. Loaded by a script
 * tag and cached by HTTP, axe's compiled code is kept between a browser context's documents:
 * evaluating its source in each page cost Chromium about 0.24 s of CPU per page, loading it from
 * here about 0.11 s (24 pages each way, one after the other). `origin` is the app's URL, for
 * `servesAxe`; `stop` forgets it.
 */
export function withAxe(origin: string, handle: RequestListener): { handle: RequestListener; stop: () => void } {
  servingOrigins.add(origin);
  return {
    handle: (request, response) => {
      if (request.url !== AXE_PATH) return handle(request, response);
      response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' });
      response.end(axeSource());
    },
    stop: () => servingOrigins.delete(origin),
  };
}

/** Whether a test app of this process serves axe-core at `origin` (a server process, `setContent` pages: no). */
export function servesAxe(origin: string): boolean {
  return servingOrigins.has(origin);
}
