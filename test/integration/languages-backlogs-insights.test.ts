import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Shortlist } from '../../src/features/curation/shortlist.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { User } from '../../src/features/accounts/user.model.ts';
import { missingKeys } from '../../src/i18n/i18n.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { linkIn } from '../helpers/mail.ts';
import { loginAtProvider, startOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { challengeInJudging, type JudgedChallenge } from '../helpers/judging.ts';
import { englishIn, expectGerman, GERMAN } from '../helpers/languages.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/**
 * The backlogs, insights, the sign-in provider linking and email-link pages, and the idea pages'
 * leftovers (a hidden idea, its changes, notices) in German (issue #19): each page type as the
 * role that uses it, and the key refusals and notices after a POST. One app, one judged challenge.
 */
describe('languages: backlogs, insights, account links and idea leftovers in German', () => {
  let app: TestApp;
  let provider: TestOidcProvider;
  let admin: TestClient;
  let adminUser: Awaited<ReturnType<typeof createUser>>;
  let challenge: JudgedChallenge;
  let itemId: string;
  before(async () => {
    // A sign-in provider for the linking pages: the one app of the file is started with it.
    provider = await startOidcProvider('corp');
    app = await startTestApp({ env: provider.env() });
    provider.register(app.url);
    adminUser = await createUser({ roles: ['admin', 'staff'], name: 'Ada Admin' });
    admin = await signedInClient(app.url, adminUser);
    // Data named in one or two words, so that only the templates' texts can read alike in both languages.
    challenge = await challengeInJudging(app, { ideas: 2, judges: 1, perIdea: 1, form: { title: 'Winterreifen', summary: 'Schnee', brief: 'Glätte', terms: 'Lizenz' } });
    // The engine has no positional updates: the shortlist's notes are rewritten whole.
    const shortlist = await Shortlist.findById(challenge.id).lean();
    await Shortlist.updateOne({ _id: challenge.id }, { $set: { entries: shortlist!.entries.map((entry) => ({ ...entry, note: 'Notiz' })) } });
    await Idea.updateOne({ _id: challenge.ideaIds[0] }, { $set: { title: 'Spikes', summary: 'Griffig' } });
    // Scored, so that the review and the item show the calibrated score with its decimal.
    for (const ideaId of challenge.ideaIds) {
      const criteria = [
        { score: 4, comment: 'Stark' },
        { score: 3, comment: 'Machbar' },
      ];
      await app.services.scorecards.save(actorFor(challenge.judges[0]!, ['staff']), challenge.id, ideaId, { criteria, comment: 'Gut', privateNote: '', submit: true });
    }
    const { item } = await app.services.backlogItems.promote(actorFor(adminUser, ['admin', 'staff']), challenge.ideaIds[0]!, 'product');
    itemId = item.id;
  });
  after(async () => {
    await app.close();
    await provider.close();
  });

  /** Posts a form as a German browser and follows a redirect in German: the result must hold no English the catalogue knows. */
  async function postInGerman(browser: TestClient, page: string, action: string, fields: Record<string, string>, status: number) {
    const form = await browser.get(page, { 'accept-language': GERMAN });
    const answer = await browser.post(action, { _csrf: csrfFrom(form.body_), ...fields }, { 'accept-language': GERMAN });
    assert.equal(answer.status, status, `${action}: ${answer.body_.slice(0, 300)}`);
    const shown = status === 303 ? await browser.get(String(answer.headers.get('location')), { 'accept-language': GERMAN }) : answer;
    assert.deepEqual(englishIn(shown.body_, ''), [], `English text after posting to ${action}`);
    assert.deepEqual([...missingKeys], [], `keys missing from the catalogue after posting to ${action}`);
    return shown.body_;
  }

  describe('backlogs', () => {
    it('the overview, a board, an item and its API tokens, as an admin', async () => {
      await expectGerman(admin, '/backlogs');
      await expectGerman(admin, '/backlogs/product');
      await expectGerman(admin, `/backlog-items/${itemId}`);
      const made = await postInGerman(admin, '/backlogs/product/tokens', '/backlogs/product/tokens', { label: 'Jira' }, 303);
      assert.match(made, /Ihr neues Token/);
      await expectGerman(admin, '/backlogs/product/tokens');
    });

    it('the review of a challenge’s entries (staff) and its outcomes (anyone)', async () => {
      await expectGerman(admin, `/challenges/${challenge.id}/review`);
      await expectGerman(new TestClient(app.url), `/challenges/${challenge.id}/outcomes`);
    });

    it('writes the scores on the review and the item with a decimal comma', async () => {
      const review = (await admin.get(`/challenges/${challenge.id}/review`, { 'accept-language': GERMAN })).body_;
      assert.match(review, /kalibriert \d+,\d, roh \d+,\d/);
      assert.match((await admin.get(`/challenges/${challenge.id}/review`, { 'accept-language': 'en' })).body_, /calibrated \d+\.\d, raw \d+\.\d/);
      assert.match((await admin.get(`/backlog-items/${itemId}`, { 'accept-language': GERMAN })).body_, /kalibrierte Punktzahl \d+,\d/);
    });

    it('refusals and notices: a bad backlog name, a move the workflow forbids, a decline without a reason, a saved move', async () => {
      const invalid = await postInGerman(admin, '/backlogs', '/backlogs', { id: 'X!', name: '' }, 400);
      assert.match(invalid, /Kleinbuchstaben/);
      const item = `/backlog-items/${itemId}`;
      const refused = await postInGerman(admin, item, `${item}/move`, { to: 'shipped', note: 'Fertig' }, 409);
      assert.match(refused, /Angenommen oder Abgelehnt/);
      const noNote = await postInGerman(admin, item, `${item}/move`, { to: 'declined', note: '' }, 400);
      assert.match(noNote, /warum es abgelehnt wird/);
      const moved = await postInGerman(admin, item, `${item}/move`, { to: 'accepted', note: '' }, 303);
      assert.match(moved, /verschoben/);
      const review = `/challenges/${challenge.id}/review`;
      const noReason = await postInGerman(admin, review, `${review}/${challenge.ideaIds[1]}`, { action: 'decline', text: '' }, 400);
      assert.match(noReason, /Schreiben Sie den Grund/);
    });

    it('the status API answers a tracker asking in German in German: no token, a bad status, a move the workflow forbids', async () => {
      const { token } = await app.services.apiTokens.create(actorFor(adminUser, ['admin', 'staff']), 'product', 'Jira');
      const setStatus = async (body: unknown, headers: Record<string, string>) => {
        const response = await fetch(`${app.url}/api/v1/backlogs/product/items/${itemId}/status`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'accept-language': GERMAN, ...headers },
          body: JSON.stringify(body),
        });
        return { status: response.status, error: ((await response.json()) as { error: { message: string; fields?: Record<string, string> } }).error };
      };
      const unauthenticated = await setStatus({ status: 'planned' }, {});
      assert.equal(unauthenticated.status, 401);
      assert.match(unauthenticated.error.message, /gültiges API-Token/);
      const bearer = { authorization: `Bearer ${token}` };
      const badStatus = await setStatus({ status: 'erledigt' }, bearer);
      assert.equal(badStatus.status, 400);
      assert.match(badStatus.error.fields!.status!, /^Verwenden Sie einen dieser Werte: proposed, accepted/);
      const forbidden = await setStatus({ status: 'shipped' }, bearer);
      assert.equal(forbidden.status, 409);
      assert.match(forbidden.error.message, /verschoben werden, nicht nach Ausgeliefert\./);
      assert.deepEqual([...missingKeys], []);
    });
  });
  describe('account: linking a sign-in provider, and the pages a link from an email opens', () => {
    /** Signs in at the provider as a German browser would and comes back to the app's callback. */
    async function signInAtProvider(login: string, account: { email: string; name: string }) {
      provider.addAccount(login, { ...account, email_verified: true });
      const client = new TestClient(app.url);
      const callback = await loginAtProvider(client, app.url, 'corp', login);
      const response = await client.get(callback.pathname + callback.search, { 'accept-language': GERMAN });
      return { client, response };
    }

    it('links an existing account: the page, a wrong password, the emailed link and its confirmation', async () => {
      const existing = await createUser({ name: 'Erin Existing' });
      const { client, response } = await signInAtProvider('erin', { email: existing.email, name: 'Erin' });
      assert.equal(response.headers.get('location'), '/sign-in/link');
      await expectGerman(client, '/sign-in/link');
      const wrong = await postInGerman(client, '/sign-in/link', '/sign-in/link/password', { password: 'falsch' }, 400);
      assert.match(wrong, /E-Mail-Adresse und Passwort passen zu keinem Konto|passen/);
      const sent = await postInGerman(client, '/sign-in/link', '/sign-in/link/email', {}, 200);
      assert.match(sent, /Wir haben einen Link an/);
      const link = linkIn(await app.smtp.waitForMail(existing.email, /Corp Login/), `${app.url}/sign-in/link/confirm`);
      const confirmed = await new TestClient(app.url).get(link.replace(app.url, ''), { 'accept-language': GERMAN });
      assert.equal(confirmed.status, 200);
      assert.deepEqual(englishIn(confirmed.body_, ''), []);
      assert.match(confirmed.body_, /Anmeldung verknüpft/);
    });

    it('a used or broken link, a provider sign-in to sign out of, and a deleted account', async () => {
      await expectGerman(new TestClient(app.url), '/sign-in/link/confirm?token=x');
      await expectGerman(new TestClient(app.url), '/verify-email?token=x');
      const { client } = await signInAtProvider('nora', { email: 'nora@corp.test', name: 'Nora' });
      const signedOut = await postInGerman(client, '/account', '/sign-out', {}, 200);
      assert.match(signedOut, /Auch von Corp Login abmelden/);
      const leaving = await createUser({ name: 'Lea Leaving' });
      const browser = await signedInClient(app.url, leaving);
      const deleted = await postInGerman(browser, '/account/delete', '/account/delete', { confirmEmail: leaving.email }, 200);
      assert.match(deleted, /Ihr Konto ist gelöscht/);
    });
  });
  describe('idea pages: a hidden idea, its changes, the notices after saving and voting, the vote count', () => {
    it('saves, edits, votes and hides an idea, each page and notice in German', async () => {
      const { id, staff } = await createChallenge(app, { phase: 'open', form: { title: 'Winterreifen', summary: 'Schnee', brief: 'Glätte', terms: 'Lizenz' } });
      const author = await signedInClient(app.url, await createUser({ name: 'Otto Autor' }));
      const page = `/challenges/${id}`;
      const fields = { title: 'Spikes', summary: 'Griffig', body: 'Profil', tags: 'reifen' };
      const submitted = await postInGerman(author, `${page}/ideas/new`, `${page}/ideas`, ideaForm(fields), 303);
      assert.match(submitted, /Ihre Idee ist eingereicht/);
      const ideaPath = (submitted.match(/href="(\/ideas\/[0-9a-f]{24})\/edit"/) ?? [])[1]!;
      const saved = await postInGerman(author, `${ideaPath}/edit`, ideaPath, ideaForm({ ...fields, title: 'Ketten', intent: 'save' }), 303);
      assert.match(saved, /Änderungen gespeichert/);
      await expectGerman(author, `${ideaPath}/revisions`);

      // A comment by an account since deleted, and one by an id that names no one now: each named in the reader's language.
      const ideaId = ideaPath.split('/')[2]!;
      const leaving = await createUser({ name: 'Karl Kurz' });
      await app.services.comments.addComment(actorFor(leaving), ideaId, { body: 'Tschüss' });
      await app.services.privacy.eraseAccount(actorFor(leaving), leaving.id);
      const gone = await createUser({ name: 'Gerd Gone' });
      await app.services.comments.addComment(actorFor(gone), ideaId, { body: 'Weg' });
      await User.deleteOne({ _id: gone.id });
      const withComments = (await author.get(ideaPath, { 'accept-language': GERMAN })).body_;
      assert.match(withComments, /<strong>Gelöschte Person<\/strong>/);
      assert.match(withComments, /<strong>ein ehemaliges Mitglied<\/strong>/);
      assert.doesNotMatch(withComments, /Deleted user/);
      const inEnglish = (await author.get(ideaPath, { 'accept-language': 'en' })).body_;
      assert.match(inEnglish, /<strong>Deleted user<\/strong>/);
      assert.match(inEnglish, /<strong>a former member<\/strong>/);
      await expectGerman(author, ideaPath);

      const member = await signedInClient(app.url, await createUser({ name: 'Greta Neu' }));
      const voted = await postInGerman(member, page, `${ideaPath}/vote`, { action: 'vote', returnTo: page }, 303);
      assert.match(voted, /Danke für Ihre Stimme/);
      // public/js/vote.js writes the new count from the forms the count carries: they are German,
      // and the pattern it builds from them finds the count the page shows.
      const count = voted.match(new RegExp(`data-vote-count="${ideaPath.split('/')[2]}" data-count-one="([^"]+)" data-count-other="([^"]+)">([^<]+)`));
      assert.ok(count, 'the count carries its two forms');
      assert.deepEqual([count[1], count[2]], ['# Stimme', '# Stimmen']);
      const forms = [count[1]!, count[2]!].sort((a, b) => b.length - a.length).map((form) => form.replace('#', '[\\d.,\\u00a0\\u202f]+'));
      assert.match(count[3]!, new RegExp(`^(\\s*)(?:${forms.join('|')})`));
      assert.match(count[3]!, /^1 Stimme /);

      await app.services.moderation.hide(staff, { targetType: 'idea', ideaId: ideaPath.split('/')[2]! }, 'Spam');
      await expectGerman(member, ideaPath);
      assert.match((await member.get(ideaPath, { 'accept-language': GERMAN })).body_, /Diese Idee wurde von den Copilots|verborgen/);
    });
  });
  describe('insights', () => {
    /**
     * The page's own texts in German. The figures' tables and charts (captions, column and row
     * names, built in src/features/insights) are still English, so only the catalogue's English is
     * looked for here, not every sentence the English page shares.
     */
    async function expectGermanTemplate(browser: TestClient, path: string, heading: RegExp) {
      const page = await browser.get(path, { 'accept-language': GERMAN });
      assert.equal(page.status, 200, path);
      assert.match(page.body_, /<html lang="de">/);
      assert.match(page.body_, heading);
      const template = page.body_.replace(/<div class="table-wrap"[\s\S]*?<\/table>\s*<\/div>/g, '').replace(/<svg[\s\S]*?<\/svg>/g, '');
      assert.deepEqual(englishIn(template, ''), [], `English text on the German page ${path}`);
      assert.deepEqual([...missingKeys], [], `keys missing from the catalogue on ${path}`);
    }

    it('a challenge’s insights, insights across challenges, a bad filter, and a person’s activity', async () => {
      await expectGermanTemplate(admin, `/challenges/${challenge.id}/insights`, /Trichter/);
      // The figures are rendered once per computation and language: English right after German stays English.
      assert.match((await admin.get(`/challenges/${challenge.id}/insights`, { 'accept-language': 'en' })).body_, /<h2 id="funnel-title">Funnel<\/h2>/);
      await expectGermanTemplate(admin, '/insights', /Auswertungen über alle Challenges/);
      const bad = await admin.get(`/challenges/${challenge.id}/insights?from=2026-02-31`, { 'accept-language': GERMAN });
      assert.equal(bad.status, 400);
      assert.match(bad.body_, /Geben Sie ein gültiges Datum/);
      // A judge's activity: the authors' ideas carry status notes stored in English (see the report of issue #19).
      await expectGerman(admin, `/people/${challenge.judges[0]!.id}`);
      await expectGerman(await signedInClient(app.url, challenge.judges[0]!), '/my/activity');
    });
  });
});
