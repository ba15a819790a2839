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
    // What the fixes do not change: other conditions scan (so hot pages use read models).
    assert.match(await planOf({ status: 'open' }), /SCAN/);
  });
});
