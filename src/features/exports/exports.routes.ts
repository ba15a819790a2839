import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request } from 'express';
import { NotFound } from '../../shared/errors.ts';
import { csvStringifier } from './csv.ts';
import { DATASETS, FORMATS } from './exports.policy.ts';
import { columnHeading, type ExportRow, type Exports } from './exports.service.ts';
import { responseLocale } from '../../web/locale.ts';

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;

/** "Make onboarding delightful!" → "make-onboarding-delightful": safe in a header, readable in a download folder. */
export function slugOf(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
  return slug || 'challenge';
}

/** The rows again, the first one (already read) included. */
async function* startingWith(first: IteratorResult<ExportRow>, rest: AsyncGenerator<ExportRow>): AsyncGenerator<ExportRow> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}

/** A JSON array written element by element, never held whole. */
async function* jsonArray(rows: AsyncIterable<ExportRow>): AsyncGenerator<string> {
  yield '[';
  let separator = '';
  for await (const row of rows) {
    yield `${separator}${JSON.stringify(row)}`;
    separator = ',\n';
  }
  yield ']\n';
}

function logStreamError(req: Request, error: unknown) {
  // The client going away mid-download is not our failure.
  if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') req.log.info('export download interrupted by the client');
  else req.log.error({ err: error }, 'export failed while streaming: the response was cut short');
}

/** GET /challenges/:id/exports/<ideas|scores|outcomes>.<csv|json>: see docs/exports.md. */
export function exportsRoutes(deps: { exports: Exports }): Router {
  const router = Router();

  router.get('/challenges/:id/exports/:dataset.:format', async (req, res) => {
    const dataset = DATASETS.find((name) => name === req.params.dataset);
    const format = FORMATS.find((name) => name === req.params.format);
    if (!dataset || !format) throw new NotFound();
    // A CSV is for people, in their language; the JSON for scripts, in English like its field names.
    const locale = format === 'csv' ? responseLocale(res) : 'en';
    const { challenge, columns, rows } = await deps.exports.open(req.user ?? null, String(req.params.id), dataset, locale);
    // The first row is read before anything is sent: a failure there still gets a proper error page.
    const first = await rows.next();

    res.status(200);
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename="${slugOf(challenge.title)}-${dataset}.${format}"`);
    // What one may export depends on who asks: never from a shared cache.
    res.setHeader('Cache-Control', 'private, no-store');
    const all = startingWith(first, rows);
    try {
      // pipeline() waits for the response to drain before reading more rows, and destroys both ends on failure.
      if (format === 'csv')
        await pipeline(
          Readable.from(all),
          csvStringifier(columns, (column) => columnHeading(locale, column)),
          res,
        );
      else await pipeline(Readable.from(jsonArray(all)), res);
    } catch (error) {
      // Headers are gone: the only honest signal left is a response that ends abruptly.
      logStreamError(req, error);
    }
  });

  return router;
}
