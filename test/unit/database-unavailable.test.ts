import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mongoose from 'mongoose';
import { databaseUnavailable } from '../../src/db/connection.ts';

describe('telling a database that does not answer from one that refused', () => {
  const lost = new mongoose.mongo.MongoNetworkError('read ECONNRESET');

  it('recognises a lost connection, also inside the bulk-write error of an insertMany', () => {
    assert.equal(databaseUnavailable(lost), true);
    // The shape the driver gives an insertMany whose connection was reset (seen when the engine was killed).
    assert.equal(databaseUnavailable({ name: 'MongoBulkWriteError', message: 'read ECONNRESET', errorResponse: lost }), true);
  });

  it('does not take a refused write for an outage', () => {
    assert.equal(databaseUnavailable({ name: 'MongoBulkWriteError', message: 'E11000 duplicate key', errorResponse: { name: 'MongoServerError', code: 11000 } }), false);
    assert.equal(databaseUnavailable(new Error('boom')), false);
    assert.equal(databaseUnavailable(null), false);
  });
});
