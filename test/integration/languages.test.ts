import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { en } from '../../src/i18n/catalogue/index.ts';
import { message, missingKeys, pickLocale } from '../../src/i18n/i18n.ts';
import { Notification, notificationId } from '../../src/features/notifications/notification.model.ts';
import { User } from '../../src/features/accounts/user.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/http.ts';
import type { ReceivedMail } from '../helpers/mail.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/** Every fixed English sentence of the catalogue (the parts between placeholders), to find any left in a German message. */
function englishSentences(node: unknown): string[] {
  if (typeof node === 'string') return node.split(/\{\{\w+\}\}|\n/).filter((part) => part.trim().length > 12);
  return Object.values(node as Record<string, unknown>).flatMap(englishSentences);
}
const ENGLISH = englishSentences(en);

function assertGerman(mail: ReceivedMail) {
  const leftover = ENGLISH.filter((sentence) => mail.subject.includes(sentence.trim()) || mail.text.includes(sentence.trim()));
  assert.deepEqual(leftover, [], `English left in "${mail.subject}"`);
  assert.match(mail.text, /^Hallo /);
}

describe('languages: emails in the person’s language', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { DEFAULT_LOCALE: 'de' } });
  });
  after(() => app.close());

  it('picks the setting, else Accept-Language, else the site default', () => {
    assert.equal(pickLocale({ setting: 'de', acceptLanguage: 'en-GB', siteDefault: 'en' }), 'de');
    assert.equal(pickLocale({ setting: '', acceptLanguage: 'fr-CH, de;q=0.8, en;q=0.5', siteDefault: 'en' }), 'de');
    assert.equal(pickLocale({ setting: '', acceptLanguage: 'fr', siteDefault: 'de' }), 'de');
  });

  it('sends the account emails and the digest in German with no missing key and no English sentence left', async () => {
    const email = `sprache-${Date.now()}@example.test`;
    await new TestClient(app.url).submit('/sign-up', '/sign-up', { name: 'Greta Neu', email, password: 'Velvet-Canyon-Orbit-73x' });
    assertGerman(await app.smtp.waitForMail(email, /Bestätigen Sie Ihre E-Mail-Adresse/));

    const user = await createUser({ name: 'Greta Alt' });
    await new TestClient(app.url).submit('/forgot-password', '/forgot-password', { email: user.email });
    assertGerman(await app.smtp.waitForMail(user.email, /Passwort zurücksetzen/));

    await new TestClient(app.url).submit('/sign-up', '/sign-up', { name: 'Greta Alt', email: user.email, password: 'Velvet-Canyon-Orbit-73x' });
    assertGerman(await app.smtp.waitForMail(user.email, /registrieren/));

    await User.updateOne({ _id: user.id }, { $set: { notificationPrefs: { announcement: 'digest' } } });
    await app.services.notifications.notify([user.id], { kind: 'announcement', text: 'Eins', link: '/' });
    await app.services.notifications.notify([user.id], { kind: 'announcement', text: 'Zwei', link: '/' });
    await app.services.notifications.runDailyDigests();
    const digest = await app.smtp.waitForMail(user.email, /Zusammenfassung: 2 Neuigkeiten/);
    assertGerman(digest);
    assert.match(digest.text, /Keine E-Mails mehr/);

    assert.deepEqual([...missingKeys], []);
  });

  it('stores a notification as a key and says it in each reader’s language; one stored as text still shows', async () => {
    const user = await createUser({ name: 'Nora Neu' });
    await User.updateOne({ _id: user.id }, { $set: { notificationPrefs: { phase_changed: 'email' } } });
    await app.services.notifications.notify([user.id], { kind: 'announcement', text: 'Eine Nachricht von früher', link: '/' });
    const moved = message('notifications.phaseChangedWhy', { challenge: 'Winterreifen', phase: message('common.phase.curation'), reason: 'früher als geplant' });
    await app.services.notifications.notify([user.id], { kind: 'phase_changed', text: moved, link: '/challenges' });

    const stored = await Notification.findById(notificationId(user.id, 2)).lean();
    assert.equal(stored?.key, 'notifications.phaseChangedWhy');
    assert.equal(stored?.text, null, 'no English sentence is stored');

    const client = await signedInClient(app.url, user);
    const german = (await client.get('/notifications', { 'accept-language': 'de' })).body_;
    assert.match(german, /<html lang="de">/);
    assert.ok(german.includes('„Winterreifen“ ist jetzt in der Phase „Kuratierung“: früher als geplant'), 'the new notice in German');
    assert.ok(german.includes('Eine Nachricht von früher'), 'the notice stored as text');
    assert.ok(german.includes('Alle als gelesen markieren'));
    const dashboard = (await client.get('/', { 'accept-language': 'de' })).body_;
    assert.ok(dashboard.includes('„Winterreifen“ ist jetzt in der Phase „Kuratierung“: früher als geplant'), 'the news on the home page');
    const english = (await client.get('/notifications', { 'accept-language': 'en' })).body_;
    assert.ok(english.includes('“Winterreifen” moved to Curation: früher als geplant'), 'the same notice in English');

    const mail = await app.smtp.waitForMail(user.email, /Winterreifen/);
    assert.equal(mail.subject, '„Winterreifen“ ist jetzt in der Phase „Kuratierung“: früher als geplant');
    assertGerman(mail);
  });

  it('follows a person’s own choice over the site default', async () => {
    const user = await createUser({ name: 'Edith English' });
    await User.updateOne({ _id: user.id }, { $set: { locale: 'en' } });
    await new TestClient(app.url).submit('/forgot-password', '/forgot-password', { email: user.email });
    const mail = await app.smtp.waitForMail(user.email, /Reset your Cocreate password/);
    assert.match(mail.text, /^Hello Edith English,/);
  });
});
