import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { twoTestApps } from '../helpers/app.ts';
import { csrfFrom } from '../helpers/http.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/** The inbox's first page is served from memory: each test first reads it, then changes what it shows. */
describe('the notifications inbox from memory stays current', () => {
  const apps = twoTestApps({ before, after });

  const notice = (text: string) => ({ kind: 'announcement' as const, text, link: '/challenges' });

  it('shows a new notice at once, and shows it read once opened, though the page was read just before', async () => {
    const user = await createUser();
    const client = await signedInClient(apps.first.url, user);
    assert.doesNotMatch((await client.get('/notifications')).body_, /First news/);
    await apps.first.services.notifications.notify([user.id], notice('First news'));
    const inbox = (await client.get('/notifications')).body_;
    assert.match(inbox, /Unread: <\/span>First news/);

    const opened = await client.post('/notifications/1/open', { _csrf: csrfFrom(inbox) });
    assert.equal(opened.status, 303);
    const afterOpening = (await client.get('/notifications')).body_;
    assert.match(afterOpening, /First news/);
    assert.doesNotMatch(afterOpening, /Unread: <\/span>First news/);
  });

  it('shows a notice written by another app process once the change log reaches this one', async () => {
    const user = await createUser();
    const onSecond = await signedInClient(apps.second.url, user);
    assert.doesNotMatch((await onSecond.get('/notifications')).body_, /News from elsewhere/);
    await apps.first.services.notifications.notify([user.id], notice('News from elsewhere'));
    await apps.first.events.settled();
    await apps.second.readModelSync.catchUp();
    assert.match((await onSecond.get('/notifications')).body_, /Unread: <\/span>News from elsewhere/);
  });
});
