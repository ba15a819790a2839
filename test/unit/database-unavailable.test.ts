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

  it('recognises a command written to a socket the engine had closed, which the driver passes on as Node’s own error', () => {
    const stack =
      'Error: This socket has been ended by the other party\n    at Socket.writeAfterFIN [as write] (node:net:566:14)\n    at Connection.writeCommand (/app/node_modules/mongodb/src/cmap/connection.ts:722:23)';
    assert.equal(databaseUnavailable(Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE', stack })), true);
    // The same code from elsewhere (a webhook receiver, the mail server) says nothing about the database.
    assert.equal(
      databaseUnavailable(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', stack: 'Error: write EPIPE\n    at afterWriteDispatched (node:internal/stream_base_commons:160:15)' })),
      false,
    );
  });

  it('does not take a refused write for an outage', () => {
    assert.equal(databaseUnavailable({ name: 'MongoBulkWriteError', message: 'E11000 duplicate key', errorResponse: { name: 'MongoServerError', code: 11000 } }), false);
    assert.equal(databaseUnavailable(new Error('boom')), false);
    assert.equal(databaseUnavailable(null), false);
  });
});
