import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixedText, roundTo } from '../../src/shared/rounding.ts';
import { helpers } from '../../src/web/views.ts';

describe('the one rounding rule', () => {
  it('rounds halves away from zero, on both sides of zero', () => {
    assert.equal(roundTo(1.25, 1), 1.3);
    assert.equal(roundTo(-1.25, 1), -1.3);
    assert.equal(roundTo(2.5), 3);
    assert.equal(roundTo(-2.5), -3);
    assert.equal(roundTo(0.125, 2), 0.13);
  });

  it('reads a stored float as a person reads it: 1.005 is a half, not 1.00499…', () => {
    assert.equal(roundTo(1.005, 2), 1.01);
    assert.equal(fixedText(1.005, 2), '1.01');
    assert.equal(fixedText(0.285, 2), '0.29');
  });

  it('never prints a negative zero', () => {
    assert.ok(Object.is(roundTo(-0.04, 1), 0));
    assert.equal(fixedText(-0.04, 1), '0.0');
    assert.equal(fixedText(-0.0001, 2), '0.00');
    assert.equal(fixedText(-0.06, 1), '-0.1');
  });

  it('says a missing figure is missing, in the caller’s words', () => {
    assert.equal(fixedText(null, 1), '—');
    assert.equal(fixedText(Number.NaN, 1, 'withheld'), 'withheld');
  });

  it('is the rule the pages use', () => {
    assert.equal(helpers.fixed(-1.25, 1), '-1.3');
    assert.equal(helpers.fixed(1.005, 2), '1.01');
  });
});
