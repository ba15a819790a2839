import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hiddenMessages } from '../../src/features/curation/hidden-view.ts';
import { translate } from '../../src/i18n/i18n.ts';

describe('what people read about hidden content', () => {
  it('ends the note on removed content with one full stop, whether or not the copilot ended the reason with one', () => {
    for (const reason of ['Not a helpful comment; removed.', 'Not a helpful comment; removed']) {
      const shown = hiddenMessages('comment', { cause: 'removed', reason })!;
      assert.equal(translate('en', shown.note), 'Removed by the copilots: Not a helpful comment; removed. Only its authors and the challenge team see it.');
      assert.equal(translate('en', shown.placeholder), `This comment was removed by the copilots: ${reason}`, 'the crowd reads the reason as written');
    }
  });

  it('tells the crowd only that reported content is under review, naming no reporter', () => {
    const shown = hiddenMessages('idea', { cause: 'reports', reason: 'Reported by Jo' })!;
    assert.equal(translate('en', shown.placeholder), 'This idea is hidden while the copilots review it.');
    assert.doesNotMatch(translate('en', shown.note), /Jo/);
  });
});
