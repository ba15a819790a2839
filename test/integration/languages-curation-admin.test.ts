import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../src/shared/actor.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { csrfFrom, type TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { englishIn, expectGerman, GERMAN } from '../helpers/languages.ts';
import { missingKeys } from '../../src/i18n/i18n.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/**
 * The copilots' pages (screening, reports, canned responses, merges, the shortlist), the crowd's
 * comparisons and the admins' pages, each read in German by the person who uses it. The data is named in one or
 * two words, so any text of three words or more that the German page shares with the English one
 * is a template's English (see test/helpers/languages.ts).
 */
describe('languages: the copilots’ and admins’ pages in German', () => {
  let app: TestApp;
  let copilot: TestClient;
  let copilotActor: Actor;
  let member: TestClient;
  let admin: TestClient;
  const ids: Record<string, string> = {};

  before(async () => {
    // A webhook to a closed port: the page is read, nothing needs to answer.
    app = await startTestApp({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1:9' } });
    const copilotUser = await createUser({ name: 'Coco Pilot' });
    copilotActor = actorFor(copilotUser);
    const { id, staff } = await createChallenge(app, { phase: 'open', form: { title: 'Winterdienst', copilots: copilotUser.email, reportThreshold: '3' } });
    ids.challenge = id;
    const author = await signedInClient(app.url, await createUser({ name: 'Otto Autor' }));
    const submit = async (title: string) => {
      const created = await author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title, summary: 'Kurz', body: 'Text', tags: 'schnee' }));
      assert.equal(created.status, 303);
      return String(created.headers.get('location')).split('/').pop()!;
    };
    ids.waiting = await submit('Streusalz Depot');
    ids.twin = await submit('Streusalz Lager');
    ids.approved = await submit('Schneeketten');
    ids.listed = await submit('Räumdienst');
    await approveIdea(app, staff, id, ids.approved);
    await approveIdea(app, staff, id, ids.listed);
    member = await signedInClient(app.url, await createUser({ name: 'Greta Neu' }));
    const reported = await member.submit(`/ideas/${ids.approved}`, `/ideas/${ids.approved}/reports`, { targetType: 'idea', reason: 'spam', note: 'Werbung' });
    assert.equal(reported.status, 303);
    // The shortlist is built during curation: one idea on it, one approved beside it.
    await app.services.challenges.movePhase(staff, id, 'curation', 'test setup');
    await app.services.shortlist.add(copilotActor, id, ids.listed, 'Notiz');
    copilot = await signedInClient(app.url, copilotUser);
    const adminUser = await createUser({ roles: ['admin'], name: 'Ada Admin' });
    admin = await signedInClient(app.url, adminUser);
    // One word: the user's page is titled with their name.
    ids.author = (await createUser({ name: 'Paul' })).id;
    await app.services.adminUsers.changeRoles(actorFor(adminUser, ['admin']), ids.author, ['member', 'specialist']);
    ids.webhook = (await app.services.webhooks.create(actorFor(adminUser, ['admin']), { url: 'http://127.0.0.1:9/hook', events: ['idea.submitted'] })).id;
  });
  after(() => app.close());

  const pages: Array<[string, string]> = [
    ['my screening queues', '/curation'],
    ['the screening queue (waiting)', '/challenges/{challenge}/curation'],
    ['the screening queue (all, filtered)', '/challenges/{challenge}/curation?status=all&reported=on'],
    ['an idea to screen, with the decision form and likely duplicates', '/challenges/{challenge}/curation/ideas/{waiting}'],
    ['an idea already decided', '/challenges/{challenge}/curation/ideas/{approved}'],
    ['two ideas compared for a merge', '/challenges/{challenge}/curation/compare?left={waiting}&right={twin}'],
    ['the reports queue', '/challenges/{challenge}/curation/reports'],
    ['canned responses', '/challenges/{challenge}/curation/responses'],
    ['the shortlist', '/challenges/{challenge}/shortlist'],
    ['an idea’s page as its copilot, with the controls to hide it', '/ideas/{approved}'],
  ];
  for (const [name, path] of pages) {
    it(`${name}: German, with no English left`, async () => {
      await expectGerman(
        copilot,
        path.replace(/\{(\w+)\}/g, (_, key: string) => ids[key]!),
      );
    });
  }

  it('comparing two ideas, as a member: German, with no English left', async () => {
    await expectGerman(member, `/challenges/${ids.challenge}/compare`);
  });

  const adminPages: Array<[string, string]> = [
    ['users', '/admin/users'],
    ['users, searched to nothing', '/admin/users?q=Zz'],
    ['one user, with roles and suspension', '/admin/users/{author}'],
    ['deleting an account on request', '/admin/users/{author}/erase'],
    // One record's history: the whole log also names the shortlist, which is a “Shortlist” in German too.
    ['the audit log of one account', '/admin/audit?target={author}'],
    ['name, logo and colour', '/admin/branding'],
    ['sign-in settings', '/admin/sign-in'],
    ['webhooks', '/admin/webhooks'],
    ['one webhook, with its deliveries', '/admin/webhooks/{webhook}'],
  ];
  for (const [name, path] of adminPages) {
    it(`admin: ${name}: German, with no English left`, async () => {
      await expectGerman(
        admin,
        path.replace(/\{(\w+)\}/g, (_, key: string) => ids[key]!),
      );
    });
  }

  it('admin: refuses a colour too light in German, with its contrast', async () => {
    const csrf = csrfFrom((await admin.get('/admin/branding')).body_);
    const form = new FormData();
    form.append('_csrf', csrf);
    form.append('name', 'Cocreate');
    form.append('accent', '#eeeeee');
    const refused = await admin.request('/admin/branding', { method: 'POST', body: form, headers: { 'accept-language': GERMAN } });
    assert.equal(refused.status, 400);
    // The ratios with a decimal comma, as German writes them.
    assert.match(refused.body_, /Diese Farbe ist zu hell für weißen Text und für Links: Ihr Kontrast ist 1(,\d)?:1, nötig sind mindestens 4,5:1\./);
  });

  it('admin: refuses a webhook to an internal address in German, naming the kind of address', async () => {
    const csrf = csrfFrom((await admin.get('/admin/webhooks')).body_);
    const answer = async (url: string, language: string) => (await admin.post('/admin/webhooks', { _csrf: csrf, url, events: 'idea.submitted' }, { 'accept-language': language })).body_;
    const loopback = await answer('http://127.0.0.1:8/hook', GERMAN);
    assert.match(loopback, /127\.0\.0\.1 verweist auf 127\.0\.0\.1, eine Adresse im Bereich „Loopback“: Webhooks dürfen keine internen Adressen erreichen/);
    assert.deepEqual(englishIn(loopback, await answer('http://127.0.0.1:8/hook', 'en')), []);
    assert.match(await answer('ftp://example.com/hook', GERMAN), /Nur http:\/\/- und https:\/\/-URLs können Webhooks empfangen\./);
    assert.deepEqual([...missingKeys], []);
  });

  /** Posts a form of `page` in both languages and compares the answers, as expectGerman does for a page. */
  async function postInBoth(page: string, action: string, fields: Record<string, string>) {
    const csrf = csrfFrom((await copilot.get(page)).body_);
    const german = await copilot.post(action, { _csrf: csrf, ...fields }, { 'accept-language': GERMAN });
    const english = await copilot.post(action, { _csrf: csrf, ...fields }, { 'accept-language': 'en' });
    assert.equal(german.status, english.status);
    assert.deepEqual(englishIn(german.body_, english.body_), [], `English text on the German answer to ${action}`);
    return german;
  }

  it('refuses a rejection without a reason in German, keeping the form', async () => {
    const page = `/challenges/${ids.challenge}/curation/ideas/${ids.waiting}`;
    const refused = await postInBoth(page, `${page}/decision`, { kind: 'reject', reason: '', message: '' });
    assert.equal(refused.status, 400);
    assert.match(refused.body_, /Wählen Sie, warum die Idee nicht angenommen wird/);
  });

  it('refuses an empty canned response in German', async () => {
    const page = `/challenges/${ids.challenge}/curation/responses`;
    const refused = await postInBoth(page, page, { kind: 'approve', title: '', text: '' });
    assert.equal(refused.status, 400);
    assert.match(refused.body_, /Geben Sie dem Textbaustein einen kurzen Namen/);
  });

  it('answers a drag on the shortlist in the page’s language', async () => {
    const page = `/challenges/${ids.challenge}/shortlist`;
    const csrf = csrfFrom((await copilot.get(page)).body_);
    const answer = await copilot.post(`${page}/order`, { _csrf: csrf, order: ids.listed! }, { 'accept-language': GERMAN, accept: 'application/json' });
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body_), { message: 'Die Shortlist hatte bereits diese Reihenfolge.' });
  });
});
