import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('session writes of a form that redirects with a notice', () => {
  let app: TestApp;
  let writes = 0;
  let reads = 0;
  const collection = mongoose.mongo.Collection.prototype;
  const updateOne = collection.updateOne;
  const findOne = collection.findOne;

  before(async () => {
    app = await startTestApp();
    // Counts what the session store sends (it writes through the driver, not through a model).
    collection.updateOne = function (this: mongoose.mongo.Collection, ...args: Parameters<typeof updateOne>) {
      if (this.collectionName === 'sessions') writes++;
      return updateOne.apply(this, args);
    } as typeof updateOne;
    collection.findOne = function (this: mongoose.mongo.Collection, ...args: Parameters<typeof findOne>) {
      if (this.collectionName === 'sessions') reads++;
      return findOne.apply(this, args as never);
    } as typeof findOne;
  });
  after(async () => {
    collection.updateOne = updateOne;
    collection.findOne = findOne;
    await app.close();
  });

  it('writes no session for a notice, neither on the redirect nor on the page that shows it once', async () => {
    const staff = await createUser({ roles: ['staff'] });
    const { id } = await createChallenge(app, { phase: 'open', staff: actorFor(staff, ['staff']) });
    const member = await signedInClient(app.url, await createUser());
    const page = `/challenges/${id}`;
    await member.get(page);

    writes = 0;
    const followed = await member.submit(page, '/follows', { type: 'challenge', id });
    assert.equal(followed.status, 303);
    // Before: 1 (the notice saved into the session before the redirect), and 1 more on the next page (taking it out).
    assert.equal(writes, 0, 'the notice is in a cookie of the redirect, not in the session');
    assert.ok(member.hasCookie('cocreate.notice'));

    reads = 0;
    const shown = await member.get(followed.headers.get('location')!);
    assert.match(shown.body_, /You will be told when this moves on\./);
    assert.equal(writes, 0, 'showing it writes none either');
    assert.equal(reads, 0, 'nor reads one: the session read before the form is still kept');
    assert.equal(member.hasCookie('cocreate.notice'), false, 'the page that shows it clears it');
    const again = await member.get(page);
    assert.doesNotMatch(again.body_, /You will be told when this moves on\./, 'a notice is shown once');
    assert.equal(writes, 0);
  });

  it('still saves, before its redirect, a session the form changed', async () => {
    const staff = await signedInClient(app.url, await createUser({ roles: ['staff'] }));
    await staff.get('/backlogs/product/tokens');

    writes = 0;
    const made = await staff.submit('/backlogs/product/tokens', '/backlogs/product/tokens', { label: 'Tracker' });
    assert.equal(made.status, 303);
    assert.equal(writes, 1, 'the new token, to show once on the next page, is in the session');
    const shown = await staff.get(made.headers.get('location')!);
    assert.match(shown.body_, /data-api-token>[^<]+</, 'the token is shown');
    assert.match(shown.body_, /The token for Tracker is made\./, 'with the notice');
  });
});
