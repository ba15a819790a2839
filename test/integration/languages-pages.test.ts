import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { User } from '../../src/features/accounts/user.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { englishIn, expectGerman, GERMAN } from '../helpers/languages.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/**
 * Every translated page type, rendered in German, must hold no English the catalogue knows and no
 * sentence that reads the same as on the English page. The data on the pages is named in one or
 * two words, so any text of three words or more that both pages share is a template's English.
 * `{challenge}` and `{idea}` in a path stand for the challenge and idea made before the tests;
 * `signedIn: 'author'` reads the page as that idea's author.
 */
const TRANSLATED: Array<{ name: string; path: string; signedIn?: boolean | 'author' }> = [
  { name: 'home (visitor)', path: '/' },
  { name: 'sign in', path: '/sign-in' },
  { name: 'sign up', path: '/sign-up' },
  { name: 'challenges list', path: '/challenges' },
  { name: 'challenges list, filtered to nothing', path: '/challenges?phase=closed' },
  { name: 'page not found', path: '/no-such-page' },
  { name: 'notifications inbox', path: '/notifications', signedIn: true },
  { name: 'home (signed in, a member’s panels)', path: '/', signedIn: true },
  { name: 'account', path: '/account', signedIn: true },
  { name: 'change password', path: '/account/password', signedIn: true },
  { name: 'change email address', path: '/account/email', signedIn: true },
  { name: 'forgotten password', path: '/forgot-password' },
  { name: 'reset link sent', path: '/forgot-password/sent' },
  { name: 'choose a new password', path: '/reset-password?token=x' },
  { name: 'check your email', path: '/check-your-email' },
  { name: 'download my data', path: '/account/data', signedIn: true },
  { name: 'delete my account', path: '/account/delete', signedIn: true },
  { name: 'search', path: '/search?q=Winterreifen' },
  { name: 'search with no idea found', path: '/search?q=Sommer' },
  { name: 'challenge page (visitor)', path: '/challenges/{challenge}' },
  { name: 'challenge page (a member: vote buttons, questions)', path: '/challenges/{challenge}', signedIn: true },
  { name: 'idea page (visitor)', path: '/ideas/{idea}' },
  { name: 'idea page (a member: vote, discussion, report)', path: '/ideas/{idea}', signedIn: true },
  { name: 'idea form, a new idea', path: '/challenges/{challenge}/ideas/new', signedIn: true },
  { name: 'idea form, editing a submitted idea', path: '/ideas/{idea}/edit', signedIn: 'author' },
  { name: 'idea page (its author)', path: '/ideas/{idea}', signedIn: 'author' },
  { name: 'My ideas (none yet)', path: '/my/ideas', signedIn: true },
  { name: 'My ideas (one submitted)', path: '/my/ideas', signedIn: 'author' },
  { name: 'notification preferences', path: '/account/notifications', signedIn: true },
  { name: 'unsubscribe, a link that is not valid', path: '/unsubscribe?token=x' },
];

describe('languages: every translated page type in German', () => {
  let app: TestApp;
  let member: { id: string; email: string; password: string };
  let author: { id: string; email: string; password: string };
  let ids: Record<string, string>;
  before(async () => {
    app = await startTestApp();
    const challenge = await createChallenge(app, { phase: 'open', form: { title: 'Winterreifen', summary: 'Schnee', brief: 'Glätte', terms: 'Lizenz' } });
    member = await createUser({ name: 'Greta Neu' });
    author = await createUser({ name: 'Otto Autor' });
    const authorClient = await signedInClient(app.url, author);
    const page = `/challenges/${challenge.id}`;
    const created = await authorClient.submit(`${page}/ideas/new`, `${page}/ideas`, ideaForm({ title: 'Spikes', summary: 'Griffig', body: 'Profil', tags: 'reifen' }));
    assert.equal(created.status, 303);
    assert.equal((await authorClient.submit(page, `${page}/questions`, { body: 'Wann?' })).status, 303);
    ids = { challenge: challenge.id, idea: String(created.headers.get('location')).split('/').pop()! };
  });
  after(() => app.close());

  const client = async (signedIn: boolean | 'author' | undefined) => (signedIn ? signedInClient(app.url, signedIn === 'author' ? author : member) : new TestClient(app.url));

  for (const page of TRANSLATED) {
    it(`${page.name}: German by Accept-Language, with no English left`, async () => {
      const browser = await client(page.signedIn);
      const path = page.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name]!);
      await expectGerman(browser, path);
    });
  }

  it('gives the live updates’ script its texts in German', async () => {
    const page = await new TestClient(app.url).get(`/challenges/${ids.challenge}`, { 'accept-language': GERMAN });
    const texts = JSON.parse(
      (/data-live-texts="([^"]*)"/.exec(page.body_)?.[1] ?? '{}')
        .replace(/&quot;/g, '"')
        .replace(/&#x3D;/g, '=')
        .replace(/&amp;/g, '&'),
    ) as Record<string, unknown>;
    assert.deepEqual(texts.newIdeas, ['# neue Idee – ', '# neue Ideen – ']);
    assert.equal(texts.phaseMoved, 'Diese Challenge ist jetzt in der Phase „{label}“. ');
    // The vote count's two forms, once on the list for every count in it (public/js/vote.js and live.js).
    assert.match(page.body_, /<ul class="idea-list"[^>]* data-count-one="# Stimme" data-count-other="# Stimmen">/);
    assert.match(page.body_, /data-vote-count="[0-9a-f]{24}">\d+ Stimmen/);
  });

  it('refuses an idea form in German, each reason in German', async () => {
    const browser = await signedInClient(app.url, member);
    const form = await browser.get(`/challenges/${ids.challenge}/ideas/new`, { 'accept-language': GERMAN });
    const tags = Array.from({ length: 12 }, (_, index) => `t${index}`).join(',');
    const fields = { _csrf: csrfFrom(form.body_), ...ideaForm({ title: '', tags }), intent: 'submit' };
    const refused = await browser.post(`/challenges/${ids.challenge}/ideas`, fields, { 'accept-language': GERMAN });
    assert.ok(refused.status >= 400 && refused.status < 500, `status ${refused.status}`);
    assert.match(refused.body_, /Geben Sie Ihrer Idee einen Titel\./);
    assert.match(refused.body_, /Verwenden Sie höchstens 10 Schlagwörter\./);
    assert.doesNotMatch(refused.body_, /Give your idea a title|at most 10 tags/);
  });

  it('follows the person’s own setting over the browser’s language', async () => {
    const person = await createUser({ name: 'Hanna Hess' });
    const browser = await signedInClient(app.url, person);
    const saved = await browser.submit('/account', '/account/profile', { name: 'Hanna Hess', timezone: 'Europe/Berlin', locale: 'de' });
    assert.equal(saved.status, 303);
    for (const path of ['/notifications', '/challenges']) {
      const german = await browser.get(path, { 'accept-language': 'en' });
      assert.match(german.body_, /<html lang="de">/);
      const english = await new TestClient(app.url).get(path === '/notifications' ? '/sign-in' : path, { 'accept-language': 'en' });
      assert.deepEqual(englishIn(german.body_, english.body_), [], `English text on ${path}`);
    }
    assert.equal((await User.findById(person.id).lean())?.locale, 'de');
    // Notices and refusals after a form too: marking all read, a wrong current password.
    const read = await browser.submit('/notifications', '/notifications/read-all', {});
    assert.match((await browser.get(String(read.headers.get('location')))).body_, /Alle Benachrichtigungen sind als gelesen markiert\./);
    const wrong = await browser.submit('/account/password', '/account/password', { currentPassword: 'falsch', password: 'Velvet-Canyon-Orbit-73x' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body_, /Ihr aktuelles Passwort ist nicht korrekt\./);
  });
});
