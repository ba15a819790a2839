import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { highlightMentions, MAX_SUGGESTIONS, suggestMentions } from '../../src/features/community/mentions.ts';

describe('mentions', () => {
  it('suggests at most a short list, by prefix, without the one typing', () => {
    const people = Array.from({ length: 12 }, (_, i) => ({ id: String(i), name: `Sam ${String(i).padStart(2, '0')}` }));
    const names = suggestMentions(people, 'sam', '0').map((person) => person.name);
    assert.equal(names.length, MAX_SUGGESTIONS);
    assert.equal(names[0], 'Sam 01');
    assert.deepEqual(suggestMentions(people, 'am', '0'), [], 'a prefix, not any substring');
  });

  it('wraps mentions in text, not in tags, longest name first', () => {
    const html = '<p>Hi @Ann Lee Smith and @ann lee, <a href="https://x.test/@Ann Lee">@Ann Leeward</a></p>';
    assert.equal(
      highlightMentions(html, ['Ann Lee', 'Ann Lee Smith']),
      '<p>Hi <span class="mention">@Ann Lee Smith</span> and <span class="mention">@ann lee</span>, <a href="https://x.test/@Ann Lee">@Ann Leeward</a></p>',
    );
  });

  it('matches names as the markdown renderer escapes them', () => {
    assert.equal(
      highlightMentions('<p>@Tom &amp; Jo and @Rhea O’Neil</p>', ['Tom & Jo', "Rhea O'Neil"]),
      '<p><span class="mention">@Tom &amp; Jo</span> and <span class="mention">@Rhea O’Neil</span></p>',
    );
    assert.equal(highlightMentions('<p>@<b>x</b></p>', ['<b>x</b>']), '<p>@<b>x</b></p>', 'a name is text, never markup');
  });
});
