/**
 * Child process of `pages.ts`: the baseline. A bare Express 5 app with express-handlebars and
 * no middleware at all, rendering one page (layout + view, cached as in production) whose HTML
 * is about `targetBytes` long, so the difference to our pages is what our middleware and
 * templates cost, not the size of the response.
 *
 * argv: <views directory to write the generated templates into> <targetBytes>
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import express from 'express';
import { create } from 'express-handlebars';
import { bareLayout } from './bare-layout.ts';
import { listenLocally, runBenchServer } from './serve.ts';

const [viewsDir, target] = process.argv.slice(2);
const targetBytes = Number(target);
if (!viewsDir || !Number.isInteger(targetBytes) || targetBytes <= 0) throw new Error('usage: bare-server.ts <views directory> <target bytes>');

const BARE_LAYOUT = bareLayout('{{{body}}}');

const SENTENCES = [
  'A company asks its customers for ideas on a real problem and curates what the crowd answers.',
  'Judges score the shortlist on a scorecard, and the best ideas go into the product backlog.',
  'Every contributor is told what became of their idea, so the loop is closed back to the crowd.',
];

/** Plain paragraphs (ASCII, so characters = bytes) until layout + view reach the target size. */
function generateView(): string {
  const parts = ['<h1>{{title}}</h1>\n'];
  let size = BARE_LAYOUT.length + parts[0]!.length;
  for (let i = 0; size < targetBytes; i++) {
    const paragraph = `<section class="card"><p>${SENTENCES[i % SENTENCES.length]}</p></section>\n`;
    parts.push(paragraph);
    size += paragraph.length;
  }
  return parts.join('');
}

runBenchServer(async () => {
  await mkdir(path.join(viewsDir, 'layouts'), { recursive: true });
  await writeFile(path.join(viewsDir, 'layouts', 'main.hbs'), BARE_LAYOUT);
  await writeFile(path.join(viewsDir, 'page.hbs'), generateView());

  const app = express();
  app.engine('hbs', create({ extname: '.hbs', defaultLayout: 'main', layoutsDir: path.join(viewsDir, 'layouts') }).engine);
  app.set('view engine', 'hbs');
  app.set('views', viewsDir);
  app.set('view cache', true);
  app.get('/', (_req, res) => res.render('page', { title: 'A bare page' }));

  const server = await listenLocally(app);
  return { server, close: async () => {} };
});
