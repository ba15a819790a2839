import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainSummary as summaryMessages } from '../../src/features/judging/plain-summary.ts';
import { translate } from '../../src/i18n/i18n.ts';

// The sentences are messages, put into words where they are shown: read here in English.
const plainSummary = (input: Parameters<typeof summaryMessages>[0]) => summaryMessages(input).map((line) => translate('en', line));

describe('the ranking in plain words', () => {
  it('says how well the judges agree, where they disagree, and who scores high or low', () => {
    assert.deepEqual(
      plainSummary({
        agreement: { alpha: 0.85 },
        criteria: [
          { name: 'Impact', highlighted: true },
          { name: 'Cost', highlighted: false },
        ],
        judges: [
          { name: 'Lena', leniency: 12.4 },
          { name: 'Hugo', leniency: -3 },
          { name: 'Tom', leniency: -15.5 },
        ],
      }),
      [
        'The judges agree well.',
        'They disagree most on “Impact”.',
        'Lena scores about 12 points out of 100 higher than the others; the calibrated ranking corrects for it.',
        'Tom scores about 16 points out of 100 lower than the others; the calibrated ranking corrects for it.',
      ],
    );
  });

  it('reads the agreement in three bands, and says when there is too little to tell', () => {
    const say = (alpha: number | null) => plainSummary({ agreement: { alpha }, criteria: [], judges: [] })[0];
    assert.equal(say(null), 'Too few scorecards yet to say how well the judges agree.');
    assert.equal(say(0.7), 'The judges mostly agree.');
    assert.equal(say(0.3), 'The judges disagree enough that their scores are worth a second look.');
    assert.equal(plainSummary({ agreement: { alpha: 0.5 }, criteria: ['A', 'B', 'C'].map((name) => ({ name, highlighted: true })), judges: [] })[1], 'They disagree most on “A”, “B” and “C”.');
  });
});
