import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Appeal } from '../../src/features/judging/appeals.model.ts';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { actorFor, challengeForm, createChallenge } from '../helpers/challenges.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { csrfFrom, type TestClient } from '../helpers/http.ts';
import { challengeInJudging, type JudgedChallenge } from '../helpers/judging.ts';
import { englishIn, expectGerman, GERMAN } from '../helpers/languages.ts';
import { missingKeys } from '../../src/i18n/i18n.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

const day = 24 * 60 * 60 * 1000;
// The data on the pages is German (or one or two words), so any English sentence left is a template's.
const GERMAN_FORM = {
  title: 'Winterreifen',
  summary: 'Schnee',
  brief: 'Glätte',
  terms: 'Lizenz',
  prizes: 'Gold: 500\nSilber: 100',
  criteria: 'Impact | 2 | 1-5 | Nutzen\nFeasibility | 1 | 1-5',
};
const GERMAN_IDEA = { idea: { summary: 'Kurz', body: 'Lang' }, note: 'Notiz' };

/**
 * Posts a form in German and in English (each with a fresh token from `page`) and fails on English
 * left on the German answer: a refusal or validation message rendered in the reader's language.
 */
async function expectGermanPost(browser: TestClient, page: string, action: string, fields: Record<string, string>, status: number) {
  const post = async (language: string) => {
    const token = csrfFrom((await browser.get(page, { 'accept-language': language })).body_);
    return browser.post(action, { _csrf: token, ...fields }, { 'accept-language': language });
  };
  const german = await post(GERMAN);
  const english = await post('en');
  assert.equal(german.status, status, `${action}: status of the German answer`);
  assert.equal(english.status, status, `${action}: status of the English answer`);
  assert.deepEqual(englishIn(german.body_, english.body_), [], `English text on the German answer to ${action}`);
  assert.deepEqual([...missingKeys], [], `keys missing from the catalogue on ${action}`);
  return german.body_;
}

/**
 * The staff pages of judging, the challenge form and the staff panels of home, in German: each
 * page type read as the role that uses it, and the key refusals rendered in German.
 */
describe('languages: judging, the challenge form and staff’s home in German', () => {
  let app: TestApp;
  let judged: JudgedChallenge;
  let staff: TestClient;
  let judge: TestClient;
  let staffEmail: string;

  before(async () => {
    app = await startTestApp();
    const staffUser = await createUser({ roles: ['staff'], name: 'Stefan Stab' });
    staff = await signedInClient(app.url, staffUser);
    staffEmail = staffUser.email;
    // One challenge for every page: read in judging first, then scored and moved to its appeals phase.
    judged = await challengeInJudging(app, {
      ideas: 2,
      judges: 2,
      perIdea: 2,
      ...GERMAN_IDEA,
      form: { ...GERMAN_FORM, appealsEnabled: 'on', start_appeals: new Date(Date.now() + 26 * day).toISOString().slice(0, 16) },
    });
    judge = await signedInClient(app.url, judged.judges[0]!);
  });
  after(() => app.close());

  it('a judge’s pages: their challenges, the judging dashboard, a scorecard and a refused submission', async () => {
    await expectGerman(judge, '/judging');
    await expectGerman(judge, `/challenges/${judged.id}/judging`);
    // Two judges, two per idea: each judge scores every idea.
    const ideaId = judged.ideaIds[0]!;
    const scorecard = `/challenges/${judged.id}/judging/ideas/${ideaId}`;
    await expectGerman(judge, scorecard);
    // Submitted with a score outside the scale: the field messages and the summary in German.
    const body = await expectGermanPost(judge, scorecard, scorecard, { intent: 'submit', score_0: '9', score_1: '' }, 400);
    assert.match(body, /Bewerten Sie „Impact“ mit einer ganzen Zahl von 1 bis 5\./);
  });

  it('staff’s home: screening, scorecards, backlog items and challenges by phase', async () => {
    // The staff member curates an open challenge with an idea waiting, and owns the product backlog.
    const curated = await createChallenge(app, { phase: 'open', form: { ...GERMAN_FORM, title: 'Herbstlaub', copilots: staffEmail, crowdSees: 'approved' } });
    const member = await createUser({ name: 'Mia Mitglied' });
    const body = ideaForm({ title: 'Rechen', summary: 'Kurz', body: 'Lang' });
    await app.services.ideas.createIdea(actorFor(member), curated.id, ideaInput.parse(body), body);
    const admin = await createUser({ roles: ['admin'], name: 'Ada Admin' });
    await app.services.backlogs.setOwners(actorFor(admin, ['admin']), 'product', [staffEmail]);
    await expectGerman(staff, '/');
    const panels = (await staff.get('/', { 'accept-language': GERMAN })).body_;
    for (const heading of ['Zu prüfende Ideen', 'Zu prüfende Backlog-Einträge', 'Challenges nach Phase']) assert.ok(panels.includes(heading), `the panel ${heading} is shown`);
    // A judge who is staff too: the scorecards panel.
    await expectGerman(judge, '/');
    assert.match((await judge.get('/', { 'accept-language': GERMAN })).body_, /2 von 2 Bewertungsbögen auszufüllen/);
  });

  it('staff’s judging pages: setup and progress, the ranking, the winners and their preview', async () => {
    await expectGerman(staff, `/challenges/${judged.id}/judging`);
    await expectGerman(staff, `/challenges/${judged.id}/judging/setup`);
    await expectGerman(staff, `/challenges/${judged.id}/judging/results`);
    await expectGerman(staff, `/challenges/${judged.id}/judging/winners`);
    const setup = `/challenges/${judged.id}/judging/setup`;
    const refused = await expectGermanPost(staff, setup, setup, { mode: 'k', perIdea: '0', budgetPer: 'total', crowdWeight: '0' }, 400);
    assert.match(refused, /Mindestens eine Juror:in pro Idee\./);
    const winners = `/challenges/${judged.id}/judging/winners`;
    await expectGermanPost(staff, winners, winners, { intent: 'preview', idea_0: judged.ideaIds[0]!, idea_1: judged.ideaIds[1]!, reason_0: 'Besser', reason_1: 'Auch' }, 200);
  });

  it('the authors’ feedback with its appeal form, a refused appeal, and the judges’ appeals page', async () => {
    for (const ideaId of judged.ideaIds) {
      for (const judgeUser of judged.judges) {
        const criteria = [
          { score: 4, comment: 'Stark' },
          { score: 2, comment: 'Teuer' },
        ];
        await app.services.scorecards.save(actorFor(judgeUser, ['staff']), judged.id, ideaId, { criteria, comment: 'Gut', privateNote: 'Intern', submit: true });
      }
    }
    // The scores on the winners page, each written as German writes decimals.
    await expectGerman(staff, `/challenges/${judged.id}/judging/winners`);
    const ranking = (await staff.get(`/challenges/${judged.id}/judging/winners`, { 'accept-language': GERMAN })).body_;
    assert.match(ranking, /<td data-label="Rohmittel">\d+,\d<\/td>/);
    assert.match(ranking, /<td data-label="Kalibrierte Punktzahl">\d+,\d<\/td>/);
    await app.services.challenges.movePhase(judged.staff, judged.id, 'appeals', 'Bewertung fertig');
    const ideaId = judged.ideaIds[0]!;
    const author = await signedInClient(app.url, judged.authors[0]!);
    // An author in Berlin, to read a refusal's date in their time zone.
    assert.equal((await author.submit('/account', '/account/profile', { name: judged.authors[0]!.name, timezone: 'Europe/Berlin', locale: '' })).status, 303);
    await expectGerman(author, `/ideas/${ideaId}/feedback`);
    const refused = await expectGermanPost(author, `/ideas/${ideaId}/feedback`, `/ideas/${ideaId}/appeal`, { text: '' }, 400);
    assert.match(refused, /Ihr Einspruch wurde nicht gesendet/);
    // Appealed once, the second appeal is refused with the first one's date, written as German writes it.
    await app.services.appeals.appeal(actorFor(judged.authors[0]!), ideaId, 'Bitte prüfen');
    const appealedAt = (await Appeal.findById(ideaId).lean())!.at;
    const inBerlin = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(appealedAt);
    const again = await expectGermanPost(author, `/ideas/${ideaId}/feedback`, `/ideas/${ideaId}/appeal`, { text: 'Nochmal' }, 409);
    assert.ok(again.includes(`Sie haben bereits am ${inBerlin} Einspruch eingelegt`), 'the date in German, in the author’s time zone');
    await expectGerman(author, `/ideas/${ideaId}/feedback`);
    await expectGerman(judge, `/challenges/${judged.id}/judging/appeals`);
    await expectGerman(staff, `/challenges/${judged.id}/judging/results`);
  });
  it('the challenge form, new and editing, its refusals, and the staff parts of the challenge page', async () => {
    await expectGerman(staff, '/challenges/new');
    const draft = await createChallenge(app, { form: GERMAN_FORM });
    await expectGerman(staff, `/challenges/${draft.id}/edit`);
    // The staff panel (next step) and the phase control, with the phase history.
    await expectGerman(staff, `/challenges/${judged.id}`);
    const refused = await expectGermanPost(
      staff,
      '/challenges/new',
      '/challenges',
      challengeForm({ ...GERMAN_FORM, title: '', prizes: 'ohne Doppelpunkt', criteria: 'Wirkung | -1 | 1-5', copilots: 'niemand@example.test' }),
      400,
    );
    assert.match(refused, /Zeile 1: Schreiben Sie eine Preisstufe/);
    assert.match(refused, /Kein Konto nutzt niemand@example\.test\./);
    // The schedule is checked once the form itself is valid.
    const schedule = await expectGermanPost(staff, '/challenges/new', '/challenges', challengeForm({ ...GERMAN_FORM, start_judging: '2020-01-01T00:00' }), 400);
    assert.match(schedule, /„Jurybewertung“ muss nach „Kuratierung“ beginnen\./);
    // A phase move without its reason comes back to the phase control, in German.
    await expectGermanPost(staff, `/challenges/${draft.id}`, `/challenges/${draft.id}/phase`, { to: 'open', reason: '' }, 400);
  });
});
