import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { decideIdea } from '../helpers/curation.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { expectGerman, GERMAN } from '../helpers/languages.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/** An idea's status history: Cocreate's own notes in the reader's language, a copilot's words as written. */
describe('languages: the notes in an idea’s history', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('says a resubmission and a rejection’s reason in German, keeps the copilot’s message, and stores the English beside the key', async () => {
    const { id, staff } = await createChallenge(app, { phase: 'open', form: { title: 'Winterreifen' } });
    const author = await createUser({ name: 'Otto Autor' });
    // Named in one or two words: a sentence the German and English pages share is a template's English.
    const words = { title: 'Spikes', summary: 'Griffig', body: 'Profil', tags: 'reifen' };
    const form = ideaForm(words);
    const { ideaId } = await app.services.ideas.createIdea(actorFor(author), id, ideaInput.parse(form), form);
    await decideIdea(app, staff, id, ideaId, 'request-changes', 'Details bitte.');
    const again = ideaForm({ ...words, intent: 'submit' });
    await app.services.ideas.updateIdea(actorFor(author), ideaId, ideaInput.parse(again), again);
    await decideIdea(app, staff, id, ideaId, 'reject', 'Leider unpassend.');

    const browser = await signedInClient(app.url, author);
    const german = (await browser.get(`/ideas/${ideaId}`, { 'accept-language': GERMAN })).body_;
    assert.match(german, /— Nach Änderungen erneut eingereicht<\/li>/);
    assert.match(german, /— Passt nicht zu dem, was diese Challenge sucht — Leider unpassend\.<\/li>/);
    await expectGerman(browser, `/ideas/${ideaId}`);
    const english = (await browser.get(`/ideas/${ideaId}`, { 'accept-language': 'en' })).body_;
    assert.match(english, /— Resubmitted after changes<\/li>/);

    const notes = (await Idea.findById(ideaId).lean())!.statusHistory.map((change) => change.note);
    assert.ok(notes.includes('Resubmitted after changes'), 'exports and the audit read the English sentence');
  });
});
