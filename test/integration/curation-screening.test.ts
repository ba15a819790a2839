import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { AuditEntry } from '../../src/features/audit/audit.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { Notification } from '../../src/features/notifications/notification.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';
import { noticesOf } from '../helpers/notices.ts';

describe('screening: the copilots’ queue and decisions', () => {
  let app: TestApp;
  let author: TestClient;
  let authorId: string;
  let ana: TestClient;
  let ben: TestClient;
  let member: TestClient;
  let copilotEmails: string;
  const sockets: Socket[] = [];

  before(async () => {
    app = await startTestApp();
    const authorUser = await createUser({ name: 'Ada Author' });
    authorId = authorUser.id;
    author = await signedInClient(app.url, authorUser);
    const anaUser = await createUser({ name: 'Ana Copilot' });
    const benUser = await createUser({ name: 'Ben Copilot' });
    ana = await signedInClient(app.url, anaUser);
    ben = await signedInClient(app.url, benUser);
    member = await signedInClient(app.url, await createUser({ name: 'Mo Member' }));
    copilotEmails = `${anaUser.email}\n${benUser.email}`;
  });
  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await app.close();
  });

  const openChallenge = () => createChallenge(app, { phase: 'open', form: { copilots: copilotEmails, crowdSees: 'approved' } });
  const queue = (challengeId: string) => `/challenges/${challengeId}/curation`;
  const item = (challengeId: string, ideaId: string) => `${queue(challengeId)}/ideas/${ideaId}`;

  async function submitIdea(challengeId: string, title: string): Promise<string> {
    const created = await author.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, ideaForm({ title }));
    assert.equal(created.status, 303);
    return (created.headers.get('location') ?? '').split('/')[2]!;
  }

  const decide = (client: TestClient, challengeId: string, ideaId: string, fields: Record<string, string>) => client.submit(item(challengeId, ideaId), `${item(challengeId, ideaId)}/decision`, fields);

  it('offers each waiting idea for a decision on several at once, and not on another tab of the same ideas', async () => {
    const { id } = await openChallenge();
    const ideaId = await submitIdea(id, 'Selectable onboarding map');
    const box = new RegExp(`<input type="checkbox" name="ideaIds" value="${ideaId}"[^>]*aria-label="Select “Selectable onboarding map”"`);
    // The waiting list first: its card's rendering is kept, and must not be served to the other tab.
    assert.match((await ana.get(queue(id))).body_, box);
    const all = (await ana.get(`${queue(id)}?status=all`)).body_;
    assert.match(all, /Selectable onboarding map/);
    assert.doesNotMatch(all, /name="ideaIds"/);
    assert.match((await ana.get(queue(id))).body_, box, 'and the waiting list still offers it');
  });

  it('keeps a submitted idea from the crowd until a copilot approves it, then tells the author and the crowd', async () => {
    const { id } = await openChallenge();
    const ideaId = await submitIdea(id, 'Screened onboarding tips');
    assert.equal((await member.get(`/ideas/${ideaId}`)).status, 404, 'the crowd does not see an unscreened idea');
    assert.doesNotMatch((await member.get(`/challenges/${id}`)).body_, /Screened onboarding tips/);
    assert.equal((await author.get(`/ideas/${ideaId}`)).status, 200, 'its author does');

    const page = await ana.get(queue(id));
    assert.equal(page.status, 200);
    assert.match(page.body_, /Screened onboarding tips/);
    assert.match(page.body_, /<dt>Waiting<\/dt><dd>1<\/dd>/);

    const approved = await decide(ana, id, ideaId, { kind: 'approve', message: 'Welcome, {author}!' });
    assert.equal(approved.status, 303);
    assert.equal(approved.headers.get('location'), queue(id), 'nothing else waits: back to the queue');
    const stored = await Idea.findById(ideaId).lean();
    assert.equal(stored?.status, 'approved');
    assert.equal(stored?.decision?.message, 'Welcome, Ada Author!');
    assert.ok(stored?.firstDecisionAt);
    assert.equal((await member.get(`/ideas/${ideaId}`)).status, 200);
    assert.match((await member.get(`/challenges/${id}`)).body_, /Screened onboarding tips/);
    await eventually(async () => (await Notification.countDocuments({ userId: authorId, kind: 'idea_decision' })) === 1, 'the author is told of the approval');
    assert.equal(await AuditEntry.countDocuments({ action: 'idea.approve', targetId: ideaId }), 1);
    assert.match((await author.get('/my/ideas')).body_, /Ana Copilot approved it/);
  });

  it('tells the author of a sealed challenge that their approved idea is in the running, not that everyone sees it', async () => {
    const { id } = await createChallenge(app, { phase: 'open', form: { copilots: copilotEmails, crowdSees: 'approved', submissionVisibility: 'sealed' } });
    const ideaId = await submitIdea(id, 'Confidential pricing idea');
    assert.equal((await decide(ana, id, ideaId, { kind: 'approve', message: '' })).status, 303);
    const told = async () => (await noticesOf(authorId, 'idea_decision')).filter((n) => n.link === `/ideas/${ideaId}`).map((n) => n.text);
    await eventually(async () => (await told()).length === 1, 'the author is told');
    assert.deepEqual(await told(), ['“Confidential pricing idea” is approved: it is in the running']);
    assert.equal((await member.get(`/ideas/${ideaId}`)).status, 404, 'and indeed the crowd does not see it');

    const edit = await author.get(`/ideas/${ideaId}/edit`);
    assert.equal(edit.status, 303);
    assert.equal(edit.headers.get('location'), `/ideas/${ideaId}`);
    assert.match((await author.get(`/ideas/${ideaId}`)).body_, /The copilots approved this idea as it is, so it can no longer be edited/, 'the author is told why, not silently sent back');
  });

  it('opens the next waiting idea after each decision, oldest first', async () => {
    const { id } = await openChallenge();
    const first = await submitIdea(id, 'First in line');
    const second = await submitIdea(id, 'Second in line');
    const start = await ana.get(`${queue(id)}/next`);
    assert.equal(start.headers.get('location'), item(id, first));
    const decided = await decide(ana, id, first, { kind: 'approve' });
    assert.equal(decided.headers.get('location'), item(id, second));
  });

  it('refuses a rejection without a reason with a field message, keeping the message typed', async () => {
    const { id } = await openChallenge();
    const ideaId = await submitIdea(id, 'Half-baked idea');
    const refused = await decide(ana, id, ideaId, { kind: 'reject', reason: '', message: 'Not for this round, sorry.' });
    assert.equal(refused.status, 400);
    assert.match(refused.body_, /Choose why the idea is not accepted/);
    assert.match(refused.body_, /Not for this round, sorry\./);
    assert.match(refused.body_, /<input type="radio" name="kind" value="reject"[^>]*checked>/, 'the outcome chosen stays chosen');
    assert.match(refused.body_, /href="#decision-reason"/, 'the summary links to the reason');
    assert.equal((await Idea.findById(ideaId).lean())?.status, 'submitted');

    const rejected = await decide(ana, id, ideaId, { kind: 'reject', reason: 'off-topic', message: 'Not for this round, sorry.' });
    assert.equal(rejected.status, 303);
    const page = await author.get(`/ideas/${ideaId}`);
    assert.match(page.body_, /Outside what this challenge asks for/);
    assert.match(page.body_, /Not for this round, sorry\./);
    assert.equal((await member.get(`/ideas/${ideaId}`)).status, 404, 'a rejected idea never reaches the crowd');
  });

  it('of two copilots deciding at once, records one decision and tells the other who decided', async () => {
    const { id } = await openChallenge();
    const ideaId = await submitIdea(id, 'Contested idea');
    const [anaToken, benToken] = await Promise.all([ana.get(item(id, ideaId)), ben.get(item(id, ideaId))]).then((pages) => pages.map((page) => csrfFrom(page.body_)));
    const responses = await Promise.all([
      ana.post(`${item(id, ideaId)}/decision`, { _csrf: anaToken!, kind: 'approve' }),
      ben.post(`${item(id, ideaId)}/decision`, { _csrf: benToken!, kind: 'reject', reason: 'too-vague' }),
    ]);
    const statuses = responses.map((response) => response.status).sort();
    assert.deepEqual(statuses, [303, 409]);
    const loser = responses.find((response) => response.status === 409)!;
    const winner = responses[0]!.status === 303 ? 'Ana Copilot' : 'Ben Copilot';
    assert.match(loser.body_, new RegExp(`${winner} already decided on this idea`));
    const stored = await Idea.findById(ideaId).lean();
    assert.equal(stored?.statusHistory.filter((change) => ['approved', 'rejected'].includes(String(change.status))).length, 1);
  });

  it('sends an idea back, and screens the resubmission with a diff of what changed', async () => {
    const { id } = await openChallenge();
    const ideaId = await submitIdea(id, 'Vague tips');
    const sent = await decide(ana, id, ideaId, { kind: 'request-changes', message: 'Say who it is for.' });
    assert.equal(sent.status, 303);
    assert.equal((await Idea.findById(ideaId).lean())?.status, 'changes-requested');
    assert.match((await author.get(`/ideas/${ideaId}`)).body_, /Say who it is for\./);

    const form = (await author.get(`/ideas/${ideaId}/edit`)).body_;
    assert.match(form, /data-terms-accepted/, 'the terms accepted at the first submission are not asked again');
    assert.doesNotMatch(form, /id="acceptTerms"/);
    const resubmitted = await author.submit(`/ideas/${ideaId}/edit`, `/ideas/${ideaId}`, ideaForm({ title: 'Tips for new admins', intent: 'submit', acceptTerms: '' }));
    assert.equal(resubmitted.status, 303);
    assert.equal((await Idea.findById(ideaId).lean())?.status, 'submitted');
    const ideaPage = (await author.get(`/ideas/${ideaId}`)).body_;
    assert.doesNotMatch(ideaPage, /data-decision-note/, 'the request for changes, now answered, is no longer shown as the copilots’ word');
    assert.match(ideaPage, /Say who it is for\./, 'it stays in what happened so far');
    const page = await ana.get(item(id, ideaId));
    assert.match(page.body_, /Changed since changes were requested/);
    assert.match(page.body_, /<del>Vague tips<\/del><ins>Tips for new admins<\/ins>/);
  });

  it('lets one copilot hold an idea: the other sees who, and may take it over', async () => {
    const { id } = await openChallenge();
    const ideaId = await submitIdea(id, 'Claimed idea');
    assert.doesNotMatch((await ana.get(item(id, ideaId))).body_, /is screening this idea/);
    const seenByBen = await ben.get(item(id, ideaId));
    assert.match(seenByBen.body_, /Ana Copilot is screening this idea/);
    assert.doesNotMatch(seenByBen.body_, /data-decision-form/, 'no decision forms while someone else holds it');
    assert.match((await ana.get(queue(id))).body_, /Ana Copilot is screening it/);
    const oldest = await ben.get(`${queue(id)}/next`);
    assert.equal(oldest.status, 303);
    assert.equal(oldest.headers.get('location'), item(id, ideaId), 'the only waiting idea is held, not "the queue is clear": Ben is sent to it to see who holds it');

    const takeover = await ben.submit(item(id, ideaId), `${item(id, ideaId)}/claim`, {});
    assert.equal(takeover.status, 200);
    assert.match(takeover.body_, /data-decision-form/);
    assert.match((await ana.get(item(id, ideaId))).body_, /Ben Copilot is screening this idea/);
    assert.equal(await AuditEntry.countDocuments({ action: 'curation.claim_taken_over', targetId: ideaId }), 1);
  });

  it('sends a copilot past an idea another holds, and ends the claim with the decision: the resubmission is free for any copilot', async () => {
    const { id } = await openChallenge();
    const held = await submitIdea(id, 'Held by Ben');
    const sentBack = await submitIdea(id, 'Sent back by Ana');
    const last = await submitIdea(id, 'Last in line');
    assert.equal((await ben.get(item(id, held))).status, 200);
    const decided = await decide(ana, id, sentBack, { kind: 'request-changes', message: 'Say who it is for.' });
    assert.equal(decided.headers.get('location'), item(id, last), 'the oldest waiting idea is Ben’s: Ana is sent to the next free one');
    assert.doesNotMatch((await ben.get(`${queue(id)}?status=all`)).body_, /Ana Copilot is screening it/, 'the decided idea has no holder');

    const resubmitted = await author.submit(`/ideas/${sentBack}/edit`, `/ideas/${sentBack}`, ideaForm({ title: 'Sent back, now for admins', intent: 'submit', acceptTerms: '' }));
    assert.equal(resubmitted.status, 303);
    const seenByBen = (await ben.get(item(id, sentBack))).body_;
    assert.doesNotMatch(seenByBen, /Ana Copilot is screening this idea/);
    assert.match(seenByBen, /data-decision-form/, 'Ben holds the resubmission');
    assert.match((await ana.get(item(id, sentBack))).body_, /Ben Copilot is screening this idea/);
  });

  it('decides on a selection at once with one message, skipping what was decided meanwhile', async () => {
    const { id } = await openChallenge();
    const ids = [await submitIdea(id, 'Bulk one'), await submitIdea(id, 'Bulk two'), await submitIdea(id, 'Bulk three')];
    await decide(ben, id, ids[2]!, { kind: 'approve' });
    const page = await ana.get(queue(id));
    const response = await ana.post(`${queue(id)}/bulk`, { _csrf: csrfFrom(page.body_), ideaIds: ids, kind: 'approve', message: 'Thanks {author}' });
    assert.equal(response.status, 303);
    const notice = (await ana.get(response.headers.get('location')!)).body_;
    assert.match(notice, /2 ideas approved\. 1 skipped: Ben Copilot already decided/);
    for (const ideaId of ids) assert.equal((await Idea.findById(ideaId).lean())?.status, 'approved');
    // The decided item quotes the message and ends there: no full stop after the closing quote.
    assert.match((await ana.get(item(id, ids[0]!))).body_, /: (?:&ldquo;|“)Thanks [^”&]+(?:&rdquo;|”)<\/p>/);
  });

  it('brings a refused bulk decision back to the queue with its message and what was chosen, not to an error page', async () => {
    const { id } = await openChallenge();
    const ids = [await submitIdea(id, 'Bulk refused one'), await submitIdea(id, 'Bulk refused two')];
    const token = csrfFrom((await ana.get(queue(id))).body_);
    const noReason = await ana.post(`${queue(id)}/bulk`, { _csrf: token, ideaIds: ids, kind: 'reject', message: 'Thanks for trying, {author}.' });
    assert.equal(noReason.status, 303);
    assert.equal(noReason.headers.get('location'), `${queue(id)}#bulk`);
    const back = (await ana.get(noReason.headers.get('location')!)).body_;
    assert.match(back, /<p class="field__error" id="bulk-reason-error">[^<]*<span[^>]*>[^<]*<\/span> Choose why the idea is not accepted/, 'the reason field says why');
    assert.match(back, /<option value="reject" selected>/, 'the decision chosen');
    assert.match(back, />Thanks for trying, \{author\}\.<\/textarea>/, 'the message typed');
    for (const ideaId of ids) assert.equal((await Idea.findById(ideaId).lean())?.status, 'submitted');
    assert.doesNotMatch((await ana.get(queue(id))).body_, /Thanks for trying/, 'kept for the one view after the refusal');

    const none = await ana.post(`${queue(id)}/bulk`, { _csrf: token, kind: 'approve' });
    assert.equal(none.status, 303, 'nothing ticked: back to the queue too');
    const unticked = (await ana.get(none.headers.get('location')!)).body_;
    assert.match(unticked, /<fieldset class="fieldset" id="bulk">[\s\S]*?<p class="field__error">[^<]*<span[^>]*>[^<]*<\/span> Select at least one idea/, 'said at the form');
  });

  it('offers the three outcomes as choices of one form, and refuses a decision with none chosen, keeping the message', async () => {
    const { id } = await openChallenge();
    const ideaId = await submitIdea(id, 'Undecided idea');
    const page = await ana.get(item(id, ideaId));
    assert.equal(page.body_.match(/<form[^>]*\/decision"/g)?.length, 1, 'one decision form');
    for (const kind of ['approve', 'request-changes', 'reject']) assert.match(page.body_, new RegExp(`<input type="radio" name="kind" value="${kind}"`));
    assert.doesNotMatch(page.body_, /name="kind" value="[^"]+"[^>]*checked/, 'no outcome is chosen for the copilot');

    const refused = await decide(ana, id, ideaId, { message: 'Looks promising.' });
    assert.equal(refused.status, 400);
    assert.match(refused.body_, /Choose a decision\./);
    assert.match(refused.body_, /Looks promising\./);
    assert.equal((await Idea.findById(ideaId).lean())?.status, 'submitted');
  });

  it('refuses a canned response written for another outcome when its text would be sent', async () => {
    const { id } = await openChallenge();
    const ideaId = await submitIdea(id, 'Mismatched idea');
    const page = await ana.get(item(id, ideaId));
    const welcome = /<optgroup label="Approve"[^>]*>\s*<option value="([\w-]+)"/.exec(page.body_)?.[1];
    assert.ok(welcome, 'the approval responses are grouped under their outcome');
    const offered = [...page.html_.matchAll(/<option value="([\w-]+)" data-text=/g)].map((match) => match[1]);
    assert.deepEqual(offered, [...new Set(offered)], 'each canned response is offered once, under its outcome only');
    const refused = await decide(ana, id, ideaId, { kind: 'reject', reason: 'off-topic', responseId: welcome, message: '' });
    assert.equal(refused.status, 400);
    assert.match(refused.body_, /That canned response is for “Approve”: choose one for “Reject”/);
    assert.match(refused.body_, /<option value="off-topic" selected>/, 'the reason chosen stays chosen');
    assert.equal((await Idea.findById(ideaId).lean())?.status, 'submitted');
  });

  it('fills a canned response’s placeholders for each idea', async () => {
    const { id } = await openChallenge();
    const ideaId = await submitIdea(id, 'Canned idea');
    const added = await ana.submit(`${queue(id)}/responses`, `${queue(id)}/responses`, { kind: 'reject', title: 'Not now', text: 'Sorry {author}, “{title}” does not fit {challenge}.' });
    assert.equal(added.status, 303);
    const page = await ana.get(item(id, ideaId));
    const responseId = /<option value="([0-9a-f-]{36})"[^>]*>Not now</.exec(page.body_)?.[1];
    assert.ok(responseId, 'the new response is offered on the item page');
    await ana.post(`${item(id, ideaId)}/decision`, { _csrf: csrfFrom(page.body_), kind: 'reject', reason: 'off-topic', responseId, message: '' });
    assert.equal((await Idea.findById(ideaId).lean())?.decision?.message, 'Sorry Ada Author, “Canned idea” does not fit Make onboarding delightful.');
  });

  it('brings an emptied canned response back to its own form with why, its stored text untouched, and asks before a delete', async () => {
    const { id } = await openChallenge();
    const responses = `${queue(id)}/responses`;
    assert.equal((await ana.submit(responses, responses, { kind: 'approve', title: 'Kept one', text: 'Thank you, {author}.' })).status, 303);
    const page = (await ana.get(responses)).body_;
    const responseId = /id="response-([0-9a-f-]{36})"[\s\S]*?value="Kept one"/.exec(page)?.[1];
    assert.ok(responseId, 'the response has its own form');
    assert.match(page, /data-confirm="Delete the response (?:&#8220;|“)Kept one(?:&#8221;|”)\?"/, 'deleting asks first');

    const refused = await ana.post(`${responses}/${responseId}`, { _csrf: csrfFrom(page), intent: 'save', kind: 'approve', title: 'Kept one, renamed', text: '   ' });
    assert.equal(refused.status, 303);
    assert.equal(refused.headers.get('location'), `${responses}#response-${responseId}`);
    const back = (await ana.get(refused.headers.get('location')!)).body_;
    const form = back.slice(back.indexOf(`id="response-${responseId}"`), back.indexOf('</form>', back.indexOf(`id="response-${responseId}"`)));
    assert.match(form, /<p class="field__error" id="text-[^"]+-error">[^<]*<span[^>]*>[^<]*<\/span> Write the response/, 'the text field says why');
    assert.match(form, /value="Kept one, renamed"/, 'the new name typed is kept');
    const stored = (await ana.get(responses)).body_;
    assert.match(stored, />Thank you, \{author\}\.<\/textarea>/, 'the stored text is as it was');
  });

  it('refuses members every screening route and the queue’s live room', async () => {
    const { id } = await openChallenge();
    const ideaId = await submitIdea(id, 'Not yours to screen');
    for (const path of [queue(id), item(id, ideaId), `${queue(id)}/next`, `${queue(id)}/responses`]) {
      assert.equal((await member.get(path)).status, 403, path);
    }
    const token = csrfFrom((await member.get('/my/ideas')).body_);
    for (const [path, fields] of [
      [`${item(id, ideaId)}/decision`, { kind: 'approve' }],
      [`${item(id, ideaId)}/claim`, {}],
      [`${item(id, ideaId)}/skip`, {}],
      [`${queue(id)}/bulk`, { ideaIds: ideaId, kind: 'approve' }],
      [`${queue(id)}/responses`, { kind: 'approve', title: 'x', text: 'y' }],
    ] as const) {
      assert.equal((await member.post(path, { _csrf: token, ...fields })).status, 403, path);
    }
    assert.equal((await Idea.findById(ideaId).lean())?.status, 'submitted');

    const memberSocket = await connect(member);
    assert.equal(await memberSocket.timeout(5_000).emitWithAck('join', `curation:${id}`), false);
    const copilotSocket = await connect(ana);
    assert.equal(await copilotSocket.timeout(5_000).emitWithAck('join', `curation:${id}`), true);
    const changed = new Promise((resolve) => copilotSocket.once('queue:changed', resolve));
    await decide(ben, id, ideaId, { kind: 'approve' });
    assert.deepEqual(await changed, { challengeId: id, ideaId, byName: 'Ben Copilot' });
  });

  function connect(as: TestClient): Promise<Socket> {
    const socket = io(app.url, { transports: ['websocket'], extraHeaders: { origin: app.url, cookie: `cocreate.sid=${as.cookie('cocreate.sid')}` }, reconnection: false, forceNew: true });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }
});
