import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { message } from '../../src/i18n/i18n.ts';
import { noticeSealer } from '../../src/web/notice-cookie.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

const COOKIE = 'cocreate.notice';
const FOLLOWING = /You will be told when this moves on\./;

describe('notices after a redirect', () => {
  let app: TestApp;
  let author: TestClient;
  let copilot: TestClient;
  let copilotEmail: string;

  before(async () => {
    // Behind a proxy, as deployed: a request forwarded from https gets a Secure cookie.
    app = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
    author = await signedInClient(app.url, await createUser({ name: 'Ada Author' }));
    const copilotUser = await createUser({ name: 'Cora Copilot' });
    copilotEmail = copilotUser.email;
    copilot = await signedInClient(app.url, copilotUser);
  });
  after(() => app.close());

  const openChallenge = () => createChallenge(app, { phase: 'open', form: { copilots: copilotEmail, crowdSees: 'approved' } });
  /** A page as a browser holding only this notice cookie (a visitor) sees it. */
  const pageWith = async (value: string, path = '/') => {
    const response = await fetch(`${app.url}${path}`, { headers: { cookie: `${COOKIE}=${value}` }, redirect: 'manual' });
    return { status: response.status, body: await response.text(), setCookie: response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${COOKIE}=`)) };
  };
  const sealed = (secret = app.config.sessionSecret, now = Date.now()) => noticeSealer(secret).seal([{ kind: 'success', message: message('community.follow.following') }], now)!;

  it('shows a notice once, on the page the redirect leads to, from a short-lived HttpOnly cookie', async () => {
    const { id } = await openChallenge();
    const member = await signedInClient(app.url, await createUser());
    const followed = await member.submit(`/challenges/${id}`, '/follows', { type: 'challenge', id });
    assert.equal(followed.status, 303);
    const cookie = followed.headers.getSetCookie().find((value) => value.startsWith(`${COOKIE}=`));
    assert.ok(cookie, 'the redirect carries the notice');
    assert.match(cookie, /; Max-Age=60; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/, 'not Secure over plain http');

    const shown = await member.get(followed.headers.get('location')!);
    assert.match(shown.body_, FOLLOWING);
    assert.match(shown.body_, /<div class="notice notice--success" role="status">You will be told when this moves on\.<\/div>/);
    assert.equal(member.hasCookie(COOKIE), false, 'and the page clears it');
    assert.doesNotMatch((await member.get(`/challenges/${id}`)).body_, FOLLOWING, 'shown once');

    const form = await member.get(`/challenges/${id}`);
    const overHttps = await member.post('/follows', { _csrf: csrfFrom(form.body_), type: 'challenge', id, action: 'unfollow' }, { 'x-forwarded-proto': 'https' });
    assert.equal(overHttps.status, 303);
    assert.match(overHttps.headers.getSetCookie().find((value) => value.startsWith(`${COOKIE}=`)) ?? '', /; Secure/, 'Secure when the site is reached over https');
  });

  it('shows nothing for a forged, altered, foreign or stale cookie, and drops it', async () => {
    const good = sealed();
    assert.match((await pageWith(good)).body, FOLLOWING, 'the real one is shown');
    const [payload, mac] = good.split('.') as [string, string];
    const forged = Buffer.from(Buffer.from(payload, 'base64url').toString('utf8').replace('community.follow.following', 'community.follow.unfollowed')).toString('base64url');
    for (const value of [`${forged}.${mac}`, `${payload}.${mac.slice(0, -1)}`, sealed(`${app.config.sessionSecret}-another-site`), sealed(undefined, Date.now() - 61_000), 'garbage', '%E0%A4%A']) {
      const page = await pageWith(value);
      assert.equal(page.status, 200, value);
      assert.doesNotMatch(page.body, /class="notice/, value);
      assert.match(page.setCookie ?? '', /^cocreate\.notice=; Path=\/; Expires=Thu, 01 Jan 1970/, `${value}: cleared`);
    }
  });

  it('escapes an idea’s title in a decision’s notice, and carries it on with the next one when the queue is clear', async () => {
    const { id } = await openChallenge();
    const queue = `/challenges/${id}/curation`;
    const submitted = await author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: '<script>alert("x")</script> Night buses' }));
    const item = `${queue}/ideas/${submitted.headers.get('location')!.split('/')[2]}`;
    const decided = await copilot.submit(item, `${item}/decision`, { kind: 'approve', message: '' });
    assert.equal(decided.status, 303);
    assert.equal(decided.headers.get('location'), queue);

    // Not followed: the copilot asks for the next idea instead, and none waits.
    const next = await copilot.get(`${queue}/next`);
    assert.equal(next.status, 303);
    assert.equal(next.headers.get('location'), queue);
    const page = await copilot.get(queue);
    assert.doesNotMatch(page.html_, /<script>alert/);
    const notices = [...page.html_.matchAll(/<div class="notice[^"]*" role="status">([^<]*)<\/div>/g)].map((match) => match[1]);
    assert.deepEqual(
      notices,
      ['“&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Night buses” is approved. Nothing else is waiting.', 'Nothing is waiting for a decision. The queue is clear.'].map(toReferences),
    );
  });

  it('shows a notice in the language of the page that shows it', async () => {
    const { id } = await openChallenge();
    const member = await signedInClient(app.url, await createUser());
    const followed = await member.submit(`/challenges/${id}`, '/follows', { type: 'challenge', id });
    const shown = await member.get(followed.headers.get('location')!, { 'accept-language': 'de' });
    assert.match(shown.body_, /Sie erfahren, wenn es hier weitergeht\./);
    assert.doesNotMatch(shown.body_, FOLLOWING);
  });
});

/** As pages write them: the characters beyond Latin-1 as numeric references (src/web/html-escape.ts). */
const toReferences = (text: string) => text.replace(/[\u{100}-\u{10ffff}]/gu, (character) => `&#${character.codePointAt(0)};`);
