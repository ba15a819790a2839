import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { message, translate } from '../../src/i18n/i18n.ts';
import { moverOf, noteOf, storedNote } from '../../src/features/ideas/history-notes.ts';

describe('idea history notes', () => {
  it('stores a note of Cocreate’s as its key and values beside the English, and a person’s words as written', () => {
    assert.deepEqual(storedNote(message('ideaHistory.won', { tier: 'First prize' })), { note: 'Won First prize', noteKey: 'ideaHistory.won', noteParams: { tier: 'First prize' } });
    assert.deepEqual(storedNote('Great fit'), { note: 'Great fit' });
  });

  it('reads a stored note back in the reader’s language, and an older English note or a person’s words as stored', () => {
    const stored = storedNote(message('ideaHistory.mergedInto', { title: 'Spikes' }));
    assert.equal(translate('de', noteOf(stored)), 'Zusammengeführt mit „Spikes“');
    assert.equal(translate('de', noteOf({ note: 'Resubmitted after changes' })), 'Resubmitted after changes');
    assert.equal(translate('de', noteOf({})), '');
  });

  it('names a group that moved the idea in the reader’s language, a person by their name', () => {
    assert.equal(translate('de', moverOf({ byId: null, byName: 'the copilots' })), 'die Copilots');
    assert.equal(translate('de', moverOf({ byId: null, byName: 'the judges' })), 'die Jury');
    assert.equal(translate('de', moverOf({ byId: 'a', byName: 'the judges' })), 'the judges', 'a person who chose that name keeps it');
    assert.equal(translate('de', moverOf({ byId: null, byName: 'Cocreate' })), 'Cocreate');
  });
});
