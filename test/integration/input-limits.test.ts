import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exceedsDepth, MAX_BODY_DEPTH } from '../../src/web/body-depth.ts';
import { HEADERS_TIMEOUT_MS } from '../../src/web/http-server.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';

const nested = (depth: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = [value];
  return value;
};

describe('limits on what a client sends', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('measures nesting without recursion', () => {
    assert.equal(exceedsDepth({ email: 'a', roles: ['x', 'y'], answers: { a: 'b' } }, MAX_BODY_DEPTH), false);
    assert.equal(exceedsDepth(nested(MAX_BODY_DEPTH), MAX_BODY_DEPTH), false);
    assert.equal(exceedsDepth(nested(MAX_BODY_DEPTH + 1), MAX_BODY_DEPTH), true);
    assert.equal(exceedsDepth(nested(100_000), MAX_BODY_DEPTH), true);
  });

  it('refuses a JSON body nested 10,000 deep with 400, as a page or as JSON, before the form sees it', async () => {
    const client = new TestClient(app.url);
    const csrf = csrfFrom((await client.get('/sign-in')).body_);
    // Written out: JSON.stringify itself recurses.
    const body = `{"_csrf":"${csrf}","email":${'['.repeat(10_000)}"x"${']'.repeat(10_000)},"password":"x"}`;
    const page = await client.request('/sign-in', { method: 'POST', body, headers: { 'content-type': 'application/json', accept: 'text/html' } });
    assert.equal(page.status, 400);
    assert.match(page.body_, /nests values deeper than we accept/);
    const json = await client.request('/sign-in', { method: 'POST', body, headers: { 'content-type': 'application/json', accept: 'application/json' } });
    assert.equal(json.status, 400);
    assert.equal((JSON.parse(json.body_) as { error: { code: string } }).error.code, 'too_deep');
  });

  it('re-renders a form with only the strings it was sent, whatever else came in the body', async () => {
    const client = new TestClient(app.url);
    const csrf = csrfFrom((await client.get('/sign-up')).body_);
    const body = JSON.stringify({ _csrf: csrf, email: 'kept@example.test', name: { toString: 'x' }, organisation: nested(MAX_BODY_DEPTH - 1), password: 'short' });
    const page = await client.request('/sign-up', { method: 'POST', body, headers: { 'content-type': 'application/json', accept: 'text/html' } });
    assert.equal(page.status, 400);
    assert.match(page.body_, /value="kept@example\.test"/);
    assert.doesNotMatch(page.body_, /\[object Object\]/);
  });

  it(`closes a connection whose headers trickle in a byte a second after ${HEADERS_TIMEOUT_MS / 1000} s`, async () => {
    const { port } = new URL(app.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    const startedAt = Date.now();
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
    const drip = setInterval(() => socket.write('X'), 1_000);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    await new Promise((resolve) => socket.once('close', resolve));
    clearInterval(drip);
    const heldMs = Date.now() - startedAt;
    assert.ok(heldMs < HEADERS_TIMEOUT_MS + 3_000, `closed after ${heldMs} ms`);
    assert.match(answer, /^HTTP\/1\.1 408/);
  });
});
