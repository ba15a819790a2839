import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldSmallGroups } from '../../src/features/insights/privacy.ts';
import { barChart } from '../../src/features/insights/svg.ts';
import { wordsOf } from '../../src/features/insights/tables.ts';

const group = (key: string, people: number, ideas: number) => ({ key, people, values: { ideas } });

describe('insights privacy and charts', () => {
  it('folds groups of fewer than 5 people into “other”, and withholds “other” when it is small too', () => {
    const shown = foldSmallGroups([group('Retail', 12, 30), group('Finance', 3, 4), group('Health', 5, 9), group('Agencies', 1, 1)], ['ideas'], 'Other');
    assert.deepEqual(
      shown.map((row) => [row.label, row.people, row.values.ideas, row.tooFew]),
      [
        ['Retail', 12, 30, false],
        ['Health', 5, 9, false],
        ['Other', 4, 5, true],
      ],
    );
    assert.deepEqual(shown[2]!.folded, ['Finance', 'Agencies']);
    const big = foldSmallGroups([group('A', 3, 1), group('B', 4, 2)], ['ideas'], 'Other');
    assert.deepEqual(
      big.map((row) => [row.label, row.people, row.tooFew]),
      [['Other', 7, false]],
    );
    assert.equal(wordsOf('en').people(3), 'fewer than 5');
    assert.equal(wordsOf('en').people(5), '5');
  });

  it('names the groups in the reader’s language: “other”, “not stated” and kinds of member; folded groups keep their keys', () => {
    const words = wordsOf('de');
    const shown = foldSmallGroups([group('customer', 7, 3), group('not stated', 2, 1)], ['ideas'], words.t('figures.other'), (key) => words.value('kind', key));
    assert.deepEqual(
      shown.map((row) => [row.label, row.folded]),
      [
        ['Kund:in', []],
        ['Andere', ['not stated']],
      ],
    );
    assert.equal(words.value('kind', 'not stated'), 'nicht angegeben');
    assert.equal(words.value('segment', 'Retail'), 'Retail');
    assert.equal(words.people(3), 'weniger als 5');
    assert.equal(words.people(12345), '12.345');
  });

  it('writes shares, spans and decimals as the language does', () => {
    assert.deepEqual([wordsOf('en').conversion(6, 13), wordsOf('en').conversion(1, 0), wordsOf('en').conversion(1, null)], ['46%', '—', '']);
    assert.equal(wordsOf('de').conversion(6, 13), '46\u00a0%');
    assert.equal(wordsOf('de').duration(4 * 86_400_000), '4 Tage');
    assert.equal(wordsOf('de').decimal(72.45, 1), '72,5');
    assert.equal(wordsOf('en').decimal(null, 1), '—');
    assert.equal(wordsOf('de').ordinal(2), '2.');
  });

  it('draws one labelled bar per row, escapes labels, and marks withheld values, in the reader’s language', () => {
    const chart = (locale: 'en' | 'de') =>
      barChart(wordsOf(locale), {
        id: 'c',
        title: 'Ideas <by> segment',
        description: 'Counts',
        bars: [
          { label: 'R&D', value: 1234.5 },
          { label: 'Other', value: null },
        ],
      });
    const svg = chart('en');
    assert.match(svg, /role="img"/);
    assert.match(svg, /<title id="c-title">Ideas &lt;by&gt; segment<\/title>/);
    assert.match(svg, />R&amp;D</);
    assert.equal(svg.match(/<rect /g)?.length, 2);
    assert.match(svg, />1,234\.5</);
    assert.match(svg, />withheld</);
    assert.match(chart('de'), />1\.234,5</);
    assert.match(chart('de'), />nicht gezeigt</);
  });
});
