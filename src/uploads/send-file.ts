import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { OpenedFile } from './file-store.ts';
import { contentDisposition } from './filenames.ts';
import { acceptedType } from './sniff.ts';

export type SendFileOptions = {
  /** Let images display in the page (challenge covers, thumbnails); everything else always downloads. */
  inlineImages: boolean;
  /** How long the browser may keep it. Private: the route decided this visitor may see it. */
  maxAgeSeconds?: number;
};

/**
 * Sends a stored file so that it can never run as part of our site: its sniffed type with
 * `nosniff`, a sandboxing CSP that allows nothing, and a download (`attachment`) for everything
 * but images shown inline on request. The caller checks who may see the file first.
 * Resolves when the file has been sent. Rejects when reading it fails: before anything was sent
 * (a missing chunk), the response is untouched and the error handler answers; mid-way, the
 * connection is cut so the download cannot pass for complete.
 */
export async function sendStoredFile(res: Response, file: OpenedFile, options: SendFileOptions): Promise<void> {
  const type = acceptedType(file.mime);
  const inline = options.inlineImages && type?.kind === 'image';
  // Text was checked to be UTF-8 when it was accepted; anything unexpected is offered as bytes.
  const contentType = !type ? 'application/octet-stream' : type.kind === 'text' ? `${type.mime}; charset=utf-8` : type.mime;
  const setHeaders = () => {
    res.status(200);
    res.setHeader('Content-Type', contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Content-Disposition', contentDisposition(inline ? 'inline' : 'attachment', file.filename));
    res.setHeader('Cache-Control', `private, max-age=${Math.max(0, Math.floor(options.maxAgeSeconds ?? 3600))}`);
    res.setHeader('Content-Length', String(file.size));
  };

  if (res.req.method === 'HEAD') {
    file.stream.destroy();
    setHeaders();
    res.end();
    return;
  }

  // Read the first chunk before committing to a 200, so a file that cannot be read still gets an error page.
  const chunks: AsyncIterator<Buffer> = file.stream[Symbol.asyncIterator]();
  const first = await chunks.next();
  setHeaders();
  try {
    await pipeline(async function* () {
      try {
        if (first.done) return;
        yield first.value;
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
      } finally {
        await chunks.return?.(); // closes the database stream when the visitor leaves early
      }
    }, res);
  } catch (error) {
    // The visitor went away mid-download: nothing to answer and nothing wrong on our side.
    if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE' && res.headersSent) return;
    throw error;
  }
}
