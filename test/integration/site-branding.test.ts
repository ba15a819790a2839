import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CONVERGENCE_BOUND_MS } from '../../src/cluster/change-log.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { PDF, TINY_PNG } from '../helpers/files.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('the site’s name, logo and accent colour', () => {
  // Two app processes on one database: what an admin saves on the first reaches the second through the change log.
  let first: TestApp;
  let second: TestApp;
  let admin: TestClient;
  before(async () => {
    first = await startTestApp();
    second = await startTestApp();
    admin = await signedInClient(first.url, await createUser({ roles: ['staff', 'admin'], name: 'Avery Admin' }));
  });
  after(async () => {
    await first.close();
    await second.close();
  });

  /** Posts the settings form as a browser does: multipart, with the CSRF token among its fields. */
  async function save(fields: Record<string, string>, logo?: { bytes: Buffer; name: string }) {
    const form = new FormData();
    for (const [key, value] of Object.entries({ _csrf: csrfFrom((await admin.get('/admin/branding')).body_), ...fields })) form.append(key, value);
    if (logo) form.append('logo', new Blob([new Uint8Array(logo.bytes)]), logo.name);
    return admin.request('/admin/branding', { method: 'POST', body: form });
  }

  it('refuses a colour too light for white text and a logo that is not an image, keeping what was typed', async () => {
    const light = await save({ name: 'Acme Ideas', accent: '#ffd000' });
    assert.equal(light.status, 400);
    assert.match(light.body_, /This colour is too light for white text and for links: its contrast is 1\.\d:1/);
    assert.match(light.body_, /value="Acme Ideas"/);
    const notImage = await save({ name: 'Acme Ideas', accent: '#1f5130' }, { bytes: PDF, name: 'logo.png' });
    assert.equal(notImage.status, 400);
    assert.match(notImage.body_, /The logo must be an image/);
    assert.match((await new TestClient(first.url).get('/')).body_, /<title>[^<]* · Cocreate<\/title>/, 'nothing was saved');
  });

  it('shows the saved name, logo and colour on every page, in email senders, and on the other process', async () => {
    assert.match((await new TestClient(second.url).get('/')).body_, /<title>[^<]* · Cocreate<\/title>/, 'the second process holds the default');
    const saved = await save({ name: 'Acme Ideas', accent: '#1F5130' }, { bytes: TINY_PNG, name: 'acme.png' });
    assert.equal(saved.status, 303);

    const home = (await new TestClient(first.url).get('/')).body_;
    assert.match(home, /<title>[^<]* · Acme Ideas<\/title>/);
    const version = /src="\/site\/logo\?v=(\d+)"/.exec(home)?.[1];
    assert.ok(version, 'the header shows the logo');
    assert.match(home, new RegExp(`<link rel="stylesheet" href="/site/theme.css\\?v=${version}">`));
    const theme = await new TestClient(first.url).get('/site/theme.css');
    assert.equal(theme.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.match(theme.body_, /--color-primary: #1f5130;/);
    const logo = await new TestClient(first.url).get('/site/logo');
    assert.equal(logo.headers.get('content-type'), 'image/png');

    const user = await createUser();
    await new TestClient(first.url).submit('/forgot-password', '/forgot-password', { email: user.email });
    const mail = await first.smtp.waitForMail(user.email, /./);
    assert.match(mail.from, /^"?Acme Ideas"? </, 'emails come from the site’s name');

    // The second process held the default in memory; the change log brings it the new one.
    const deadline = Date.now() + CONVERGENCE_BOUND_MS + 1_500;
    let title = '';
    while (Date.now() < deadline && !title.includes('Acme Ideas')) {
      title = /<title>([^<]*)<\/title>/.exec((await new TestClient(second.url).get('/')).body_)?.[1] ?? '';
      if (!title.includes('Acme Ideas')) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(title, /Acme Ideas$/, 'the other process shows the new name within the convergence bound');
  });

  it('lets only admins see or change the settings', async () => {
    const staff = await signedInClient(first.url, await createUser({ roles: ['staff'] }));
    assert.equal((await staff.get('/admin/branding')).status, 403);
    const token = csrfFrom((await staff.get('/')).body_);
    assert.equal((await staff.post('/admin/branding', { _csrf: token, name: 'Mine now', accent: '#000000' })).status, 403);
    assert.doesNotMatch((await staff.get('/')).body_, /href="\/admin\/branding"/, 'the menu offers it to admins only');
    assert.match((await admin.get('/')).body_, /href="\/admin\/branding"/);
  });
});
