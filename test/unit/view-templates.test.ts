import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import Handlebars from 'handlebars';
import { helpers, PAGE_COMPILER_OPTIONS, PageEngine, VIEWS_DIR } from '../../src/web/views.ts';

const templates = readdirSync(VIEWS_DIR, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.hbs'));

describe('page templates', () => {
  it('all compile with the helpers the view engine knows', () => {
    assert.ok(templates.length > 50, `found ${templates.length} templates`);
    for (const file of templates) {
      // precompile compiles at once; `compile` would wait for the first render.
      assert.doesNotThrow(() => Handlebars.precompile(readFileSync(path.join(VIEWS_DIR, file), 'utf8'), PAGE_COMPILER_OPTIONS), file);
    }
  });

  it('refuses a helper that does not exist when compiling, not when the line is rendered', () => {
    assert.throws(() => Handlebars.precompile('<p>{{formatDat createdAt}}</p>', PAGE_COMPILER_OPTIONS), /unknown helper formatDat/);
    assert.throws(() => Handlebars.precompile('{{#keptWit "card" card}}x{{/keptWit}}', PAGE_COMPILER_OPTIONS), /unknown helper keptWit/);
  });

  it('each layout places its view as the body partial, which is how the engine hands it the view', () => {
    const layouts = templates.filter((file) => file.startsWith(`layouts${path.sep}`));
    assert.ok(layouts.length > 0);
    for (const file of layouts) {
      const source = readFileSync(path.join(VIEWS_DIR, file), 'utf8');
      // {{{body}}} would be empty: the engine passes the view as a partial, not its HTML.
      assert.ok(source.includes('{{> body}}') && !source.includes('{{{body}}}'), file);
    }
  });
});

describe('the backlog review', () => {
  const review = Handlebars.compile(readFileSync(path.join(VIEWS_DIR, 'backlogs', 'review.hbs'), 'utf8'), PAGE_COMPILER_OPTIONS);
  const entry = (id: string, interval: { low: number; high: number }, promoted: { itemId: string | null }) => ({
    card: { id, title: `Idea ${id}`, status: 'promoted', votes: 2 },
    judged: { finalRank: interval.low, interval, calibratedScore: 71.5, rawMean: 70 },
    crowd: { comparisons: 0 },
    note: '',
    declined: null,
    promoted,
  });

  it('gives a rank the judges agree on as it is, an uncertain one as its range, and where each accepted entry went', () => {
    const html = review(
      { challenge: { id: 'c1', title: 'C' }, backlog: { name: 'Product' }, entries: [entry('a', { low: 1, high: 1 }, { itemId: 'item-a' }), entry('b', { low: 2, high: 3 }, { itemId: null })] },
      { helpers },
    );
    assert.match(html, /ranked 1st, calibrated/);
    assert.match(html, /ranked 2nd \(between 2nd and 3rd\), calibrated/);
    assert.match(html, /In this backlog: <a href="\/backlog-items\/item-a">open its item<\/a>/);
    assert.match(html, /In another backlog\./);
  });
});

describe('a page', () => {
  it('is its layout around its view, the view escaped and with the same context and helpers', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cocreate-page-'));
    try {
      mkdirSync(path.join(dir, 'layouts'));
      mkdirSync(path.join(dir, 'partials'));
      writeFileSync(path.join(dir, 'layouts', 'main.hbs'), '<title>{{title}}</title>\n<main>\n  {{> body}}\n</main>');
      writeFileSync(path.join(dir, 'partials', 'note.hbs'), '<small>{{note}}</small>');
      writeFileSync(path.join(dir, 'page.hbs'), '<h1>{{title}}</h1><p>{{text}} {{plural count "idea"}}</p>{{> note note=text}}');
      const engine = new PageEngine({
        extname: '.hbs',
        defaultLayout: 'main',
        layoutsDir: path.join(dir, 'layouts'),
        partialsDir: path.join(dir, 'partials'),
        helpers,
        compilerOptions: PAGE_COMPILER_OPTIONS,
      });
      const context = { cache: true, settings: { views: dir }, title: 'A & B', text: '<b>bold</b>', count: 2 };
      const page = await engine.renderView(path.join(dir, 'page.hbs'), context as never);
      assert.equal(page, '<title>A &amp; B</title>\n<main>\n<h1>A &amp; B</h1><p>&lt;b&gt;bold&lt;/b&gt; 2 ideas</p><small>&lt;b&gt;bold&lt;/b&gt;</small></main>');
      // Without a layout, the view alone.
      assert.equal(
        await engine.renderView(path.join(dir, 'page.hbs'), { ...context, layout: false } as never),
        '<h1>A &amp; B</h1><p>&lt;b&gt;bold&lt;/b&gt; 2 ideas</p><small>&lt;b&gt;bold&lt;/b&gt;</small>',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
