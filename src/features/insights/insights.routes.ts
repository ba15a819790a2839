import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { Invalid, NotFound } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { responseLocale } from '../../web/locale.ts';
import { csvStringifier } from '../exports/csv.ts';
import { slugOf } from '../exports/exports.routes.ts';
import type { AcrossInsights } from './across.service.ts';
import { insightsQuery, type Insights, type InsightsQuery } from './insights.service.ts';
import { DIMENSIONS } from './keys.ts';
import { canViewAnyone } from './individual.policy.ts';
import { csvRecords, wordsOf } from './tables.ts';
import { isCatalogueKey, message } from '../../i18n/i18n.ts';

/** The query string that reproduces the filters, for the CSV links. */
const queryString = (query: InsightsQuery) => {
  const params = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
  return params.size ? `?${params}` : '';
};

/** Only the filters the page knows; anything else in the query string is ignored. */
function rawQuery(req: Request): Record<string, string> {
  const known = [...DIMENSIONS, 'tag', 'from', 'to'];
  return Object.fromEntries(Object.entries(req.query).filter(([key, value]) => known.includes(key) && typeof value === 'string')) as Record<string, string>;
}

/** What the challenge page calls on each view: counts the visitor in the background, never delays the page. */
export function visitorHook(insights: Insights, onError: (error: unknown) => void) {
  return (req: Request, challengeId: string): void => {
    insights.visited(challengeId, { userId: req.user?.id ?? null, ip: req.ip ?? '', userAgent: req.get('user-agent') ?? '' }).catch(onError);
  };
}

// The figures' HTML, rendered once per cached computation: the computation is cached for a few
// seconds per challenge, filters and language (insights.service.ts), and so, with it, is its
// markup, in two versions: with the people's names linked to their individual views (for staff,
// who may open them) and without (for copilots, who may not).
const renderedFigures = { linked: new WeakMap<object, Promise<string>>(), plain: new WeakMap<object, Promise<string>>() };

function renderOnce(req: Request, res: Response, figures: object, locals: Record<string, unknown> & { linkPeople: boolean }): Promise<string> {
  const rendered = locals.linkPeople ? renderedFigures.linked : renderedFigures.plain;
  let html = rendered.get(figures);
  if (!html) {
    html = new Promise<string>((resolve, reject) =>
      req.app.render('insights/figures', { ...locals, locale: responseLocale(res), layout: false }, (error, out) => (error ? reject(error) : resolve(out))),
    );
    rendered.set(figures, html);
    html.catch(() => rendered.delete(figures));
  }
  return html;
}

/** The filters' problems as the page shows them: zod gives catalogue keys as its messages. */
function invalidFilters(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): Invalid {
  return new Invalid(Object.fromEntries(issues.map((issue) => [String(issue.path[0]), isCatalogueKey(issue.message) ? message(issue.message) : issue.message])), message('insights.invalid.filters'));
}

/** GET /challenges/:id/insights (staff, the challenge's copilots) and each table as CSV. */
export function insightsRoutes(deps: { insights: Insights; across: AcrossInsights }): Router {
  const { insights, across } = deps;
  const router = Router();

  /** The filters as the form shows them; a segment's option reads "not stated" in the reader's language. */
  function filterForm(res: Response, values: Record<string, string>, everything: { segments: string[]; tagValues: string[] }) {
    const words = wordsOf(responseLocale(res));
    return {
      values,
      dimensions: DIMENSIONS.map((name) => ({ name, value: values[name] ?? '' })),
      segments: everything.segments,
      segmentOptions: everything.segments.map((value) => ({ value, label: words.value('segment', value) })),
      tags: everything.tagValues,
    };
  }

  async function renderInvalid(req: Request, res: Response, error: Invalid) {
    const values = rawQuery(req);
    const { challenge, ...choices } = await insights.choices(actorOf(req), String(req.params.id));
    res.status(400).render('insights/challenge', {
      title: message('insights.titleOf', { title: challenge.title }),
      challenge,
      ...filterForm(res, values, choices),
      errors: error.fieldTexts,
      errorSummary: error.text,
    });
  }

  router.get('/challenges/:id/insights', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    let result;
    try {
      const query = insightsQuery.safeParse(rawQuery(req));
      if (!query.success) throw invalidFilters(query.error.issues);
      result = { query: query.data, ...(await insights.figures(actor, String(req.params.id), query.data, responseLocale(res))) };
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderInvalid(req, res, error);
    }
    const { challenge, figures, filters, query } = result;
    const figuresHtml = await renderOnce(req, res, figures, {
      challenge,
      range: filters.range,
      zone: filters.zone,
      viewerTimeZone: filters.zone,
      filtered: Boolean(filters.filter.dimension || filters.filter.tag),
      figures,
      csvSuffix: queryString(query),
      linkPeople: canViewAnyone(actor),
    });
    res.render('insights/challenge', {
      title: message('insights.titleOf', { title: challenge.title }),
      challenge,
      ...filterForm(res, rawQuery(req), { segments: figures.segments, tagValues: figures.tagValues }),
      figuresHtml,
      errors: {},
    });
  });

  router.get('/insights', requireSignIn, async (req, res) => {
    const values = rawQuery(req);
    try {
      const figures = await across.figures(actorOf(req), values, responseLocale(res));
      res.render('insights/across', {
        title: message('insights.across.title'),
        figures,
        values,
        dimensions: DIMENSIONS.map((name) => ({ name, value: values[name] ?? '' })),
        errors: {},
      });
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400).render('insights/across', {
        title: message('insights.across.title'),
        values,
        dimensions: DIMENSIONS.map((name) => ({ name, value: values[name] ?? '' })),
        errors: error.fieldTexts,
        errorSummary: error.text,
      });
    }
  });

  router.get('/challenges/:id/insights/:table.csv', requireSignIn, async (req, res) => {
    const query = insightsQuery.safeParse(rawQuery(req));
    if (!query.success) throw invalidFilters(query.error.issues);
    const { challenge, table } = await insights.table(actorOf(req), String(req.params.id), query.data, String(req.params.table), responseLocale(res));
    if (!table) throw new NotFound(message('insights.refusal.noTable'));
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${slugOf(challenge.title)}-${table.id}.csv"`);
    try {
      await pipeline(Readable.from(csvRecords(table)), csvStringifier(table.columns), res);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') req.log.error({ err: error }, 'insights CSV failed while streaming');
    }
  });

  return router;
}
