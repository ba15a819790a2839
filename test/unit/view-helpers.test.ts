import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serialize } from 'node:v8';
import { translateKey } from '../../src/i18n/i18n.ts';
import { escapeHtml, latin1Html } from '../../src/web/html-escape.ts';
import { helpers } from '../../src/web/views.ts';

/** Whether V8 stores the string one byte per character (its serialisation's tag says: '"' one-byte, 'c' two-byte). */
const isOneByte = (text: string) => String.fromCharCode(serialize(text)[2]!) === '"';

const inZone = (timeZone: string) => ({ data: { root: { viewerTimeZone: timeZone } } });

describe('view helpers', () => {
  it("shows a date in the viewer's time zone", () => {
    const date = new Date('2026-11-25T23:30:00Z');
    assert.equal(helpers.formatDate(date, inZone('UTC')), '25 Nov 2026, 23:30');
    assert.equal(helpers.formatDate(date, inZone('Asia/Tokyo')), '26 Nov 2026, 08:30');
    assert.equal(helpers.formatDate('not a date', inZone('UTC')), '');
  });

  it('says how long ago or ahead in the largest unit that fits, in the reader’s language, the same when asked again', () => {
    const now = Date.now();
    const inLocale = (locale: string) => ({ data: { root: { locale } } });
    for (let round = 0; round < 2; round++) {
      assert.equal(helpers.relativeTime(new Date(now - 3 * 86_400_000 - 60_000), inLocale('en')), '3 days ago');
      assert.equal(helpers.relativeTime(new Date(now - 3 * 86_400_000 - 60_000), inLocale('de')), 'vor 3 Tagen');
      assert.equal(helpers.relativeTime(new Date(now + 2 * 3_600_000 + 60_000), inLocale('en')), 'in 2 hours');
      assert.equal(helpers.relativeTime(new Date(now - 86_400_000 - 60_000), inLocale('en')), 'yesterday');
      assert.equal(helpers.relativeTime(new Date(now - 5_000), inLocale('en')), 'this minute');
    }
    assert.equal(helpers.relativeTime('not a date', inLocale('en')), '');
  });

  it('writes a date kept from an earlier page for its own time zone, and past the most it keeps, as before', () => {
    const date = new Date('2026-03-29T00:30:00Z');
    // Written in one zone first: the other zone's page must not get that zone's text.
    assert.equal(helpers.formatDate(date, inZone('Europe/Berlin')), '29 Mar 2026, 01:30');
    assert.equal(helpers.formatDate(date, inZone('America/New_York')), '28 Mar 2026, 20:30');
    assert.equal(helpers.formatDate(new Date(date), inZone('Europe/Berlin')), '29 Mar 2026, 01:30');
    // An hour later Berlin has moved to summer time: a different moment is written afresh.
    assert.equal(helpers.formatDate(new Date('2026-03-29T01:30:00Z'), inZone('Europe/Berlin')), '29 Mar 2026, 03:30');
    for (let minute = 0; minute < 6_000; minute++) helpers.formatDate(new Date(Date.UTC(2026, 0, 1, 0, minute)), inZone('Europe/Berlin'));
    assert.equal(helpers.formatDate(date, inZone('Europe/Berlin')), '29 Mar 2026, 01:30');
    assert.equal(helpers.formatDate(new Date(Date.UTC(2026, 0, 1, 0, 5_999)), inZone('Europe/Berlin')), '5 Jan 2026, 04:59');
  });

  it('gives an avatar the initials of the first and last name, and the same colour for the same name', () => {
    assert.equal(helpers.initials('Ada Lovelace'), 'AL');
    assert.equal(helpers.initials('  jean  paul   sartre '), 'JS');
    assert.equal(helpers.initials('Émile'), 'É');
    assert.equal(helpers.initials(''), '?');
    assert.equal(helpers.avatarHue('Ada Admin'), helpers.avatarHue('Ada Admin'));
    const hues = new Set(['Ada Admin', 'Sam Staff', 'Cleo Copilot', 'Max Member', 'Priya Specialist', 'Jordan Reyes'].map((name) => helpers.avatarHue(name)));
    assert.ok([...hues].every((hue) => Number.isInteger(hue) && hue >= 0 && hue < 8));
    assert.ok(hues.size >= 3, 'names spread over the colours');
  });

  it('reads `or` over its arguments, leaving out Handlebars’ options', () => {
    assert.equal(helpers.or(0, [].length, {}), false);
    assert.equal(helpers.or(0, 2, {}), true);
  });

  it('pluralises counts', () => {
    assert.equal(helpers.plural(1, 'idea', {}), '1 idea');
    assert.equal(helpers.plural(3, 'idea', {}), '3 ideas');
    assert.equal(helpers.plural(2, 'reply', 'replies'), '2 replies');
    assert.equal(helpers.plural(12000, 'vote', {}), '12,000 votes');
  });

  it('escapes text before making its links clickable', () => {
    const html = helpers.linkify('Open https://example.com/a?b=1&c=2 <script>x</script>').toString();
    // Handlebars escapes "=" as well as "&"; browsers decode both in the href.
    assert.ok(html.includes('<a href="https://example.com/a?b&#x3D;1&amp;c&#x3D;2">'));
    assert.ok(html.includes('&lt;script&gt;'));
    assert.ok(!html.includes('<script>'));
  });

  it('rounds one way on every page, and never prints "-0.0"', () => {
    assert.equal(helpers.fixed(-0.04, 1), '0.0');
    assert.equal(helpers.fixed(-0.0001, 2), '0.00');
    assert.equal(helpers.fixed(-0.06, 1), '-0.1');
    assert.equal(helpers.fixed(1.25, 1), '1.3');
    assert.equal(helpers.fixed(Number.NaN, 1), '—');
  });

  it('writes decimals, ranks and days as German does on a German page', () => {
    const german = { data: { root: { locale: 'de' } } };
    assert.equal(helpers.fixed(0.854, 2, german), '0,85');
    assert.equal(helpers.ordinal(2, german), '2.');
    assert.equal(helpers.ordinal(2), '2nd');
    assert.equal(helpers.duration(4 * 24 * 3_600_000, german), '4 Tage');
    assert.equal(helpers.duration(4 * 24 * 3_600_000), '4 days');
  });

  it('escapes as Handlebars does, and writes characters beyond Latin-1 as references in a one-byte string', () => {
    assert.equal(escapeHtml(`<a href="x?b=1&c='2'">\``), '&lt;a href&#x3D;&quot;x?b&#x3D;1&amp;c&#x3D;&#x27;2&#x27;&quot;&gt;&#x60;');
    assert.equal(escapeHtml('Zoë’s “idea” — 😀'), 'Zoë&#8217;s &#8220;idea&#8221; &#8212; &#128512;');
    assert.equal(escapeHtml(null), '');
    assert.equal(escapeHtml(0), '0');
    assert.equal(escapeHtml(false), 'false');
    assert.equal(escapeHtml({ toHTML: () => '<b>safe</b>' }), '<b>safe</b>');
    assert.ok(isOneByte(escapeHtml('Zoë’s “idea”')), 'the escaped text is one-byte though the text was two-byte');
    assert.ok(isOneByte(escapeHtml(translateKey('de', 'challenge.vote.forTitle', { title: 'Idee' }))), 'a catalogue text with „quotes“');
    // Escaped once and kept: the second time is the same text, one-byte as the first.
    const again = escapeHtml('Zoë’s “idea”');
    assert.equal(again, 'Zoë&#8217;s &#8220;idea&#8221;');
    assert.ok(isOneByte(again));
    const long = `${'“a” & '.repeat(500)}`;
    assert.equal(escapeHtml(long), '&#8220;a&#8221; &amp; '.repeat(500), 'a long text is escaped all the same, and not kept');
    assert.equal(escapeHtml(long), escapeHtml(`${'“a” & '.repeat(500)}`));
  });

  it('writes rendered Markdown’s characters beyond Latin-1 as references, its tags untouched', () => {
    const html = latin1Html('<p>It’s “here” – <a href="https://example.com/é">😀</a></p>');
    assert.equal(html, '<p>It&#8217;s &#8220;here&#8221; &#8211; <a href="https://example.com/é">&#128512;</a></p>');
    assert.ok(isOneByte(html));
    assert.equal(helpers.storedHtml('<p>“x”</p>').toString(), '<p>&#8220;x&#8221;</p>');
  });

  it('keeps each text’s conversion: an edited text is converted anew, and a full store of them forgets none wrongly', () => {
    const first = latin1Html('<p>“one”</p>');
    assert.equal(latin1Html('<p>“one”</p>'), first, 'the same text, the same HTML');
    assert.equal(latin1Html('<p>“one” edited</p>'), '<p>&#8220;one&#8221; edited</p>', 'the edited text, its own');
    for (let n = 0; n < 1_200; n++) assert.equal(latin1Html(`<p>“${n}”</p>`), `<p>&#8220;${n}&#8221;</p>`);
    assert.equal(latin1Html('<p>“one”</p>'), '<p>&#8220;one&#8221;</p>');
    assert.ok(isOneByte(latin1Html('<p>“1199”</p>')), 'a kept conversion is still one-byte');
  });
});
