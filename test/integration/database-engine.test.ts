import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mongoose from 'mongoose';
import { incrementCounter } from '../../src/db/counters.ts';
import { User } from '../../src/features/accounts/user.model.ts';
import { useDatabaseInSuite } from '../helpers/database.ts';

describe('the database engine and the write helpers', () => {
  useDatabaseInSuite();

  it('counts 20 parallel increments of one counter as 20', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => incrementCounter('parallel-test')));
    assert.deepEqual(
      [...results].sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it('lets exactly one of 20 parallel conditional claims win', async () => {
    const things = mongoose.connection.collection('claims');
    const { insertedId } = await things.insertOne({ claimedBy: null });
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => things.findOneAndUpdate({ _id: insertedId, claimedBy: null }, { $set: { claimedBy: `client-${i}` } })));
    assert.equal(outcomes.filter(Boolean).length, 1);
  });

  it('stores one user for 10 parallel inserts of the same email (the unique index guards it)', async () => {
    const email = `race-${Date.now()}@example.test`;
    const attempts = await Promise.allSettled(Array.from({ length: 10 }, () => User.create({ email, name: 'Racer', passwordHash: 'x' })));
    assert.equal(attempts.filter((attempt) => attempt.status === 'fulfilled').length, 1);
    assert.equal(await User.countDocuments({ email }), 1);
  });

  // Tests always run on the embedded engine, whose explain() returns SQLite's query plan.
  it('looks documents up by _id through the _id index, alone or with other conditions', async () => {
    const things = mongoose.connection.collection('plans');
    const { insertedId } = await things.insertOne({ status: 'open' });
    const planOf = async (filter: Record<string, unknown>) => JSON.stringify(((await things.find(filter).explain()) as { queryPlanner: { Plan: string[] } }).queryPlanner.Plan);
    assert.match(await planOf({ _id: insertedId }), /SEARCH \S+ USING INDEX \S+__id_/);
    assert.match(await planOf({ _id: insertedId, status: 'open' }), /SEARCH \S+ USING INDEX \S+__id_/);
    assert.match(await planOf({ _id: { $in: [insertedId, new mongoose.Types.ObjectId()] } }), /SEARCH \S+ USING INDEX \S+__id_/);
    // What the fixes do not change: other conditions scan (so hot pages use read models).
    assert.match(await planOf({ status: 'open' }), /SCAN/);
  });

  it('finds, updates and deletes by a list of _ids exactly as a scan would', async () => {
    const things = mongoose.connection.collection<{ _id: mongoose.Types.ObjectId | string | number; n: number }>('listed');
    const [first, second] = [new mongoose.Types.ObjectId(), new mongoose.Types.ObjectId()];
    await things.insertMany([
      { _id: first, n: 1 },
      { _id: second, n: 2 },
      { _id: 'a', n: 3 },
      { _id: 'b', n: 4 },
      { _id: 5, n: 5 },
    ]);
    const found = async (filter: Record<string, unknown>) => (await things.find(filter).toArray()).map((doc) => doc.n).sort((a, b) => a - b);
    assert.deepEqual(await found({ _id: { $in: [first, 'b', 'missing', new mongoose.Types.ObjectId()] } }), [1, 4]);
    assert.deepEqual(await found({ _id: { $in: ['a', 5] } }), [3, 5], 'a number in the list: found as before, by a scan');
    assert.deepEqual(await found({ _id: { $in: ['a', 'b'] }, n: { $gt: 3 } }), [4], 'other conditions still apply');
    assert.deepEqual(await found({ _id: { $in: ['a'], $nin: ['a'] } }), []);
    assert.deepEqual(await found({ _id: { $in: [] } }), []);
    await things.updateMany({ _id: { $in: ['a', second] } }, { $inc: { n: 10 } });
    assert.deepEqual(await found({}), [1, 4, 5, 12, 13]);
    await things.deleteMany({ _id: { $in: ['b', first] } });
    assert.deepEqual(await found({}), [5, 12, 13]);
  });
});
