import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counterKeys, dayOf, daysBetween, escapeValue, incrementOf, keyOf, parseKey, part, tagAuthorKeys, unescapeValue } from '../../src/features/insights/keys.ts';

const person = { segment: 'Retail', region: 'Europe', tier: 'premium', kind: 'customer' };

describe('insights counter keys', () => {
  it('escapes what would break a field name or a key, and reads it back', () => {
    for (const value of ['a.b', '$x', '50%', 'a|b', 'k=v', 'Public sector', 'É.$%|=']) {
      const escaped = escapeValue(value);
      assert.doesNotMatch(escaped, /[.$|=]/, `${value} → ${escaped}`);
      assert.equal(unescapeValue(escaped), value);
    }
    assert.equal(escapeValue('a.b'), 'a%2Eb');
    assert.equal(escapeValue('  '), 'not stated', 'an empty profile value counts as not stated');
  });

  it('gives one key for all, one per dimension, per tag, segment × tag, phase and extras', () => {
    const keys = counterKeys('submitted', { person, tags: ['mobile', 'mobile', 'v1.2'], phase: 'open', extra: { decision: 'approve' } });
    assert.deepEqual(keys, [
      'submitted|*',
      'submitted|segment=Retail',
      'submitted|region=Europe',
      'submitted|tier=premium',
      'submitted|kind=customer',
      'submitted|tag=mobile',
      'submitted|segment=Retail|tag=mobile',
      'submitted|tag=v1%2E2',
      'submitted|segment=Retail|tag=v1%2E2',
      'submitted|phase=open',
      'submitted|decision=approve',
    ]);
    assert.deepEqual(counterKeys('reportsHandled'), ['reportsHandled|*']);
    for (const key of keys) assert.doesNotMatch(key, /[.$]/);
  });

  it('parses keys into their metric and unescaped parts', () => {
    assert.deepEqual(parseKey('votes|*'), { metric: 'votes', parts: {} });
    assert.deepEqual(parseKey(keyOf('votes', part('segment', 'a.b'), part('tag', 'x=y'))), { metric: 'votes', parts: { segment: 'a.b', tag: 'x=y' } });
    assert.deepEqual(tagAuthorKeys(person, 'ux'), ['authors|tag=ux', 'authors|segment=Retail|tag=ux']);
  });

  it('builds the $inc under c, and UTC days', () => {
    assert.deepEqual(incrementOf(['votes|*', 'votes|tag=x'], -1), { 'c.votes|*': -1, 'c.votes|tag=x': -1 });
    assert.equal(dayOf(new Date('2026-03-31T23:59:59.999Z')), '2026-03-31');
    assert.deepEqual(daysBetween('2026-02-27', '2026-03-02'), ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    assert.deepEqual(daysBetween('2026-03-02', '2026-03-01'), []);
  });
});
