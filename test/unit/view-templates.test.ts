import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Handlebars from 'handlebars';
import { PAGE_COMPILER_OPTIONS, VIEWS_DIR } from '../../src/web/views.ts';

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
});
