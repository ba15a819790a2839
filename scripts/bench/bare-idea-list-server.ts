/**
 * Child process of `challenge-page.ts`: the baseline for the challenge page. A bare Express 5
 * app with express-handlebars and no middleware at all, rendering one page (layout + a heading +
 * the list of the 50-idea challenge's ideas, newest first, cached as in production).
 *
 * The list's template is cut out of views/challenges/show.hbs (the `<ul class="idea-list">`
 * block) and rendered by the app's express-handlebars engine (src/web/views.ts), so it is the app's markup by construction: title link, summary, author names, date,
 * tags, votes. Its helpers are the app's `t` and `formatNumber`, and plain versions of its others: `eq`, `concat`, `isoDate`, `plural`, `keptWith` (which keeps nothing),
 * and `formatDate` in UTC (what a visitor sees) with one date formatter made at start. If the
 * list starts using another helper, the bare page answers 500 and the bench stops. The bench
 * checks that this list and the app's are the same HTML before it measures.
 *
 * argv: <views directory to write the templates into> <now, ms since the epoch (see challenge-data.ts)>
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { i18nHelpers } from '../../src/web/i18n-helpers.ts';
import { PageEngine } from '../../src/web/views.ts';
import express from 'express';
import { bareLayout } from './bare-layout.ts';
import { fiftyIdeas } from './challenge-data.ts';
import { listenLocally, runBenchServer } from './serve.ts';

const [viewsDir, nowText] = process.argv.slice(2);
const now = Number(nowText);
if (!viewsDir || !Number.isSafeInteger(now)) throw new Error('usage: bare-idea-list-server.ts <views directory> <now, ms since the epoch>');

const SHOW_TEMPLATE = fileURLToPath(new URL('../../views/challenges/show.hbs', import.meta.url));
/** The partials the idea rows use, as the app has them. */
const ROW_PARTIALS = ['card-vote', 'vote-count-texts', 'vote-texts'];

/** The idea list of show.hbs, reading its cards from `ideas` instead of `ideas.cards`. */
async function ideaListTemplate(): Promise<string> {
  const show = await readFile(SHOW_TEMPLATE, 'utf8');
  const block = /^[ \t]*<ul class="idea-list"[^>]*>[\s\S]*?<\/ul>\n/m.exec(show)?.[0];
  if (!block?.includes('{{#each ideas.cards}}')) {
    throw new Error(`${SHOW_TEMPLATE} no longer has a <ul class="idea-list"> with {{#each ideas.cards}}: update bare-idea-list-server.ts`);
  }
  return block.replace('{{#each ideas.cards}}', '{{#each ideas}}');
}

const utcDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const count = new Intl.NumberFormat('en-GB');
const helpers = {
  // The rows' words come from the catalogue, in the app as here: `t`, `formatNumber` are the app's own.
  ...i18nHelpers,
  concat: (...parts: unknown[]) => parts.slice(0, -1).join(''),
  eq: (a: unknown, b: unknown) => a === b,
  isoDate: (value: unknown) => (value instanceof Date ? value.toISOString() : ''),
  formatDate: (value: unknown) => (value instanceof Date ? utcDate.format(value) : ''),
  // The rows rendered on every request: the bare page keeps nothing (the app keeps a card's rendering, see src/web/kept-fragments.ts).
  keptWith(this: unknown, ...args: unknown[]) {
    return (args.at(-1) as { fn: (context: unknown) => string }).fn(this);
  },
  plural: (value: unknown, singular: string, pluralOrOptions: unknown) => {
    const n = Number(value) || 0;
    return `${count.format(n)} ${n === 1 ? singular : typeof pluralOrOptions === 'string' ? pluralOrOptions : `${singular}s`}`;
  },
};

runBenchServer(async () => {
  await mkdir(path.join(viewsDir, 'layouts'), { recursive: true });
  await writeFile(path.join(viewsDir, 'layouts', 'main.hbs'), bareLayout('{{> body}}'));
  await writeFile(path.join(viewsDir, 'ideas.hbs'), `<h1>{{title}}</h1>\n${await ideaListTemplate()}`);
  // The card's vote button and its count's forms, as the app has them: the bare rows carry no ballot, as a visitor's.
  await mkdir(path.join(viewsDir, 'partials'), { recursive: true });
  for (const name of ROW_PARTIALS) {
    await writeFile(path.join(viewsDir, 'partials', `${name}.hbs`), await readFile(fileURLToPath(new URL(`../../views/partials/${name}.hbs`, import.meta.url)), 'utf8'));
  }

  const ideas = fiftyIdeas(now)
    .reverse()
    // Listed as the app lists them (ListedCard): the card, and the names beside it.
    .map((idea) => ({
      id: idea.id,
      title: idea.title,
      authorNames: [idea.authorName],
      card: { id: idea.id, status: 'submitted', title: idea.title, summary: idea.summary, votes: 0, submittedAt: idea.submittedAt, tags: idea.tags },
    }));

  const app = express();
  // The app's own engine (express-handlebars, compiled and rendered as the app does), so both pages send the same HTML.
  app.engine('hbs', new PageEngine({ extname: '.hbs', defaultLayout: 'main', layoutsDir: path.join(viewsDir, 'layouts'), partialsDir: path.join(viewsDir, 'partials'), helpers }).engine);
  app.set('view engine', 'hbs');
  app.set('views', viewsDir);
  app.set('view cache', true);
  app.get('/', (_req, res) => res.render('ideas', { title: 'The small idea hunt', ideas }));

  const server = await listenLocally(app);
  return { server, close: async () => {} };
});
