import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Shortlist } from '../../src/features/curation/shortlist.model.ts';
import { User } from '../../src/features/accounts/user.model.ts';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { InsightDay } from '../../src/features/insights/insights.model.ts';
import { missingKeys } from '../../src/i18n/i18n.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { decideIdea } from '../helpers/curation.ts';
import { eventually } from '../helpers/eventually.ts';
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
    challenge = await challengeInJudging(app, {
      ideas: 2,
      judges: 1,
      perIdea: 1,
      form: { title: 'Winterreifen', summary: 'Schnee', brief: 'Glätte', terms: 'Lizenz' },
      idea: { title: 'Spikes', summary: 'Griffig' },
    });
    // The engine has no positional updates: the shortlist's notes are rewritten whole.
    const shortlist = await Shortlist.findById(challenge.id).lean();
    await Shortlist.updateOne({ _id: challenge.id }, { $set: { entries: shortlist!.entries.map((entry) => ({ ...entry, note: 'Notiz' })) } });
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
      // public/js/vote.js writes the new count from the two forms the list carries once for all its
      // counts: they are German, and the pattern it builds from them finds the count the page shows.
      const list = /<ul class="idea-list"[^>]* data-count-one="([^"]+)" data-count-other="([^"]+)">/.exec(voted);
      assert.ok(list, 'the list carries the count’s two forms');
      assert.deepEqual([list[1], list[2]], ['# Stimme', '# Stimmen']);
      const count = new RegExp(`data-vote-count="${ideaPath.split('/')[2]}">([^<]+)`).exec(voted);
      assert.ok(count, 'the idea’s count is on the page');
      const forms = [list[1]!, list[2]!].sort((a, b) => b.length - a.length).map((form) => form.replace('#', '[\\d.,\\u00a0\\u202f]+'));
      assert.match(count[1]!, new RegExp(`^(\\s*)(?:${forms.join('|')})`));
      assert.match(count[1]!, /^1 Stimme /);

      await app.services.moderation.hide(staff, { targetType: 'idea', ideaId: ideaPath.split('/')[2]! }, 'Spam');
      await expectGerman(member, ideaPath);
      assert.match((await member.get(ideaPath, { 'accept-language': GERMAN })).body_, /Diese Idee wurde von den Copilots|verborgen/);
    });
  });
  describe('insights', () => {
    let summer: { id: string; authors: Array<{ id: string; email: string; password: string }> };
    before(async () => {
      // An open challenge with figures in every table: six authors (five of one segment, so that
      // its figures are shown, and one who states none and writes two ideas), decisions of each
      // kind, votes, comments, a comparison and visits; the judged challenge adds a judge's scores.
      const { id, staff } = await createChallenge(app, { phase: 'open', form: { title: 'Sommerreifen', summary: 'Sonne', brief: 'Hitze', terms: 'Lizenz' } });
      const titles = ['Spikes', 'Ketten', 'Profil', 'Gummi', 'Felgen', 'Ventil', 'Nabe'];
      const authors = await Promise.all(titles.slice(0, 6).map((_, n) => createUser({ name: `Autorin ${n + 1}` })));
      for (const author of authors.slice(0, 5)) await User.updateOne({ _id: author.id }, { $set: { profile: { segment: 'Handel', region: 'Europa', customerTier: 'Gold' } } });
      const { ideas, votes, comments, comparisons } = app.services;
      const ideaIds: string[] = [];
      for (const [n, title] of titles.entries()) {
        const body = ideaForm({ title, summary: 'Kurz', body: 'Lang', tags: n % 2 ? 'reifen' : 'felgen' });
        ideaIds.push((await ideas.createIdea(actorFor(authors[Math.min(n, 5)]!), id, ideaInput.parse(body), body)).ideaId);
      }
      for (const ideaId of ideaIds.slice(0, 5)) await decideIdea(app, staff, id, ideaId, 'approve');
      await decideIdea(app, staff, id, ideaIds[5]!, 'request-changes', 'Mehr Details');
      await decideIdea(app, staff, id, ideaIds[6]!, 'reject');
      for (const [n, author] of authors.entries()) await votes.castVote(actorFor(author), ideaIds[n % 2 ? 0 : 1]!);
      for (const author of authors.slice(2, 4)) await comments.addComment(actorFor(author), ideaIds[0]!, { body: 'Gut' });
      await comparisons.answer(actorFor(authors[5]!), id, { leftId: ideaIds[0]!, rightId: ideaIds[1]!, choice: 'left' });
      await admin.get(`/challenges/${id}`);
      await new TestClient(app.url).get(`/challenges/${id}`);
      // The counters are written by event subscribers, after the requests answered.
      await eventually(async () => {
        const totals: Record<string, number> = {};
        for (const doc of await InsightDay.find({ _id: new RegExp(`^${id}:`) }).lean()) for (const [key, n] of Object.entries(doc.c as Record<string, number>)) totals[key] = (totals[key] ?? 0) + n;
        return totals['approved|*'] === 5 && totals['votes|*'] === 6 && totals['comments|*'] === 2 && totals['pairwiseWins|*'] === 1 && totals['visitors|*'] === 2;
      }, 'the insights counters');
      summer = { id, authors };
    });

    it('a challenge’s insights with every table and chart, open and in judging, its CSV and a bad filter', async () => {
      for (const id of [summer.id, challenge.id]) await expectGerman(admin, `/challenges/${id}/insights`);
      const page = (await admin.get(`/challenges/${summer.id}/insights`, { 'accept-language': GERMAN })).body_;
      assert.match(page, /<h2 id="funnel-title">Trichter<\/h2>/);
      assert.match(page, /<tr><th scope="row">Angenommen<\/th><td>5<\/td><td>71\u00a0%<\/td><td>Offen für Ideen: 5<\/td><\/tr>/);
      assert.match(page, /<th scope="row">Handel<\/th><td>5<\/td>/);
      assert.match(page, /Ketten \(3 Stimmen\)/);
      assert.match(page, /<option value="not stated" >nicht angegeben<\/option>/);
      assert.match(page, /<title id="segment-chart-title">Teilnehmende nach Segment<\/title>/);
      assert.match((await admin.get(`/challenges/${challenge.id}/insights`, { 'accept-language': GERMAN })).body_, /Judge A: kalibriert/);
      // The figures are computed and rendered per language: English right after German stays English.
      const english = (await admin.get(`/challenges/${summer.id}/insights`, { 'accept-language': 'en' })).body_;
      assert.match(english, /<h2 id="funnel-title">Funnel<\/h2>/);
      assert.match(english, /<tr><th scope="row">Approved<\/th><td>5<\/td><td>71%<\/td><td>Open for ideas: 5<\/td><\/tr>/);
      const csv = await admin.get(`/challenges/${summer.id}/insights/funnel.csv`, { 'accept-language': GERMAN });
      assert.equal(csv.body_.split('\n')[0], 'Stufe,Anzahl,Anteil an der Stufe davor,"Phase, in der es geschah"');
      const bad = await admin.get(`/challenges/${challenge.id}/insights?from=2026-02-31`, { 'accept-language': GERMAN });
      assert.equal(bad.status, 400);
      assert.match(bad.body_, /Geben Sie ein gültiges Datum/);
      const nobody = await admin.get(`/challenges/${summer.id}/insights?segment=Nirgends&tag=unbekannt`, { 'accept-language': GERMAN });
      assert.equal(nobody.status, 400);
      assert.match(nobody.body_, /Niemand in dieser Challenge hat Segment „Nirgends“/);
      assert.match(nobody.body_, /Keine Idee in dieser Challenge hat das Schlagwort „unbekannt“/);
    });

    it('insights across challenges, filtered and not', async () => {
      await expectGerman(admin, '/insights');
      await expectGerman(admin, '/insights?segment=Handel');
      assert.match((await admin.get('/insights', { 'accept-language': GERMAN })).body_, /<caption id="table-shipped-by-challenge-caption">Welche Challenges/);
    });

    it('a person’s activity: an author’s ideas, votes and comments, as staff and as themselves; a deleted author’s; a judge’s', async () => {
      const author = summer.authors[2]!;
      await expectGerman(admin, `/people/${author.id}`);
      await expectGerman(await signedInClient(app.url, author), '/my/activity');
      // The promoted idea's author: its item's first note is stored in English, and shown in theirs; its backlog by name, not by key.
      const promotedAuthor = await signedInClient(app.url, challenge.authors[0]!);
      for (const path of ['/my/activity', '/my/ideas']) {
        const page = (await promotedAuthor.get(path, { 'accept-language': GERMAN })).body_;
        assert.match(page, /Übernommen aus „Spikes/, path);
        assert.doesNotMatch(page, /Promoted from/, path);
      }
      assert.match((await promotedAuthor.get('/my/ideas', { 'accept-language': GERMAN })).body_, /Im Backlog „Product“/);
      // What remains of a deleted account's ideas (the last test to read this challenge: its author is
      // gone). An approved idea's: a rejected idea's status note is stored in English (issue #19's report).
      const gone = summer.authors[4]!;
      await User.deleteOne({ _id: gone.id });
      await expectGerman(admin, `/people/${gone.id}`);
      assert.match((await admin.get(`/people/${gone.id}`, { 'accept-language': GERMAN })).body_, /<h1>ein ehemaliges Mitglied<\/h1>/);
      // A judge's activity: the authors' ideas carry status notes stored in English (see the report of issue #19).
      await expectGerman(admin, `/people/${challenge.judges[0]!.id}`);
      assert.match((await admin.get(`/people/${challenge.judges[0]!.id}`, { 'accept-language': GERMAN })).body_, /<span class="tag">Team<\/span>/, 'the judge’s role');
      await expectGerman(await signedInClient(app.url, challenge.judges[0]!), '/my/activity');
    });
  });
});
