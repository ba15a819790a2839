import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Notification } from '../../src/features/notifications/notification.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import { TestClient } from '../helpers/http.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('questions and announcements on a challenge', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('lets members ask, copilots answer and announce; the asker, copilots and followers are told', async () => {
    const copilotUser = await createUser({ name: 'Quinn Copilot' });
    const { id } = await createChallenge(app, { phase: 'open', form: { title: 'Asked about', copilots: copilotUser.email } });
    const askerUser = await createUser({ name: 'Curious Member' });
    const asker = await signedInClient(app.url, askerUser);
    const copilot = await signedInClient(app.url, copilotUser);
    const follower = await signedInClient(app.url, await createUser());
    await follower.submit(`/challenges/${id}`, '/follows', { type: 'challenge', id });

    assert.equal((await asker.submit(`/challenges/${id}`, `/challenges/${id}/questions`, { body: 'Can ideas include **hardware**?' })).status, 303);
    await eventually(async () => /Curious Member asked a question on “Asked about”/.test((await copilot.get('/notifications')).body_), 'the copilot hearing of the question');
    const page = (await copilot.get(`/challenges/${id}`)).body_;
    const questionId = page.match(/\/questions\/([0-9a-f-]{36})\/answers/)?.[1];
    assert.ok(questionId);

    const memberAnswer = await asker.submit(`/challenges/${id}`, `/challenges/${id}/questions/${questionId}/answers`, { body: 'I think so' });
    assert.equal(memberAnswer.status, 403);
    await copilot.submit(`/challenges/${id}`, `/challenges/${id}/questions/${questionId}/answers`, { body: 'Yes, prototypes welcome.' });
    await eventually(async () => /Your question on “Asked about” has an answer/.test((await asker.get('/notifications')).body_), 'the asker hearing of the answer');

    const announced = await copilot.submit(`/challenges/${id}`, `/challenges/${id}/announcements`, { body: 'Deadline extended by a week' });
    assert.equal(announced.headers.get('location'), `/challenges/${id}#announcements`, 'to the announcement, at the top of the page');
    const visitorPage = (await new TestClient(app.url).get(`/challenges/${id}`)).body_;
    assert.match(visitorPage, /<div id="announcements">\s*<aside class="notice announcement"/);
    assert.match(visitorPage, /<strong>hardware<\/strong>/);
    assert.match(visitorPage, /Yes, prototypes welcome/);
    assert.match(visitorPage, /Announcement<\/strong>.*Quinn Copilot/s);
    await eventually(async () => /Announcement on “Asked about”: Deadline extended/.test((await follower.get('/notifications')).body_), 'followers hearing of the announcement');
    assert.ok(await Notification.exists({ kind: 'announcement', link: `/challenges/${id}#announcements` }), 'and the notice leads to it');
    assert.equal((await asker.submit(`/challenges/${id}`, `/challenges/${id}/announcements`, { body: 'Fake news' })).status, 403);
  });

  it('refuses questions on a closed challenge and empty ones', async () => {
    const { id } = await createChallenge(app, { phase: 'closed' });
    const member = await signedInClient(app.url, await createUser());
    const closed = await member.submit(`/challenges/${id}`, `/challenges/${id}/questions`, { body: 'Too late?' });
    assert.equal(closed.status, 403);
    const open = await createChallenge(app, { phase: 'open' });
    const empty = await member.submit(`/challenges/${open.id}`, `/challenges/${open.id}/questions`, { body: ' ' });
    assert.equal(empty.status, 303, 'back to the challenge page, not to an error page');
    assert.equal(empty.headers.get('location'), `/challenges/${open.id}#questions`);
    const page = (await member.get(`/challenges/${open.id}`)).body_;
    const askForm = page.slice(page.indexOf(`action="/challenges/${open.id}/questions"`));
    assert.match(askForm, /class="field field--error"[\s\S]*Write something first[\s\S]*aria-invalid="true"/, 'the message at the question field');
    assert.doesNotMatch((await member.get(`/challenges/${open.id}`)).body_, /field--error/, 'shown once');
  });

  it('brings a copilot’s refused announcement back to its field with the text typed', async () => {
    const copilotUser = await createUser({ name: 'Ann Copilot' });
    const { id } = await createChallenge(app, { phase: 'open', form: { copilots: copilotUser.email } });
    const copilot = await signedInClient(app.url, copilotUser);
    const tooLong = `Deadline news ${'x'.repeat(5_000)}`;
    const refused = await copilot.submit(`/challenges/${id}`, `/challenges/${id}/announcements`, { body: tooLong });
    assert.equal(refused.status, 303);
    const page = (await copilot.get(`/challenges/${id}`)).body_;
    assert.match(page, /id="announcement-error"[^]*?At most 5,000 characters/);
    assert.ok(page.includes(`aria-describedby="announcement-error">${tooLong}</textarea>`), 'the text as typed');
  });
});
