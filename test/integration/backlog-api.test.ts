import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditEntry } from '../../src/features/audit/audit.model.ts';
import { ApiToken } from '../../src/features/backlogs/api-token.model.ts';
import { BacklogItem } from '../../src/features/backlogs/backlog.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { eventually } from '../helpers/eventually.ts';
import { csrfFrom, type TestClient } from '../helpers/http.ts';
import { challengeInJudging, type JudgedChallenge } from '../helpers/judging.ts';
import { createUser, signedInClient } from '../helpers/users.ts';
import { countNotices } from '../helpers/notices.ts';

describe('backlog status API for trackers', () => {
  let app: TestApp;
  let challenge: JudgedChallenge;
  let owner: TestClient;
  let nextIdea = 0;

  before(async () => {
    app = await startTestApp();
    challenge = await challengeInJudging(app, { ideas: 6, judges: 1 });
    // Nobody owns the product backlog yet, so staff work it (and manage its tokens).
    owner = await signedInClient(app.url, await createUser({ roles: ['staff'], name: 'Owen Owner' }));
  });
  after(() => app.close());

  /** A proposed item of the product backlog, from the next unused shortlisted idea, with its author. */
  async function proposedItem() {
    const n = nextIdea++;
    const { item } = await app.services.backlogItems.promote(challenge.staff, challenge.ideaIds[n]!, 'product');
    return { item, author: challenge.authors[n]! };
  }

  /** Makes a token on the backlog's tokens page and reads it off the page, where it is shown once. */
  async function tokenFor(backlogId: string, label = 'Jira') {
    const made = await owner.submit(`/backlogs/${backlogId}/tokens`, `/backlogs/${backlogId}/tokens`, { label });
    assert.equal(made.status, 303);
    const page = await owner.get(`/backlogs/${backlogId}/tokens`);
    const token = page.body_.match(/data-api-token>([^<]+)</)?.[1];
    assert.ok(token, 'the new token is shown');
    const again = (await owner.get(`/backlogs/${backlogId}/tokens`)).body_;
    assert.doesNotMatch(again, /data-api-token/, 'only once');
    assert.match(again, new RegExp(`<a href="/backlogs/${backlogId}">`), 'a way back to the board');
    assert.match(again, new RegExp(`data-confirm="Revoke the token for ${label}\\?`), 'revoking asks first');
    return token;
  }

  const setStatus = (backlogId: string, itemId: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/api/v1/backlogs/${backlogId}/items/${itemId}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function unchanged(itemId: string) {
    const stored = await BacklogItem.findById(itemId).lean();
    assert.equal(stored?.status, 'proposed');
    assert.equal(stored?.statusHistory.length, 1, 'no move recorded');
  }

  it('lets a tracker move an item with a valid token, with the notifications and audit of a manual move', async () => {
    const { item, author } = await proposedItem();
    const token = await tokenFor('product', 'Jira PROD');
    assert.equal(await ApiToken.countDocuments({ _id: token }), 0, 'the token itself is not stored');

    const response = await setStatus('product', item.id, { status: 'accepted', note: 'Scheduled for Q3', extra: 'ignored' }, bearer(token));
    assert.equal(response.status, 200);
    const { item: moved } = await response.json();
    assert.equal(moved.id, item.id);
    assert.equal(moved.status, 'accepted');
    assert.deepEqual(moved.allowedMoves, ['planned', 'declined', 'proposed']);
    assert.equal(moved.lastChange.note, 'Scheduled for Q3');
    assert.equal(moved.lastChange.via, 'api');

    const stored = await BacklogItem.findById(item.id).lean();
    assert.equal(stored?.status, 'accepted');
    assert.equal(stored?.statusHistory.at(-1)?.via, 'api');
    assert.equal(stored?.statusHistory.at(-1)?.byName, 'Jira PROD (tracker)');
    const audit = await AuditEntry.findOne({ action: 'backlog_item.moved', targetId: item.id }).lean();
    assert.deepEqual(audit?.after, { status: 'accepted', via: 'api' });
    assert.equal(audit?.reason, 'Scheduled for Q3');
    assert.equal(audit?.actorName, 'Jira PROD (tracker)', 'the audit names the tracker, not "system"');
    await eventually(async () => (await countNotices(author.id, 'backlog_update', /now accepted: Scheduled for Q3/)) === 1, 'the author told of the move');
  });

  it('refuses a missing, malformed, wrong, revoked or other-backlog token with 401 and changes nothing', async () => {
    const { item } = await proposedItem();
    const revoked = await tokenFor('product', 'Old tracker');
    const revokedId = (await ApiToken.findOne({ backlogId: 'product', label: 'Old tracker' }).lean())!._id;
    const revoke = await owner.submit('/backlogs/product/tokens', '/backlogs/product/tokens/revoke', { tokenId: revokedId });
    assert.equal(revoke.status, 303);
    assert.ok((await ApiToken.findById(revokedId).lean())?.revokedAt, 'revoked');
    const marketing = await tokenFor('marketing', 'Marketing tracker');
    const wellFormedButUnknown = `cct_${'A'.repeat(43)}`;

    const attempts: Array<[string, Record<string, string>]> = [
      ['missing', {}],
      ['malformed', { authorization: 'Bearer not-a-token' }],
      ['not bearer', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
      ['wrong', bearer(wellFormedButUnknown)],
      ['revoked', bearer(revoked)],
      ['other backlog', bearer(marketing)],
    ];
    for (const [what, headers] of attempts) {
      const response = await setStatus('product', item.id, { status: 'accepted', note: what }, headers);
      assert.equal(response.status, 401, what);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/, what);
      const body = await response.json();
      assert.equal(body.error.code, 'unauthenticated', what);
    }
    await unchanged(item.id);
    assert.equal(await AuditEntry.countDocuments({ action: 'backlog_item.moved', targetId: item.id }), 0);
  });

  it('answers a move the workflow does not allow with 409 and the allowed moves', async () => {
    const { item } = await proposedItem();
    const token = await tokenFor('product');
    const response = await setStatus('product', item.id, { status: 'shipped', note: 'Done' }, bearer(token));
    assert.equal(response.status, 409);
    const { error } = await response.json();
    assert.equal(error.status, 'proposed');
    assert.deepEqual(error.allowedMoves, ['accepted', 'declined']);
    assert.match(error.message, /can move to Accepted, Declined, not Shipped/);
    await unchanged(item.id);
  });

  it('answers the same move sent six times at once with one 200, and each 409 tells the tracker where the item is now', async () => {
    const { item } = await proposedItem();
    const token = await tokenFor('product');
    const responses = await Promise.all(Array.from({ length: 6 }, (_, n) => setStatus('product', item.id, { status: 'accepted', note: `Sync ${n}` }, bearer(token))));
    assert.deepEqual(responses.map((response) => response.status).sort(), [200, 409, 409, 409, 409, 409]);
    const stored = await BacklogItem.findById(item.id).lean();
    assert.equal(stored?.statusHistory.length, 2, 'one move recorded');
    assert.equal(stored?.status, 'accepted');
    const label = 'Accepted';
    for (const response of responses.filter((response) => response.status === 409)) {
      const { error } = await response.json();
      assert.equal(error.status, stored!.status);
      // Lost the race (it is … now) or came after it (… is …: it can move to …): the status either way, no board to reload.
      assert.match(error.message, new RegExp(`(it is ${label} now|is ${label}: it can move to)`));
      assert.doesNotMatch(error.message, /board/i);
    }
  });

  it('answers bad JSON and bad fields with 400', async () => {
    const { item } = await proposedItem();
    const token = await tokenFor('product');
    const broken = await setStatus('product', item.id, '{"status": "acc', bearer(token));
    assert.equal(broken.status, 400);
    assert.equal((await broken.json()).error.code, 'bad_body');
    const unknownStatus = await setStatus('product', item.id, { status: 'done' }, bearer(token));
    assert.equal(unknownStatus.status, 400);
    assert.match((await unknownStatus.json()).error.fields.status, /Use one of: proposed, accepted/);
    const notJson = await fetch(`${app.url}/api/v1/backlogs/product/items/${item.id}/status`, { method: 'POST', headers: { 'content-type': 'text/plain', ...bearer(token) }, body: 'status=accepted' });
    assert.equal(notJson.status, 400);
    const otherBacklogItem = await setStatus('product', '0123456789abcdef01234567', { status: 'accepted' }, bearer(token));
    assert.equal(otherBacklogItem.status, 404);
    await unchanged(item.id);
  });

  it('needs no CSRF token without a session, but a request carrying the session cookie is checked as always', async () => {
    const { item } = await proposedItem();
    const token = await tokenFor('product');
    // The owner's browser session rides along: without a CSRF token that is refused, bearer or not.
    const withCookie = await owner.request(`/api/v1/backlogs/product/items/${item.id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ status: 'accepted' }),
    });
    assert.equal(withCookie.status, 403);
    await unchanged(item.id);
    const withCsrf = await owner.request(`/api/v1/backlogs/product/items/${item.id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfFrom((await owner.get('/')).body_), ...bearer(token) },
      body: JSON.stringify({ status: 'accepted' }),
    });
    assert.equal(withCsrf.status, 200);
  });

  it('keeps the tokens page to those who may move the backlog’s items', async () => {
    const member = await signedInClient(app.url, await createUser());
    assert.equal((await member.get('/backlogs/product/tokens')).status, 403);
    const csrf = csrfFrom((await member.get('/')).body_);
    assert.equal((await member.post('/backlogs/product/tokens', { _csrf: csrf, label: 'Sneaky' })).status, 403);
    assert.equal(await ApiToken.countDocuments({ label: 'Sneaky' }), 0);
  });
});
