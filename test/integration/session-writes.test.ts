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

  it('saves the session once, and the notice is shown once on the page it leads to', async () => {
    const staff = await createUser({ roles: ['staff'] });
    const { id } = await createChallenge(app, { phase: 'open', staff: actorFor(staff, ['staff']) });
    const member = await signedInClient(app.url, await createUser());
    const page = `/challenges/${id}`;
    await member.get(page);

    writes = 0;
    const followed = await member.submit(page, '/follows', { type: 'challenge', id });
    assert.equal(followed.status, 303);
    // Before: connect-mongo took `lastModified` out of the saved session, so express-session
    // found it changed after flash.ts had saved it and wrote it again as the response ended.
    assert.equal(writes, 1, 'one session write for the notice');

    reads = 0;
    const shown = await member.get(followed.headers.get('location')!);
    assert.match(shown.body_, /You will be told when this moves on\./);
    assert.equal(reads, 0, 'the session as written is kept: the next page reads none');
    const again = await member.get(page);
    assert.doesNotMatch(again.body_, /You will be told when this moves on\./, 'a notice is shown once');
  });
});
