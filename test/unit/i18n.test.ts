import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Handlebars from 'handlebars';
import { de, en } from '../../src/i18n/catalogue/index.ts';
import { translate, translateKey, translator, message } from '../../src/i18n/i18n.ts';
import { helpers } from '../../src/web/views.ts';
import { PHASES } from '../../src/features/challenges/phases.ts';
import { IDEA_SORTS } from '../../src/features/ideas/idea-board.ts';
import { REPORT_REASONS } from '../../src/features/community/report.model.ts';
import { DECISION_KINDS } from '../../src/features/curation/decisions.ts';
import { ITEM_STATUSES } from '../../src/features/backlogs/workflow.ts';
import { QUEUE_STATUSES } from '../../src/features/curation/queue.ts';
import { IDEA_STATUSES } from '../../src/features/ideas/idea.model.ts';
import { DELIVERY_CHOICES, NOTIFICATION_KINDS } from '../../src/features/notifications/notification.model.ts';

/** Every leaf of a catalogue as `path → text`. */
function leaves(node: unknown, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') found.set(path, value);
    else for (const [inner, text] of leaves(value, path)) found.set(inner, text);
  }
  return found;
}

const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();

const english = leaves(en);
const german = leaves(de);
const inLocale = (locale: string, hash: Record<string, unknown> = {}) => ({ data: { root: { locale, viewerTimeZone: 'Europe/Berlin' } }, hash });

describe('the catalogue', () => {
  it('has every English key in German and no German key without its English', () => {
    assert.deepEqual(
      [...english.keys()].filter((key) => !german.has(key)),
      [],
    );
    assert.deepEqual(
      [...german.keys()].filter((key) => !english.has(key)),
      [],
    );
  });

  it('uses the same placeholders in both languages, so no value is lost in translation', () => {
    const differing = [...english].filter(([key, text]) => german.has(key) && variables(text).join() !== variables(german.get(key)!).join()).map(([key]) => key);
    assert.deepEqual(differing, []);
  });

  it('names every value that pages look up by its code, in both languages', () => {
    const lookups: Array<[string, readonly string[]]> = [
      ['common.phase', PHASES],
      ['challenge.nextAction', PHASES],
      ['challenge.sorts', IDEA_SORTS],
      ['idea.report.reason', REPORT_REASONS],
      ['idea.did', DECISION_KINDS],
      ['common.itemStatusLabel', ITEM_STATUSES],
      ['curation.status', IDEA_STATUSES],
      ['curation.queue.tab', QUEUE_STATUSES],
      ...(['verb', 'past', 'hint', 'submit'] as const).map((word): [string, readonly string[]] => ['curation.decision', DECISION_KINDS.map((kind) => `${kind}.${word}`)]),
      ['preferences.kind', NOTIFICATION_KINDS],
      ['preferences.delivery', DELIVERY_CHOICES],
    ];
    const missing = lookups.flatMap(([prefix, values]) => values.map((value) => `${prefix}.${value}`)).filter((key) => !english.has(key) || !german.has(key));
    assert.deepEqual(missing, []);
  });

  it('leaves no German text empty', () => {
    assert.deepEqual(
      [...german].filter(([, text]) => !text.trim()).map(([key]) => key),
      [],
    );
  });
});

describe('translating in templates', () => {
  it('translates a key with its values in the request’s language, and escapes the result in the page', () => {
    assert.equal(helpers.t('errors.page.reference', inLocale('de', { status: 404 })), 'Fehler 404 · Referenz');
    assert.equal(helpers.t('errors.page.reference', inLocale('en', { status: 404 })), 'Error 404 · reference');
    const page = Handlebars.create();
    page.registerHelper(helpers);
    const html = page.compile('{{t "email.greeting" name=name}}')({ locale: 'de', name: '<b>Eve</b>' });
    assert.equal(html, 'Hallo &lt;b&gt;Eve&lt;/b&gt;,');
  });

  it('gives, through the compiled fast path, exactly what i18next gives for every key, plural form and language', () => {
    for (const [locale, catalogue] of [
      ['en', english],
      ['de', german],
    ] as const) {
      for (const [path, text] of catalogue) {
        const plural = /_(one|other)$/.exec(path);
        const key = plural ? path.slice(0, plural.index) : path;
        const values = Object.fromEntries(variables(text).map((name) => [name, `<${name}>`]));
        // A text without plural forms that shows a count ("Discussion ({{count}})") is given the count as a number too.
        const counted = plural || 'count' in values;
        for (const params of counted
          ? [
              { ...values, count: 1 },
              { ...values, count: 7 },
            ]
          : [values]) {
          assert.equal(translateKey(locale, key, params), translator(locale)(key, params), `${locale}:${key} ${JSON.stringify(params)}`);
        }
      }
    }
  });

  it('picks the plural form by count', () => {
    assert.equal(helpers.t('email.digest.subject', inLocale('de', { count: 1 })), 'Ihre Cocreate-Zusammenfassung: 1 Neuigkeit');
    assert.equal(helpers.t('email.digest.subject', inLocale('de', { count: 3 })), 'Ihre Cocreate-Zusammenfassung: 3 Neuigkeiten');
  });

  it('shows a message made elsewhere in the reader’s language, and a plain sentence as it is', () => {
    assert.equal(helpers.tm(message('errors.notFound'), inLocale('de')), 'Diese Seite haben wir nicht gefunden.');
    assert.equal(helpers.tm('Typed by a person', inLocale('de')), 'Typed by a person');
    assert.equal(translate('en', message('errors.notFound')), 'We could not find that page.');
  });

  it('writes dates and numbers as the language does', () => {
    const date = new Date('2026-11-25T13:05:00Z');
    assert.equal(helpers.formatDate(date, inLocale('de')), '25.11.2026, 14:05');
    assert.equal(helpers.formatDate(date, inLocale('en')), '25 Nov 2026, 14:05');
    assert.equal(helpers.formatNumber(12345.5, inLocale('de')), '12.345,5');
    assert.equal(helpers.formatNumber(12345.5, inLocale('en')), '12,345.5');
    // A template's value with decimals, as a message's is (a scorecard's total).
    assert.equal(helpers.t('judging.outOf100', inLocale('de', { total: 74.1 })), '74,1 von 100');
    assert.equal(helpers.t('judging.outOf100', inLocale('en', { total: 74.1 })), '74.1 out of 100');
    assert.equal(helpers.t('judging.outOf100', inLocale('de', { total: 74 })), '74 von 100');
    // A stored code in words where the catalogue has them, else as it is.
    assert.equal(helpers.tOr('accounts.profile.tiers.premium', 'premium', inLocale('de')), 'Premium');
    assert.equal(helpers.tOr('accounts.profile.tiers.free', 'free', inLocale('de')), 'Kostenlos');
    assert.equal(helpers.tOr('accounts.profile.tiers.Gold', 'Gold', inLocale('de')), 'Gold');
  });

  it('writes a message’s date and decimals when it is shown, in the reader’s language and time zone', () => {
    const closed = message('judging.refusal.windowClosedOn', { date: new Date('2026-11-25T13:05:00Z') });
    assert.equal(translate('de', closed, 'Europe/Berlin'), 'Die Einspruchsfrist endete am 25.11.2026, 14:05.');
    assert.equal(translate('en', closed), 'The appeal window closed on 25 Nov 2026, 13:05.');
    assert.equal(helpers.tm(closed, { data: { root: { locale: 'de', viewerTimeZone: 'Europe/Berlin' } } }), 'Die Einspruchsfrist endete am 25.11.2026, 14:05.');
    const light = message('admin.branding.tooLight', { contrast: 1.2, minimum: 4.5 });
    assert.match(translate('de', light), /Ihr Kontrast ist 1,2:1, nötig sind mindestens 4,5:1\./);
    assert.match(translate('en', light), /its contrast is 1\.2:1 and at least 4\.5:1/);
    // Whole numbers stay as written: a count, a line number, a year.
    assert.equal(translate('de', message('backlogs.ideas', { count: 2026 })), '2026 Ideen');
  });
});
