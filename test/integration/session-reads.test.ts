import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { twoTestApps } from '../helpers/app.ts';
import { actorFor } from '../helpers/challenges.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('reading who is signed in', () => {
  const apps = twoTestApps({ before, after });
  const reads = { sessions: 0, users: 0 };
  const collection = mongoose.mongo.Collection.prototype;
  const findOne = collection.findOne;

  before(() => {
    // Counts what the session store and the user lookup send (the store reads through the driver).
    collection.findOne = function (this: mongoose.mongo.Collection, ...args: Parameters<typeof findOne>) {
      if (this.collectionName === 'sessions' || this.collectionName === 'users') reads[this.collectionName]++;
      return findOne.apply(this, args);
    } as typeof findOne;
  });
  after(() => {
    collection.findOne = findOne;
  });

  it('pages asked for at once by one person read their session and their account once between them', async () => {
    const member = await signedInClient(apps.first.url, await createUser({ name: 'Parallel Reader' }));
    const cookie = member
      .allCookies()
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
    // The second process has read neither yet: all twenty pages find nothing kept.
    reads.sessions = 0;
    reads.users = 0;
    const pages = await Promise.all(Array.from({ length: 20 }, () => fetch(`${apps.second.url}/my/ideas`, { headers: { cookie }, redirect: 'manual' })));
    for (const page of pages) {
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Parallel Reader/);
    }
    assert.equal(reads.sessions, 1, 'one session read');
    assert.equal(reads.users, 1, 'one user lookup');
  });

  it('a session ended on the process that keeps its read is not served from memory afterwards', async () => {
    const user = await createUser();
    const here = await signedInClient(apps.second.url, user);
    const there = await signedInClient(apps.second.url, user);
    // Both sessions' reads are now kept by the second process.
    assert.equal((await here.get('/my/ideas')).status, 200);
    assert.equal((await there.get('/my/ideas')).status, 200);
    // A password change from neither session (a script, another device) ends both.
    await apps.second.services.accounts.changePassword(actorFor(user), user.password, 'Another-Long-Passphrase-91');
    const refused = await there.get('/my/ideas');
    assert.match(refused.headers.get('location') ?? '', /^\/sign-in/, 'signed out: sent to sign in');
  });
});
