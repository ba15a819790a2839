import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keptWith } from '../../src/web/kept-fragments.ts';

/** Calls the helper as a template's block does; returns the HTML and whether the block was rendered for it. */
function block(owner: object, more: unknown[], page: { locale?: string; viewerTimeZone?: string } = {}, name = 'card') {
  let rendered = false;
  const fn = () => {
    rendered = true;
    return `<p>${JSON.stringify(more)}</p>`;
  };
  const html = String(keptWith.call({}, name, owner, ...more, { fn, data: { root: { locale: 'en', viewerTimeZone: 'UTC', ...page } } }));
  return { html, rendered };
}

describe('kept fragments', () => {
  it('renders a block once per owner and what it is kept with, and serves it again', () => {
    const card = {};
    assert.equal(block(card, [['Ada'], false]).rendered, true);
    assert.equal(block(card, [['Ada'], false]).rendered, false, 'the same again: kept');
    assert.equal(block(card, [['Ada'], true]).rendered, true, 'voted: another variant');
    assert.equal(block(card, [['Ada'], false]).rendered, false, 'not voted: still kept');
    assert.equal(block(card, [['Ada', 'Bo'], false]).rendered, true, 'another author');
    assert.equal(block(card, [['Ada'], false], {}, 'vote button').rendered, true, 'another block of the same owner');
    assert.equal(block({}, [['Ada'], false]).rendered, true, 'a replaced owner');
  });

  it('keeps a rendering per language and time zone', () => {
    const card = {};
    block(card, ['x']);
    assert.equal(block(card, ['x'], { locale: 'de' }).rendered, true);
    assert.equal(block(card, ['x'], { viewerTimeZone: 'Asia/Tokyo' }).rendered, true);
    assert.equal(block(card, ['x'], { locale: 'de' }).rendered, false);
  });

  it('compares an object by what it held when the rendering was kept, not by what it holds now', () => {
    const card = {};
    const deleted = { key: 'people.deletedAccount' };
    const first = block(card, [[deleted]]);
    assert.equal(block(card, [[{ key: 'people.deletedAccount' }]]).rendered, false, 'an equal message: kept');
    deleted.key = 'people.somethingElse';
    const changed = block(card, [[deleted]]);
    assert.equal(changed.rendered, true, 'changed in place: rendered again');
    assert.notEqual(changed.html, first.html);
    // A name typed as the JSON of a message is a name, not that message.
    assert.equal(block(card, [[JSON.stringify({ key: 'people.deletedAccount' })]]).rendered, true);
  });

  it('renders without keeping when there is no owner object', () => {
    assert.equal(block(undefined as unknown as object, ['x']).rendered, true);
    assert.equal(block(undefined as unknown as object, ['x']).rendered, true);
  });
});
