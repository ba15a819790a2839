import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditEntry } from '../../src/features/audit/audit.model.ts';
import { Challenge } from '../../src/features/challenges/challenge.model.ts';
import { acquireLease } from '../../src/db/lease.ts';
import { challengeInput } from '../../src/features/challenges/challenges.schemas.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, challengeForm, createChallenge } from '../helpers/challenges.ts';
import { PDF, TINY_PNG } from '../helpers/files.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('challenges: creating, seeing and moving through phases', () => {
  let app: TestApp;
  let staff: TestClient;
  before(async () => {
    app = await startTestApp();
    staff = await signedInClient(app.url, await createUser({ roles: ['staff'], name: 'Stan Staff' }));
  });
  after(() => app.close());

  it('lets staff create a draft with prizes, fields, scorecard and team, and shows it to them', async () => {
    const copilot = await createUser({ name: 'Cora Copilot' });
    const judge = await createUser({ roles: ['staff'], name: 'Jude Judge' });
    const created = await staff.submit('/challenges/new', '/challenges', challengeForm({ title: 'Greener packaging', copilots: copilot.email, judges: judge.email }));
    assert.equal(created.status, 303);
    const location = created.headers.get('location') ?? '';
    assert.match(location, /^\/challenges\/[0-9a-f]{24}$/);
    const stored = await Challenge.findById(location.split('/').pop()).lean();
    assert.equal(stored?.phase, 'draft');
    assert.deepEqual(
      stored?.prizes.map((prize) => prize.tier),
      ['First prize', 'Runner-up'],
    );
    assert.deepEqual(
      stored?.fields.map((field) => [field.key, field.type, field.required]),
      [
        ['budget', 'number', false],
        ['platform', 'choice', true],
      ],
    );
    assert.deepEqual(
      stored?.criteria.map((c) => [c.name, c.weight, c.scaleMin, c.scaleMax]),
      [
        ['Impact', 2, 1, 5],
        ['Feasibility', 1, 1, 5],
      ],
    );
    assert.deepEqual(stored?.copilotIds.map(String), [copilot.id]);
    assert.deepEqual(stored?.judgeIds.map(String), [judge.id]);
    assert.match(stored?.briefHtml ?? '', /<h2>The problem<\/h2>/);

    const page = await staff.get(location);
    assert.equal(page.status, 200);
    assert.match(page.body_, /Greener packaging/);
    assert.match(page.body_, /<strong>struggle<\/strong>/);

    const edit = await staff.get(`${location}/edit`);
    // The edit form shows each stored field as a row of the editor, plus blank rows to add more.
    assert.match(edit.body_, /id="fields-1-label" name="fields_label" type="text" value="Platform"/);
    assert.match(edit.body_, /id="fields-1-type" name="fields_type"[^>]*>(?:<option[^>]*>\w+<\/option>)*<option value="choice" selected>/);
    assert.match(edit.body_, /id="fields-1-choices" name="fields_choices" type="text" value="Web, iOS, Android"/);
    assert.match(edit.body_, /id="fields-3-label" name="fields_label" type="text" value=""/);
    assert.ok(edit.body_.includes(copilot.email));
  });

  it('takes a cover image, refuses one that is not an image, and shows it only to those who see the challenge', async () => {
    const post = async (cover: Buffer, name: string) => {
      const token = csrfFrom((await staff.get('/challenges/new')).body_);
      const form = new FormData();
      for (const [key, value] of Object.entries({ ...challengeForm({ title: `Covered ${name}` }), _csrf: token })) form.append(key, value);
      form.append('cover', new Blob([new Uint8Array(cover)]), name);
      return staff.request('/challenges', { method: 'POST', body: form });
    };
    const refused = await post(PDF, 'cover.png');
    assert.equal(refused.status, 400);
    assert.match(refused.body_, /The cover must be an image/);
    assert.match(refused.body_, /value="Covered cover.png"/);

    const created = await post(TINY_PNG, 'cover.png');
    assert.equal(created.status, 303);
    const path = created.headers.get('location') ?? '';
    const cover = await staff.get(`${path}/cover`);
    assert.equal(cover.status, 200);
    assert.equal(cover.headers.get('content-type'), 'image/png');
    assert.match((await staff.get(path)).body_, new RegExp(`src="${path}/cover"`));
    assert.equal((await new TestClient(app.url).get(`${path}/cover`)).status, 404, "a draft's cover is hidden with the draft");
  });

  it('explains each wrong line of the form and keeps everything typed', async () => {
    const member = await createUser();
    const response = await staff.submit(
      '/challenges/new',
      '/challenges',
      challengeForm({
        title: 'Kept title',
        prizes: 'First prize: €5,000\nno colon here',
        fields: 'Colour | colour | required',
        criteria: 'Impact | -1 | 1-5',
        judges: member.email,
        copilots: 'ghost@example.test',
        start_judging: '2020-01-01T00:00',
      }),
    );
    assert.equal(response.status, 400);
    assert.match(response.body_, /Line 2: write a tier and its prize/);
    assert.match(response.body_, /Row 1: the type must be one of/);
    assert.match(response.body_, /Row 1: the weight must be a positive number/);
    assert.match(response.body_, /value="Kept title"/);
    assert.match(response.body_, /no colon here/);

    const all = await staff.submit('/challenges/new', '/challenges', challengeForm({ prizes: 'no colon here', copilots: 'ghost@example.test' }));
    assert.equal(all.status, 400);
    assert.match(all.body_, /Line 1: write a tier and its prize/);
    assert.match(all.body_, /No account uses ghost@example.test/, 'the team is checked in the same round as the other fields');

    const team = await staff.submit('/challenges/new', '/challenges', challengeForm({ judges: member.email, copilots: 'ghost@example.test', start_judging: '2020-01-01T00:00' }));
    assert.equal(team.status, 400);
    assert.match(team.body_, /No account uses ghost@example.test/);
    assert.match(team.body_, /is not staff: judges must be staff members/);
    assert.match(team.body_, /“Judging” must start after “Curation”/);
  });

  it('offers the time zones as a searchable list, starting a new challenge at the browser’s zone, and refuses one not in it, keeping it', async () => {
    const form = (await staff.get('/challenges/new')).body_;
    assert.match(form, /<input id="timezone" name="timezone" type="text" list="timezone-list"[^>]*data-browser-zone>/);
    assert.match(form, /<datalist id="timezone-list">[^]*<option value="Europe\/Berlin"><\/option>/);
    const refused = await staff.submit('/challenges/new', '/challenges', challengeForm({ timezone: 'Mars/Olympus' }));
    assert.equal(refused.status, 400);
    assert.match(refused.body_, /Choose a time zone from the list/);
    assert.match(refused.body_, /name="timezone"[^>]*value="Mars\/Olympus"/);
    assert.doesNotMatch(refused.body_, /data-browser-zone/, 'what was typed is not replaced by the browser’s zone');
  });

  it('edits the scorecard and the fields as rows: adds, moves and removes rows unsaved, then saves them in order', async () => {
    const rows = (names: string[], weights: string[]) => ({ criteria_name: names, criteria_weight: weights, criteria_scale: names.map(() => ''), criteria_guidance: names.map(() => '') });
    const base = { ...challengeForm({ title: 'Rowed challenge' }), criteria: undefined as unknown as string };
    delete (base as Record<string, unknown>).criteria;
    const added = await staff.submit('/challenges/new', '/challenges', { ...base, ...rows(['Impact', 'Cost'], ['2', '']), rowEdit: 'criteria:add' });
    assert.equal(added.status, 200, 'the form comes back, unsaved');
    assert.match(added.body_, /id="criteria-2-name" name="criteria_name" type="text" value=""/, 'a third, blank row');
    assert.doesNotMatch(added.body_, /id="criteria-3-name"/);
    const moved = await staff.submit('/challenges/new', '/challenges', { ...base, ...rows(['Impact', 'Cost'], ['2', '']), rowEdit: 'criteria:down:0' });
    assert.match(moved.body_, /id="criteria-0-name" name="criteria_name" type="text" value="Cost"[^]*id="criteria-1-name" name="criteria_name" type="text" value="Impact"/);

    const saved = await staff.submit('/challenges/new', '/challenges', { ...base, ...rows(['Cost', 'Dropped', 'Impact', ''], ['', '5', '2', '']), criteria_remove: '1' });
    assert.equal(saved.status, 303);
    const stored = await Challenge.findById((saved.headers.get('location') ?? '').split('/').pop()).lean();
    assert.deepEqual(
      stored?.criteria.map((c) => [c.name, c.weight, c.scaleMin, c.scaleMax]),
      [
        ['Cost', 1, 1, 5],
        ['Impact', 2, 1, 5],
      ],
      'in the order shown, the removed row and the blank one left out, an empty weight and scale taking 1 and 1-5',
    );

    const refused = await staff.submit('/challenges/new', '/challenges', { ...base, ...rows(['Reach', 'Risk'], ['1', 'heavy']) });
    assert.equal(refused.status, 400);
    assert.match(refused.body_, /Row 2: the weight must be a positive number/);
    assert.match(refused.body_, /value="heavy"/, 'the rows come back as typed');
  });

  it('previews the brief without saving', async () => {
    const before = await Challenge.countDocuments();
    const response = await staff.submit('/challenges/new', '/challenges', { ...challengeForm({ brief: '# Hello _preview_' }), intent: 'preview' });
    assert.equal(response.status, 200);
    assert.match(response.body_, /Preview of the brief/);
    assert.match(response.body_, /<h1>Hello <em>preview<\/em><\/h1>/);
    assert.equal(await Challenge.countDocuments(), before);
  });

  it('refuses challenge creation to members', async () => {
    const member = await signedInClient(app.url, await createUser());
    assert.equal((await member.get('/challenges/new')).status, 403);
    // With the member's own valid CSRF token, so it is the policy that refuses.
    const attempt = await member.submit('/challenges', '/challenges', challengeForm());
    assert.equal(attempt.status, 403);
    assert.match(attempt.body_, /Only staff can create challenges/);
  });

  it('never reveals a draft or an invite-only challenge to outsiders, anywhere', async () => {
    const draft = await createChallenge(app, { form: { title: `Secret draft ${Date.now()}` } });
    const invited = await createUser();
    const inviteOnly = await createChallenge(app, { phase: 'open', form: { title: `Guests alone ${Date.now()}`, audience: 'invite-only', invitedEmails: invited.email } });
    const outsider = await signedInClient(app.url, await createUser());
    for (const { id } of [draft, inviteOnly]) {
      const response = await outsider.get(`/challenges/${id}`);
      assert.equal(response.status, 404);
    }
    const list = await outsider.get('/challenges');
    assert.doesNotMatch(list.body_, /Secret draft|Guests alone/);
    const guest = await signedInClient(app.url, invited);
    assert.equal((await guest.get(`/challenges/${inviteOnly.id}`)).status, 200);
    assert.match((await guest.get('/challenges')).body_, /Guests alone/);
    assert.equal((await new TestClient(app.url).get(`/challenges/${inviteOnly.id}`)).status, 404);
    assert.equal((await outsider.get('/challenges/not-an-id')).status, 404);
  });

  it('features open challenges on the home page, and not drafts', async () => {
    const stamp = Date.now();
    await createChallenge(app, { phase: 'open', form: { title: `Home open ${stamp}` } });
    await createChallenge(app, { form: { title: `Home draft ${stamp}` } });
    const home = await new TestClient(app.url).get('/');
    assert.match(home.body_, /Open for ideas now/);
    assert.match(home.body_, new RegExp(`Home open ${stamp}`));
    assert.doesNotMatch(home.body_, new RegExp(`Home draft ${stamp}`));
  });

  it('filters the list by phase and audience', async () => {
    const stamp = Date.now();
    await createChallenge(app, { phase: 'open', form: { title: `Open one ${stamp}` } });
    await createChallenge(app, { phase: 'curation', form: { title: `Curating one ${stamp}`, audience: 'members' } });
    const visitor = new TestClient(app.url);
    const open = await visitor.get('/challenges?phase=open');
    assert.match(open.body_, new RegExp(`Open one ${stamp}`));
    assert.doesNotMatch(open.body_, new RegExp(`Curating one ${stamp}`));
    const members = await staff.get('/challenges?audience=members');
    assert.match(members.body_, new RegExp(`Curating one ${stamp}`));
    assert.doesNotMatch(members.body_, new RegExp(`Open one ${stamp}`));
    assert.doesNotMatch((await visitor.get('/challenges')).body_, new RegExp(`Curating one ${stamp}`), 'a members-only challenge is hidden from visitors');
    // A filter nothing matches says so, with a way back, and does not offer to create "the first" challenge.
    const none = (await staff.get('/challenges?audience=invite-only&phase=closed')).body_;
    assert.match(none, /No challenges match these filters yet\. <a href="\/challenges">Show all challenges<\/a>/);
    assert.doesNotMatch(none, /Create the first challenge/);
  });

  it('moves a phase by hand with a reason, audited, and refuses skipping, no reason, or outsiders', async () => {
    const copilot = await createUser();
    const { id } = await createChallenge(app, { phase: 'open', form: { copilots: copilot.email } });
    const copilotClient = await signedInClient(app.url, copilot);

    const noReason = await copilotClient.submit(`/challenges/${id}`, `/challenges/${id}/phase`, { to: 'curation', reason: '' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.body_, /Say why the phase moves/);

    const skip = await copilotClient.submit(`/challenges/${id}`, `/challenges/${id}/phase`, { to: 'judging', reason: 'Too early' });
    assert.equal(skip.status, 409);

    const moved = await copilotClient.submit(`/challenges/${id}`, `/challenges/${id}/phase`, { to: 'curation', reason: 'Enough ideas' });
    assert.equal(moved.status, 303);
    assert.equal((await Challenge.findById(id).lean())?.phase, 'curation');
    const audit = await AuditEntry.findOne({ targetId: id, action: 'challenge.phase_changed', reason: 'Enough ideas' }).lean();
    assert.deepEqual(audit?.after, { phase: 'curation' });
    assert.match((await copilotClient.get(`/challenges/${id}`)).body_, /The challenge moved to “Curation”/);

    const member = await signedInClient(app.url, await createUser());
    const refused = await member.submit(`/challenges/${id}`, `/challenges/${id}/phase`, { to: 'judging', reason: 'Because' });
    assert.equal(refused.status, 403);
  });

  it('refuses to open a challenge without a schedule, and leads to the schedule', async () => {
    const staffUser = await createUser({ roles: ['staff'] });
    const { id } = await createChallenge(app, {
      phase: 'draft',
      staff: actorFor(staffUser, ['staff']),
      form: { start_open: '', start_curation: '', start_judging: '', start_decided: '', start_closed: '' },
    });
    const staff = await signedInClient(app.url, staffUser);
    const refused = await staff.submit(`/challenges/${id}`, `/challenges/${id}/phase`, { to: 'open', reason: 'Ready' });
    assert.equal(refused.status, 409);
    assert.match(refused.body_, /Set a complete schedule before opening/);
    assert.match(refused.body_, new RegExp(`<a href="/challenges/${id}/edit#schedule">Set the schedule</a>`));
    assert.match((await staff.get(`/challenges/${id}/edit`)).body_, /<fieldset class="fieldset" id="schedule">/, 'where the link lands');
    assert.equal((await Challenge.findById(id).lean())?.phase, 'draft');
  });

  it('moves a challenge once when two people move it at the same moment', async () => {
    const { id, staff: actor } = await createChallenge(app, { phase: 'open' });
    const other = actorFor(await createUser({ roles: ['staff'] }), ['staff']);
    const results = await Promise.allSettled([app.services.challenges.movePhase(actor, id, 'curation', 'first'), app.services.challenges.movePhase(other, id, 'curation', 'second')]);
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
    const stored = await Challenge.findById(id).lean();
    assert.equal(stored?.phaseHistory.filter((move) => move.to === 'curation').length, 1);
  });

  it('runs scheduled moves step by step, once even when run twice in parallel, never opens a draft, and waits for judges', async () => {
    const { id } = await createChallenge(app, { phase: 'open', form: { judges: (await createUser({ roles: ['staff'] })).email } });
    const unjudged = await createChallenge(app, { phase: 'open' });
    const draft = await createChallenge(app);
    const later = new Date(Date.now() + 25 * 24 * 60 * 60 * 1000);
    await Promise.all([app.services.challenges.runScheduledMoves(later), app.services.challenges.runScheduledMoves(later)]);
    const stored = await Challenge.findById(id).lean();
    assert.equal(stored?.phase, 'judging');
    assert.deepEqual(
      stored?.phaseHistory.map((move) => move.to),
      ['open', 'curation', 'judging'],
    );
    assert.equal((await Challenge.findById(unjudged.id).lean())?.phase, 'curation', 'judging waits until the challenge has judges');
    assert.equal((await Challenge.findById(draft.id).lean())?.phase, 'draft');
  });

  it('gives the scheduler lease to one process at a time until it expires', async () => {
    const now = new Date();
    const results = await Promise.all(['a', 'b', 'c'].map((holder) => acquireLease('test-lease', holder, 1_000, now)));
    assert.equal(results.filter(Boolean).length, 1);
    const winner = ['a', 'b', 'c'][results.indexOf(true)]!;
    assert.equal(await acquireLease('test-lease', winner, 1_000, now), true, 'the holder renews');
    const loser = ['a', 'b', 'c'].find((holder) => holder !== winner)!;
    assert.equal(await acquireLease('test-lease', loser, 1_000, now), false);
    assert.equal(await acquireLease('test-lease', loser, 1_000, new Date(now.getTime() + 5_000)), true, 'taken over after expiry');
  });
  it('shows on the timeline when each past phase really began, and the schedule only for the phases to come', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const stored = await Challenge.findById(id).lean();
    const openedAt = stored!.phaseHistory.at(-1)!.at.toISOString();
    const page = await new TestClient(app.url).get(`/challenges/${id}`);
    const step = (label: string) => new RegExp(`<strong>${label}</strong>\\s*<br>([^<]*)<time datetime="([^"]+)"`).exec(page.body_);
    assert.deepEqual(step('Open for ideas')?.slice(1), ['began ', openedAt], 'opened by hand today, not on its scheduled day');
    assert.deepEqual(step('Curation')?.slice(1), ['', stored!.schedule.curation!.toISOString()]);
  });

  it('audits an edit with the real value before and after of each field that changed, and only those', async () => {
    const staffActor = actorFor(await createUser({ roles: ['staff'], name: 'Edith Editor' }), ['staff']);
    const form = challengeForm({ title: 'Audited challenge' });
    const id = await app.services.challenges.createChallenge(staffActor, challengeInput.parse(form));
    await app.services.challenges.updateChallenge(staffActor, id, challengeInput.parse({ ...form, title: 'Audited challenge, renamed', prizes: 'First prize: €6,000' }));
    const audit = await AuditEntry.findOne({ action: 'challenge.updated', targetId: id }).lean();
    assert.deepEqual(Object.keys(audit?.before as object).sort(), ['prizes', 'title']);
    assert.equal((audit?.before as { title: string }).title, 'Audited challenge');
    assert.equal((audit?.after as { title: string }).title, 'Audited challenge, renamed');
    assert.deepEqual(
      (audit?.after as { prizes: Array<{ tier: string }> }).prizes.map((prize) => prize.tier),
      ['First prize'],
    );
  });
});
