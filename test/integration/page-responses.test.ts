import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';

describe('how a rendered page is sent', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('as UTF-8 HTML whose length counts bytes, not characters', async () => {
    // German pages hold characters beyond ASCII ("ü", "ß"): two bytes each in UTF-8.
    const response = await fetch(`${app.url}/sign-in`, { headers: { 'accept-language': 'de' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    const bytes = Buffer.from(await response.arrayBuffer());
    const html = bytes.toString('utf8');
    assert.ok(
      [...html].some((character) => character.charCodeAt(0) > 0x7f),
      'the page holds characters beyond ASCII',
    );
    assert.ok(bytes.length > html.length);
    assert.equal(Number(response.headers.get('content-length')), bytes.length);
  });

  it('with its headers and no body to a HEAD request', async () => {
    const page = await fetch(`${app.url}/sign-in`);
    const head = await fetch(`${app.url}/sign-in`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(head.headers.get('content-length'), page.headers.get('content-length'));
    assert.equal((await head.arrayBuffer()).byteLength, 0);
  });

  it('an error page too', async () => {
    const response = await fetch(`${app.url}/no-such-page`);
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(Number(response.headers.get('content-length')), Buffer.from(await response.arrayBuffer()).length);
  });
});
