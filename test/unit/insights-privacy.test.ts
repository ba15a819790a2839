import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldSmallGroups, peopleLabel } from '../../src/features/insights/privacy.ts';
import { barChart } from '../../src/features/insights/svg.ts';

const group = (key: string, people: number, ideas: number) => ({ key, people, values: { ideas } });

describe('insights privacy and charts', () => {
  it('folds groups of fewer than 5 people into “other”, and withholds “other” when it is small too', () => {
    const shown = foldSmallGroups([group('Retail', 12, 30), group('Finance', 3, 4), group('Health', 5, 9), group('Agencies', 1, 1)], ['ideas']);
    assert.deepEqual(
      shown.map((row) => [row.label, row.people, row.values.ideas, row.tooFew]),
      [
        ['Retail', 12, 30, false],
        ['Health', 5, 9, false],
        ['Other', 4, 5, true],
      ],
    );
    assert.deepEqual(shown[2]!.folded, ['Finance', 'Agencies']);
    const big = foldSmallGroups([group('A', 3, 1), group('B', 4, 2)], ['ideas']);
    assert.deepEqual(
      big.map((row) => [row.label, row.people, row.tooFew]),
      [['Other', 7, false]],
    );
    assert.equal(peopleLabel(3), 'fewer than 5');
    assert.equal(peopleLabel(5), '5');
  });

  it('draws one labelled bar per row, escapes labels, and marks withheld values', () => {
    const svg = barChart({
      id: 'c',
      title: 'Ideas <by> segment',
      description: 'Counts',
      bars: [
        { label: 'R&D', value: 10 },
        { label: 'Other', value: null },
      ],
    });
    assert.match(svg, /role="img"/);
    assert.match(svg, /<title id="c-title">Ideas &lt;by&gt; segment<\/title>/);
    assert.match(svg, />R&amp;D</);
    assert.equal(svg.match(/<rect /g)?.length, 2);
    assert.match(svg, /withheld/);
  });
});
