import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Shortlist } from '../../src/features/curation/shortlist.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { missingKeys } from '../../src/i18n/i18n.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor } from '../helpers/challenges.ts';
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
  let admin: TestClient;
  let challenge: JudgedChallenge;
  let itemId: string;
  before(async () => {
    app = await startTestApp();
    const adminUser = await createUser({ roles: ['admin', 'staff'], name: 'Ada Admin' });
    admin = await signedInClient(app.url, adminUser);
    // Data named in one or two words, so that only the templates' texts can read alike in both languages.
    challenge = await challengeInJudging(app, { ideas: 2, judges: 1, perIdea: 1, form: { title: 'Winterreifen', summary: 'Schnee', brief: 'Glätte', terms: 'Lizenz' } });
    // The engine has no positional updates: the shortlist's notes are rewritten whole.
    const shortlist = await Shortlist.findById(challenge.id).lean();
    await Shortlist.updateOne({ _id: challenge.id }, { $set: { entries: shortlist!.entries.map((entry) => ({ ...entry, note: 'Notiz' })) } });
    await Idea.updateOne({ _id: challenge.ideaIds[0] }, { $set: { title: 'Spikes', summary: 'Griffig' } });
    const { item } = await app.services.backlogItems.promote(actorFor(adminUser, ['admin', 'staff']), challenge.ideaIds[0]!, 'product');
    itemId = item.id;
  });
  after(() => app.close());

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
  });
});
