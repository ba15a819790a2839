import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { actionName, shownValue } from '../../src/features/audit/audit-view.ts';
import { translate } from '../../src/i18n/i18n.ts';

describe('the audit log’s entries, as an admin reads them', () => {
  it('writes a value as words and lists, not JSON', () => {
    assert.equal(shownValue(null), null);
    assert.equal(shownValue(['member', 'staff']), 'member, staff');
    assert.equal(shownValue({ status: 'submitted' }), 'status: submitted');
    assert.equal(shownValue({ phase: 'open', schedule: { open: '2027-01-01' }, judges: [] }), 'phase: open; schedule: (open: 2027-01-01); judges: ()');
    assert.equal(shownValue({ active: false, reason: '' }), 'active: false; reason: —');
    assert.equal(shownValue(new Date(Date.UTC(2027, 0, 2))), '2027-01-02T00:00:00.000Z');
  });

  it('cuts a long value short', () => {
    const shown = shownValue({ text: 'x'.repeat(1_000) })!;
    assert.equal(shown.length, 400);
    assert.ok(shown.endsWith('…'));
  });

  it('names each action the catalogue knows in the reader’s language, and leaves an unknown one to its code', () => {
    assert.equal(translate('en', actionName('idea.request-changes')!), 'Sent an idea back for changes');
    assert.equal(translate('de', actionName('winners.announced')!), 'Gewinner verkündet');
    assert.equal(actionName('something.new'), null);
  });

  it('has words for every action the code records by name', () => {
    const sources = path.resolve(import.meta.dirname, '../../src');
    const files = readdirSync(sources, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const recorded = new Set(
      files.flatMap((file) =>
        [...readFileSync(path.join(sources, file), 'utf8').matchAll(/action: (?:\w+ \? )?'([a-z_]+\.[a-z_-]+)'(?: : '([a-z_]+\.[a-z_-]+)')?/g)].flatMap((match) => match.slice(1).filter(Boolean)),
      ),
    );
    assert.ok(recorded.size > 40, `found ${recorded.size}`);
    assert.deepEqual(
      [...recorded].filter((action) => actionName(action) === null),
      [],
    );
  });
});
