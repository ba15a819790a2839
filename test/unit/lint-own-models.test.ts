import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint();
const ruleHits = async (code: string, filePath: string) =>
  (await eslint.lintText(code, { filePath }))[0]!.messages.filter((message) => message.ruleId === 'cocreate/own-models').map((message) => message.message);

describe('the lint rule that each feature writes only its own models', () => {
  it('refuses a write to the Idea from another feature, and names the owner', async () => {
    const hits = await ruleHits(
      "import { Idea } from '../ideas/idea.model.ts';\nexport const f = (id: string) => Idea.updateOne({ _id: id }, { $set: { status: 'winner' } });\n",
      'src/features/judging/sneaky.ts',
    );
    assert.deepEqual(hits, ['Idea belongs to features/ideas: call its intent-named functions instead of writing it here.']);
  });

  it('refuses creating another feature’s document with new as well', async () => {
    assert.equal((await ruleHits("import { Vote } from '../community/vote.model.ts';\nexport const f = () => new Vote({});\n", 'src/features/curation/x.ts')).length, 1);
  });

  it('lets a feature read other features’ models and write its own', async () => {
    const code =
      "import { Idea } from '../ideas/idea.model.ts';\nimport { Merge } from './merge.model.ts';\nexport const f = async (id: string) => { await Idea.findById(id).lean(); await Merge.deleteOne({ _id: id }); };\n";
    assert.deepEqual(await ruleHits(code, 'src/features/curation/x.ts'), []);
    assert.deepEqual(await ruleHits("import { Idea } from './idea.model.ts';\nexport const f = (id: string) => Idea.deleteOne({ _id: id });\n", 'src/features/ideas/x.ts'), []);
  });

  it('finds no such write anywhere in the application', async () => {
    // `npm run lint` runs every rule on every file; here only this rule runs, on the files it can
    // report in (those importing a model): parsing the rest took most of this file's time.
    const sources = (await readdir('src', { recursive: true })).filter((file) => file.endsWith('.ts')).map((file) => path.join('src', file));
    const importingModels = [];
    for (const file of sources) if ((await readFile(file, 'utf8')).includes(".model.ts'")) importingModels.push(file);
    assert.ok(importingModels.length > 50, `the files that import a model: ${importingModels.length}`);
    const results = await new ESLint({ ruleFilter: ({ ruleId }) => ruleId === 'cocreate/own-models' }).lintFiles(importingModels);
    const hits = results.flatMap((result) => result.messages.filter((message) => message.ruleId === 'cocreate/own-models').map((message) => `${result.filePath}:${message.line}`));
    assert.deepEqual(hits, []);
  });
});
