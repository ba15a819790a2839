import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accentContrast, accentShades, contrastRatio, MIN_ACCENT_CONTRAST, parseHex } from '../../src/features/site/colour.ts';
import { brandingInput } from '../../src/features/site/site.schemas.ts';
import { message, translate, type Message } from '../../src/i18n/i18n.ts';

/** A schema's refusal as English readers see it (its message is a catalogue key with values). */
const english = (issue: { message: string; code: string; params?: unknown }) => translate('en', message(issue.message, issue.code === 'custom' ? (issue.params as Message['params']) : undefined));

describe('the site’s accent colour', () => {
  it('measures contrast as WCAG 2 does', () => {
    assert.equal(contrastRatio('#000000', '#ffffff'), 21);
    assert.equal(contrastRatio('#777777', '#777777'), 1);
    // WebAIM's checker gives #767676 on white 4.54:1, the lightest grey that passes AA.
    assert.equal(Number(contrastRatio('#767676', '#ffffff').toFixed(2)), 4.54);
  });

  it('accepts the default accent and dark colours, and refuses light ones with their contrast', () => {
    assert.ok(accentContrast('#3b3bb3') >= MIN_ACCENT_CONTRAST);
    assert.ok(brandingInput.safeParse({ name: 'Acme Ideas', accent: '#1F5130' }).success);
    const light = brandingInput.safeParse({ name: 'Acme Ideas', accent: '#ffd000' });
    assert.equal(light.success, false);
    assert.match(english(light.error!.issues[0]!), /too light .* contrast is 1\.\d:1 and at least 4\.5:1 is needed/);
    const malformed = brandingInput.safeParse({ name: 'Acme Ideas', accent: 'red' });
    assert.match(english(malformed.error!.issues[0]!), /six hexadecimal digits/);
    assert.equal(parseHex('#12345'), null);
  });

  it('derives a darker shade for hover and a pale tint from the accent', () => {
    assert.deepEqual(accentShades('#1f5130'), { primary: '#1f5130', dark: '#173d24', soft: '#e4eae6' });
  });
});
