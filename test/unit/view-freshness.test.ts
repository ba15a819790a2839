import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createViewEngine } from '../../src/web/views.ts';
import { eventually } from '../helpers/eventually.ts';

describe('templates in development', () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cocreate-views-'));
    file = path.join(dir, 'page.hbs');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const render = (engine: ReturnType<typeof createViewEngine>) => engine.renderView(file, { cache: true, layout: false, settings: { views: dir } } as never) as Promise<string>;

  it('are compiled once and kept, and an edited one is picked up when the folder is watched', async () => {
    await writeFile(file, 'first version');
    const kept = createViewEngine();
    const watched = createViewEngine({ watch: dir });
    assert.equal(await render(kept), 'first version');
    assert.equal(await render(watched), 'first version');

    await writeFile(file, 'second version');
    await eventually(async () => (await render(watched)) === 'second version', 'the edit to show');
    // Without the watcher the compiled template stays: nothing is re-read on each render.
    assert.equal(await render(kept), 'first version');
  });
});
