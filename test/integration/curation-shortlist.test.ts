import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditEntry } from '../../src/features/audit/audit.model.ts';
import { Shortlist } from '../../src/features/curation/shortlist.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { eventually } from '../helpers/eventually.ts';
import type { Actor } from '../../src/shared/actor.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { csrfFrom, type TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';
import { noticesOf } from '../helpers/notices.ts';

describe('the shortlist', () => {
  let app: TestApp;
  let staff: Actor;
  let staffClient: TestClient;
  let copilotEmail: string;
  let copilot: TestClient;
  let judgeEmail: string;
  let judge: TestClient;
  let author: TestClient;
  let member: TestClient;

  before(async () => {
    app = await startTestApp();
    const staffUser = await createUser({ roles: ['staff'], name: 'Sam Staff' });
    staff = actorFor(staffUser, ['staff']);
    staffClient = await signedInClient(app.url, staffUser);
    const copilotUser = await createUser({ name: 'Cleo Copilot' });
    copilotEmail = copilotUser.email;
    copilot = await signedInClient(app.url, copilotUser);
    // Judges must be staff members.
    const judgeUser = await createUser({ roles: ['staff'], name: 'Jo Judge' });
    judgeEmail = judgeUser.email;
    judge = await signedInClient(app.url, judgeUser);
    author = await signedInClient(app.url, await createUser({ name: 'Ada Author' }));
    member = await signedInClient(app.url, await createUser({ name: 'Max Member' }));
  });
  after(() => app.close());

  /** An open challenge with this suite's copilot and judge, and ideas submitted (and approved) while it is open. */
  async function challengeWithIdeas(titles: { approved?: string[]; submitted?: string[] }) {
    const { id } = await createChallenge(app, { phase: 'open', staff, form: { copilots: copilotEmail, judges: judgeEmail } });
    const ids: Record<string, string> = {};
    for (const title of [...(titles.approved ?? []), ...(titles.submitted ?? [])]) {
      const created = await author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title }));
      ids[title] = (created.headers.get('location') ?? '').split('/')[2]!;
    }
    for (const title of titles.approved ?? []) await approveIdea(app, staff, id, ids[title]!);
    return { id, ids, path: `/challenges/${id}/shortlist` };
  }

  const toCuration = (id: string) => app.services.challenges.movePhase(staff, id, 'curation', 'submissions closed');
  const entriesOf = async (id: string) => ((await Shortlist.findById(id).lean())?.entries ?? []).map((entry) => ({ ideaId: String(entry.ideaId), note: entry.note }));

  it('lets a copilot add approved ideas with notes and reorder them; the page shows them in order with notes and votes', async () => {
    const { id, ids, path } = await challengeWithIdeas({ approved: ['Welcome tour', 'Sample project', 'Office hours'] });
    const voter = await signedInClient(app.url, await createUser());
    assert.equal((await voter.submit(`/ideas/${ids['Welcome tour']}`, `/ideas/${ids['Welcome tour']}/vote`, {})).status, 303);
    await toCuration(id);
    const changes: string[] = [];
    app.events.on('shortlist.changed', ({ challengeId }) => void changes.push(challengeId));

    assert.equal((await copilot.submit(path, path, { ideaId: ids['Welcome tour']!, note: 'Biggest reach' })).status, 303);
    assert.equal((await copilot.submit(path, path, { ideaId: ids['Sample project']!, note: 'Cheap to try' })).status, 303);
    assert.deepEqual(await entriesOf(id), [
      { ideaId: ids['Welcome tour'], note: 'Biggest reach' },
      { ideaId: ids['Sample project'], note: 'Cheap to try' },
    ]);
    const shortlisted = await Idea.findById(ids['Welcome tour']).lean();
    assert.equal(shortlisted?.status, 'shortlisted');
    assert.equal(shortlisted?.statusHistory.at(-1)?.byName, 'Cleo Copilot');

    assert.equal((await copilot.submit(path, `${path}/${ids['Sample project']}/move`, { direction: 'up' })).status, 303);
    assert.equal((await copilot.submit(path, `${path}/${ids['Welcome tour']}/note`, { note: 'Biggest reach; check the legal side' })).status, 303);
    assert.deepEqual(await entriesOf(id), [
      { ideaId: ids['Sample project'], note: 'Cheap to try' },
      { ideaId: ids['Welcome tour'], note: 'Biggest reach; check the legal side' },
    ]);

    const page = await copilot.get(path);
    assert.equal(page.status, 200);
    const body = page.body_;
    assert.ok(body.indexOf(`data-entry="${ids['Sample project']}"`) < body.indexOf(`data-entry="${ids['Welcome tour']}"`), 'the list is in the copilots’ order');
    assert.match(body, /Cheap to try<\/textarea>/);
    assert.match(body, /Biggest reach; check the legal side<\/textarea>/);
    assert.match(body, /Crowd score \(90% interval\)/);
    const welcomeRow = body.slice(body.indexOf(`data-entry="${ids['Welcome tour']}"`));
    assert.match(welcomeRow, /<td data-position[^>]*>2<\/td>/);
    assert.match(welcomeRow, /<td data-votes[^>]*>1<\/td>/);
    assert.match(welcomeRow, /<td data-crowd-score[^>]*><span class="muted">Not compared yet<\/span><\/td>/, 'no score the crowd never gave');
    assert.match(body, new RegExp(`data-candidate="${ids['Office hours']}"`), 'approved ideas not on the list are candidates');
    assert.equal((await AuditEntry.find({ targetType: 'shortlist', targetId: id }).lean()).length, 4);
    assert.equal(changes.filter((challengeId) => challengeId === id).length, 4);

    assert.equal((await copilot.submit(path, `${path}/${ids['Sample project']}/remove`, {})).status, 303);
    assert.deepEqual(
      (await entriesOf(id)).map((entry) => entry.ideaId),
      [ids['Welcome tour']],
    );
    assert.equal((await Idea.findById(ids['Sample project']).lean())?.status, 'approved', 'removing puts it back to approved');
  });

  it('refuses an idea that is not approved, with the reason', async () => {
    const { id, ids, path } = await challengeWithIdeas({ submitted: ['Still waiting'] });
    await toCuration(id);
    const refused = await copilot.submit(path, path, { ideaId: ids['Still waiting']!, note: '' });
    assert.equal(refused.status, 400);
    assert.match(refused.body_, /Only approved ideas can be shortlisted; this one is submitted\./);
    assert.deepEqual(await entriesOf(id), []);
    assert.equal((await Idea.findById(ids['Still waiting']).lean())?.status, 'submitted');
  });

  it('keeps one entry when the same idea is added by parallel requests', async () => {
    const { id, ids, path } = await challengeWithIdeas({ approved: ['Popular one'] });
    await toCuration(id);
    const token = csrfFrom((await copilot.get(path)).body_);
    const responses = await Promise.all(Array.from({ length: 6 }, () => copilot.post(path, { _csrf: token, ideaId: ids['Popular one']!, note: 'Twice?' })));
    assert.deepEqual([...new Set(responses.map((response) => response.status))], [303]);
    assert.equal((await entriesOf(id)).length, 1);
    const idea = await Idea.findById(ids['Popular one']).lean();
    assert.equal(idea?.statusHistory.filter((change) => change.status === 'shortlisted').length, 1);
    assert.equal(await AuditEntry.countDocuments({ action: 'shortlist.add', targetId: id }), 1);
  });

  it('tells the second of two parallel writers to reload, and never loses a change', async () => {
    const titles = ['One', 'Two', 'Three', 'Four', 'Five'];
    const { id, ids, path } = await challengeWithIdeas({ approved: titles });
    await toCuration(id);
    const token = csrfFrom((await copilot.get(path)).body_);
    const responses = await Promise.all(titles.map((title) => copilot.post(path, { _csrf: token, ideaId: ids[title]!, note: '' }, { accept: 'application/json' })));
    const statuses = responses.map((response) => response.status);
    assert.ok(
      statuses.every((status) => status === 200 || status === 409),
      `statuses: ${statuses.join(', ')}`,
    );
    const conflict = responses.find((response) => response.status === 409);
    if (conflict) assert.match(conflict.body_, /Reload it and make your change again/);
    const listed = (await entriesOf(id)).map((entry) => entry.ideaId).sort();
    const shortlisted = (await Promise.all(titles.map((title) => Idea.findById(ids[title]).lean()))).filter((idea) => idea?.status === 'shortlisted').map((idea) => String(idea!._id));
    assert.equal(listed.length, statuses.filter((status) => status === 200).length, 'every accepted change is on the list');
    assert.deepEqual(listed, shortlisted.sort(), 'an idea is shortlisted exactly when it is on the list');
  });

  it('is not built while the challenge is still open', async () => {
    const { id, ids, path } = await challengeWithIdeas({ approved: ['Too early'] });
    const page = await copilot.get(path);
    assert.equal(page.status, 200, 'copilots may look at it');
    assert.match(page.body_, /Nothing is on the shortlist yet\./);
    assert.match(page.body_, /The shortlist is built during curation/);
    const refused = await copilot.post(path, { _csrf: csrfFrom((await copilot.get(`/challenges/${id}`)).body_), ideaId: ids['Too early']!, note: '' });
    assert.equal(refused.status, 403);
    assert.match(refused.body_, /built during curation/);
    assert.deepEqual(await entriesOf(id), []);
  });

  it('is frozen for judging: copilots are refused, staff change it only with a reason, which is audited', async () => {
    const { id, ids, path } = await challengeWithIdeas({ approved: ['Keeper', 'Dropped'] });
    await toCuration(id);
    await copilot.submit(path, path, { ideaId: ids.Keeper!, note: 'Keep it' });
    await copilot.submit(path, path, { ideaId: ids.Dropped!, note: 'Maybe' });
    // The move's effects (outcomes for the ideas left off) run from the outbox, before, during or
    // after the staff change below: whichever, the dropped idea ends with the staff's reason.
    await app.services.challenges.movePhase(staff, id, 'judging', 'curation done');

    const copilotPage = await copilot.get(path);
    assert.match(copilotPage.body_, /Frozen for judging since .*: changes need staff and a reason/);
    assert.match(copilotPage.body_, /<p class="pre-line" data-note>Keep it<\/p>/, 'notes are read-only once frozen');
    const token = csrfFrom((await copilot.get(`/challenges/${id}`)).body_);
    assert.equal((await copilot.post(`${path}/${ids.Dropped}/remove`, { _csrf: token, reason: 'I changed my mind' })).status, 403);
    assert.equal((await copilot.post(`${path}/${ids.Keeper}/move`, { _csrf: token, direction: 'down' })).status, 403);

    const noReason = await staffClient.submit(path, `${path}/${ids.Dropped}/remove`, {});
    assert.equal(noReason.status, 400);
    assert.match(noReason.body_, /Give a reason: the shortlist is frozen for judging/);
    assert.match(noReason.body_, new RegExp(`href="#reason-${ids.Dropped}-remove"`), 'the message links to the reason field of the form that failed');
    assert.match(noReason.body_, new RegExp(`id="reason-${ids.Dropped}-remove" name="reason" maxlength="500" required aria-invalid="true"`));
    assert.equal((await entriesOf(id)).length, 2);

    const withReason = await staffClient.submit(path, `${path}/${ids.Dropped}/remove`, { reason: 'The author withdrew it' });
    assert.equal(withReason.status, 303);
    assert.match((await staffClient.get(path)).body_, /“Dropped” is off the shortlist for good: its authors are told, with your reason\./);
    assert.deepEqual(
      (await entriesOf(id)).map((entry) => entry.ideaId),
      [ids.Keeper],
    );
    assert.equal((await Idea.findById(ids.Dropped).lean())?.status, 'not-shortlisted', 'taken off a frozen shortlist, the idea has its outcome at once');
    const history = (await Idea.findById(ids.Dropped).lean())?.statusHistory ?? [];
    assert.deepEqual(
      history.slice(-2).map((step) => [step.status, step.note]),
      [
        ['shortlisted', history.at(-2)?.note],
        ['not-shortlisted', 'The author withdrew it'],
      ],
      'one move from the list to its outcome: never approved and off the list, where the move to judging would give it its own note',
    );
    const mine = (await author.get('/my/ideas')).body_;
    const entry = mine.slice(mine.indexOf('>Dropped<'));
    assert.match(entry.slice(0, 600), /<p class="muted" data-outcome-note>The author withdrew it<\/p>/, 'its author reads why on My ideas');
    const audit = await AuditEntry.findOne({ action: 'shortlist.remove', targetId: id }).lean();
    assert.equal(audit?.reason, 'The author withdrew it');
    assert.equal(audit?.actorName, 'Sam Staff');
  });

  it('takes a new order in one post (a drag and drop), only the ideas on the list, under CSRF', async () => {
    const { id, ids, path } = await challengeWithIdeas({ approved: ['First', 'Second', 'Third', 'Outside'] });
    await toCuration(id);
    for (const title of ['First', 'Second', 'Third']) await copilot.submit(path, path, { ideaId: ids[title]!, note: '' });
    const page = await copilot.get(path);
    assert.match(page.body_, new RegExp(`<form method="post" action="${path}/order" data-shortlist-order>`), 'the page carries the form the drop posts');
    const token = csrfFrom(page.body_);
    const order = (...titles: string[]) => titles.map((title) => ids[title]!);

    assert.equal((await copilot.post(`${path}/order`, { order: order('Third', 'First', 'Second') })).status, 403, 'no CSRF token, no change');
    const moved = await copilot.post(`${path}/order`, { _csrf: token, order: order('Third', 'First', 'Second') }, { accept: 'application/json' });
    assert.equal(moved.status, 200);
    assert.deepEqual(JSON.parse(moved.body_), { message: 'The shortlist is in its new order.' });
    assert.deepEqual(
      (await entriesOf(id)).map((entry) => entry.ideaId),
      order('Third', 'First', 'Second'),
    );
    const audit = await AuditEntry.findOne({ action: 'shortlist.reorder', targetId: id }).lean();
    assert.deepEqual(audit?.after, { order: order('Third', 'First', 'Second') });

    for (const stale of [order('First', 'Second'), order('First', 'Second', 'Outside'), order('First', 'First', 'Second')]) {
      const refused = await copilot.post(`${path}/order`, { _csrf: token, order: stale }, { accept: 'application/json' });
      assert.equal(refused.status, 409, 'an order that is not the list as it is now changes nothing');
    }
    const malformed = await copilot.post(`${path}/order`, { _csrf: token, order: ['{"$gt":""}'] });
    assert.equal(malformed.status, 400);
    const withoutScript = await copilot.post(`${path}/order`, { _csrf: token, order: order('First', 'Second', 'Third') });
    assert.equal(withoutScript.status, 303, 'a plain form post comes back to the list');
    assert.deepEqual(
      (await entriesOf(id)).map((entry) => entry.ideaId),
      order('First', 'Second', 'Third'),
    );
  });

  it('is closed to members on every route', async () => {
    const { id, ids, path } = await challengeWithIdeas({ approved: ['Listed', 'Not listed'] });
    await toCuration(id);
    await copilot.submit(path, path, { ideaId: ids.Listed!, note: 'Secret note' });
    assert.equal((await member.get(path)).status, 403);
    const token = csrfFrom((await member.get(`/challenges/${id}`)).body_);
    const attempts = [
      member.post(path, { _csrf: token, ideaId: ids['Not listed']!, note: '' }),
      member.post(`${path}/${ids.Listed}/note`, { _csrf: token, note: 'Mine now' }),
      member.post(`${path}/${ids.Listed}/move`, { _csrf: token, direction: 'down' }),
      member.post(`${path}/${ids.Listed}/remove`, { _csrf: token }),
      member.post(`${path}/order`, { _csrf: token, order: [ids.Listed!] }),
    ];
    for (const response of await Promise.all(attempts)) assert.equal(response.status, 403);
    assert.deepEqual(await entriesOf(id), [{ ideaId: ids.Listed, note: 'Secret note' }]);
    assert.doesNotMatch((await member.get(`/challenges/${id}`)).body_, /\/shortlist"/, 'members get no link to it');
  });

  it('lets a judge of the challenge read it with the copilots’ notes', async () => {
    const { id, ids, path } = await challengeWithIdeas({ approved: ['For the judges'] });
    await toCuration(id);
    await copilot.submit(path, path, { ideaId: ids['For the judges']!, note: 'Strong on impact, weak on cost' });
    assert.match((await judge.get(`/challenges/${id}`)).body_, new RegExp(`href="${path}">Shortlist<`));
    const page = await judge.get(path);
    assert.equal(page.status, 200);
    assert.match(page.body_, /For the judges/);
    assert.match(page.body_, /Strong on impact, weak on cost/);
  });
  it('when judging starts, gives every approved idea left off the shortlist its outcome, tells its author once, and opens it again on a step back', async () => {
    const { id, ids, path } = await challengeWithIdeas({ approved: ['Kept idea', 'Left idea'], submitted: ['Unscreened idea'] });
    await toCuration(id);
    assert.equal((await copilot.submit(path, path, { ideaId: ids['Kept idea']! })).status, 303);
    await app.services.challenges.movePhase(staff, id, 'judging', 'shortlist done');
    const left = ids['Left idea']!;
    await eventually(async () => (await Idea.findById(left).lean())?.status === 'not-shortlisted', 'the idea left off is not shortlisted');
    assert.equal((await Idea.findById(ids['Kept idea']).lean())?.status, 'shortlisted');
    assert.equal((await Idea.findById(ids['Unscreened idea']).lean())?.status, 'submitted', 'only approved ideas were in the running');
    const authorId = String((await Idea.findById(left).lean())!.authorId);
    const toldOfShortlist = async () => (await noticesOf(authorId, 'idea_decision')).filter((n) => n.link === `/ideas/${left}` && n.text.includes('did not make the shortlist'));
    await eventually(async () => (await toldOfShortlist()).length === 1, 'the author is told');

    const page = await author.get(`/ideas/${left}`);
    assert.match(page.body_, /Not shortlisted/);
    assert.match(page.body_, /did not make the shortlist for judging/);
    const mine = await author.get('/my/ideas');
    assert.match(mine.body_, /Unscreened idea<\/a><\/h2>\s*<p>The challenge moved on to judging without it/, 'the unscreened idea is promised nothing more');

    await app.services.challenges.movePhase(staff, id, 'curation', 'one more look');
    await eventually(async () => (await Idea.findById(left).lean())?.status === 'approved', 'a step back opens the shortlist again');
    assert.equal((await toldOfShortlist()).length, 1, 'told once, not again');
  });
});
