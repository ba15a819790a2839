import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('similar ideas and search', () => {
  let app: TestApp;
  let author: TestClient;
  let openId: string;
  let sealedId: string;
  before(async () => {
    app = await startTestApp();
    author = await signedInClient(app.url, await createUser({ name: 'Sam Searcher' }));
    ({ id: openId } = await createChallenge(app, { phase: 'open', form: { title: 'Reporting wishes' } }));
    ({ id: sealedId } = await createChallenge(app, { phase: 'open', form: { title: 'Secret wishes', submissionVisibility: 'sealed' } }));
    const submit = (challengeId: string, title: string, summary: string) => author.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, ideaForm({ title, summary }));
    await submit(openId, 'Export monthly reports to spreadsheet', 'Exporting reports saves hours every month.');
    await submit(openId, 'Dark mode for the dashboard', 'Easier on the eyes at night.');
    await submit(openId, 'Calendar reminders', 'Never miss a renewal.');
    await submit(sealedId, 'Sealed export of invoices', 'Confidential idea about exporting invoices.');
  });
  after(() => app.close());

  it('suggests a near-duplicate while a title is typed, and not an unrelated idea', async () => {
    const visitor = new TestClient(app.url);
    const response = await visitor.get(`/challenges/${openId}/similar?title=${encodeURIComponent('exporting a report to a spreadsheet')}`, { accept: 'application/json' });
    const { ideas } = JSON.parse(response.body_) as { ideas: Array<{ title: string }> };
    assert.equal(ideas[0]?.title, 'Export monthly reports to spreadsheet');
    assert.ok(!ideas.some((idea) => idea.title === 'Calendar reminders'));
  });

  it('never suggests or finds a sealed idea for the crowd, but does for its author', async () => {
    const member = new TestClient(app.url);
    const suggested = await member.get(`/challenges/${sealedId}/similar?title=${encodeURIComponent('export invoices')}`, { accept: 'application/json' });
    assert.deepEqual(JSON.parse(suggested.body_), { ideas: [] });
    const search = await member.get('/search?q=invoices');
    assert.doesNotMatch(search.body_, /Sealed export of invoices/);
    assert.match((await author.get('/search?q=invoices')).body_, /Sealed export of <mark>invoices<\/mark>/);
  });

  it('shows suggestions on the form without JavaScript once there is a title', async () => {
    const page = await author.submit(`/challenges/${openId}/ideas/new`, `/challenges/${openId}/ideas`, ideaForm({ title: 'Export reports to a spreadsheet', acceptTerms: '' }));
    assert.equal(page.status, 400);
    assert.match(page.body_, /Is yours one of these\?/);
    assert.match(page.body_, /Export monthly reports to spreadsheet/);
  });

  it('finds ideas and challenges by every word, marks the matches, and pages by keyset', async () => {
    const visitor = new TestClient(app.url);
    const results = await visitor.get('/search?q=exporting+reports');
    assert.match(results.body_, /<mark>Export<\/mark> monthly <mark>reports<\/mark> to spreadsheet/);
    assert.doesNotMatch(results.body_, /Dark mode/);
    const challengeHit = await visitor.get('/search?q=reporting');
    assert.match(challengeHit.body_, /<mark>Reporting<\/mark> wishes/);

    for (let i = 0; i < 22; i++) {
      await author.submit(`/challenges/${openId}/ideas/new`, `/challenges/${openId}/ideas`, ideaForm({ title: `Widget idea ${i}`, summary: 'About widgets.' }));
    }
    const first = await visitor.get('/search?q=widget');
    const firstTitles = [...first.body_.matchAll(/<mark>Widget<\/mark> idea (\d+)/g)].map((m) => m[1]);
    assert.equal(firstTitles.length, 20);
    const next = first.body_.match(/href="\/search\?q=widget&amp;after=([^"]+)"/)?.[1];
    assert.ok(next);
    const second = await visitor.get(`/search?q=widget&after=${next}`);
    const secondTitles = [...second.body_.matchAll(/<mark>Widget<\/mark> idea (\d+)/g)].map((m) => m[1]);
    assert.equal(secondTitles.length, 2);
    assert.equal(new Set([...firstTitles, ...secondTitles]).size, 22, 'every hit exactly once');
  });

  // Each hit's rendering is kept with the board's card (views/search/results.hbs).
  it('shows a vote and an edit on a kept search hit at once, and never hands a sealed hit kept for its author to the crowd', async () => {
    const created = await author.submit(`/challenges/${openId}/ideas/new`, `/challenges/${openId}/ideas`, ideaForm({ title: 'Kept gadget hit', summary: 'First summary about gadgets.' }));
    const ideaPath = created.headers.get('location') ?? '';
    const member = await signedInClient(app.url, await createUser());
    const before = (await member.get('/search?q=gadgets')).body_;
    assert.match(before, /First summary about <mark>gadgets<\/mark>/);
    assert.match(before, /data-vote-count="[0-9a-f]{24}">0 votes/);
    assert.equal((await member.submit(ideaPath, `${ideaPath}/vote`, {})).status, 303);
    assert.match((await member.get('/search?q=gadgets')).body_, /data-vote-count="[0-9a-f]{24}">1 vote</, 'the vote, on the next search');
    await author.submit(`${ideaPath}/edit`, ideaPath, ideaForm({ title: 'Kept gadget hit', summary: 'Second summary about gadgets.' }));
    const edited = (await member.get('/search?q=gadgets')).body_;
    assert.match(edited, /Second summary about <mark>gadgets<\/mark>/);
    assert.doesNotMatch(edited, /First summary/);

    assert.match((await author.get('/search?q=invoices')).body_, /Sealed export of <mark>invoices<\/mark>/);
    assert.doesNotMatch((await member.get('/search?q=invoices')).body_, /Sealed export/, 'the author’s kept hit is not the crowd’s');
    assert.doesNotMatch((await new TestClient(app.url).get('/search?q=invoices')).body_, /Sealed export/);
  });

  it('says so when nothing matches', async () => {
    const none = await new TestClient(app.url).get('/search?q=zeppelin');
    assert.match(none.body_, /No ideas match “zeppelin”/);
  });

  it('searches a query longer than the box takes by its first 200 characters, rather than showing nothing', async () => {
    const long = `spreadsheet ${'x'.repeat(300)}`;
    const page = (await new TestClient(app.url).get(`/search?q=${encodeURIComponent(long)}`)).body_;
    assert.match(page, /<h2 id="idea-results">/, 'the results section is there');
    assert.match(page, new RegExp(`value="${long.slice(0, 200)}"`), 'with the query as searched');
  });
});
