import type { Express, Response } from 'express';

type RenderCallback = (error: Error, html: string) => void;

/**
 * A page as Express's `send` would send it, minus the Buffer: its type, its length, and no body for
 * HEAD. Node measures a body given to `end` for its Content-Length: measured here too, a page's
 * 66 kB were counted twice.
 */
function sendPage(res: Response, html: string): void {
  if (!res.get('Content-Type')) res.type('html');
  if (res.req.method !== 'HEAD') return void res.end(html, 'utf8');
  res.setHeader('Content-Length', Buffer.byteLength(html, 'utf8'));
  res.end();
}

/**
 * Rendered pages go to the socket as the strings they are. Express's `send` turns any body of
 * 1,000 characters or more into a Buffer first (to measure it, and for an ETag, which we do not
 * make): for a member's 66 kB challenge page a fresh allocation outside V8's heap, a UTF-8
 * encoding of the page, and more garbage collection, about a tenth of the page's CPU. Node writes
 * a string body with the response's headers in one piece. A render with its own callback is left as it is.
 */
export function sendPagesAsStrings(app: Express): void {
  const render = app.response.render as (this: Response, view: string, options?: object, callback?: RenderCallback) => void;
  app.response.render = function (this: Response, view: string, options?: object | RenderCallback, callback?: RenderCallback) {
    if (typeof options === 'function') return render.call(this, view, {}, options as RenderCallback);
    render.call(this, view, options, callback ?? ((error, html) => (error ? this.req.next!(error) : sendPage(this, html))));
  };
}
