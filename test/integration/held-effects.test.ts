import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { createUserCache } from '../../src/features/accounts/user-cache.ts';
import { createDimensions } from '../../src/features/insights/dimensions.ts';
import { InsightDay, InsightMark } from '../../src/features/insights/insights.model.ts';
import { createRecorder } from '../../src/features/insights/recorder.ts';
import { appliedEvent, createBatch, whileApplying } from '../../src/shared/applying-event.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { eventually } from '../helpers/eventually.ts';
import { insightsCount, outboxConsumed } from '../helpers/outbox.ts';

/**
 * The insights consumer holds its counts over an outbox round and writes each day document once
 * for all of them: the counts stay once per event when a round is applied again, whole or after
 * stopping halfway (some documents took their counts, others not).
 */
describe('effects held over an outbox round', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ consumeOutbox: false });
  });
  after(() => app.close());

  const recorder = () => createRecorder({ catalog: app.readModels.catalog, dimensions: createDimensions(app.events, createUserCache(app.events).counted) });

  /** Applies the entries `seqs` (one vote counted each) as a consumer's round does; with `batch`, held and written at the end. */
  async function round(challengeId: string, seqs: number[], options: { batch: boolean; replay: boolean }) {
    const counting = recorder();
    const batch = options.batch ? createBatch() : undefined;
    for (const seq of seqs) await whileApplying({ key: String(seq), seq, replay: options.replay, batch }, () => counting.count(challengeId, 'votes'));
    await batch?.flush();
  }

  const votes = (challengeId: string) => insightsCount(challengeId, 'votes|*');
  const allVotes = async () => ((await InsightDay.find({ _id: new RegExp('^all:') }).lean()) as Array<{ c: Record<string, number> }>).reduce((sum, doc) => sum + (doc.c['votes|*'] ?? 0), 0);

  it('counts a round of many entries once each, in one write per document, and nothing more when the round is applied again', async () => {
    const challengeId = String(new mongoose.Types.ObjectId());
    const allBefore = await allVotes();
    const writes: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection === 'insightdays') writes.push(method);
    });
    try {
      await round(challengeId, [101, 102, 103, 104], { batch: true, replay: false });
    } finally {
      mongoose.set('debug', false);
    }
    // The challenge's day document and the one across challenges.
    assert.deepEqual(writes, ['updateOne', 'updateOne']);
    assert.equal(await votes(challengeId), 4);
    assert.equal((await allVotes()) - allBefore, 4);
    await round(challengeId, [101, 102, 103, 104], { batch: true, replay: true });
    assert.equal(await votes(challengeId), 4);
    assert.equal((await allVotes()) - allBefore, 4);
  });

  it('a round applied again after it stopped halfway counts what it had not counted, once', async () => {
    const challengeId = String(new mongoose.Types.ObjectId());
    // The first try wrote its first entry's counts one by one, then stopped.
    await round(challengeId, [201], { batch: false, replay: false });
    assert.equal(await votes(challengeId), 1);
    await round(challengeId, [201, 202, 203], { batch: true, replay: true });
    assert.equal(await votes(challengeId), 3);
    await round(challengeId, [202, 203, 204], { batch: true, replay: true });
    assert.equal(await votes(challengeId), 4);
  });

  it('holds the marks of a round too: one insert for the new ones, and a mark already set (another process counted it) counts nothing, nor what it allowed', async () => {
    const challengeId = String(new mongoose.Types.ObjectId());
    const [fresh, taken] = [String(new mongoose.Types.ObjectId()), String(new mongoose.Types.ObjectId())];
    const userId = String(new mongoose.Types.ObjectId());
    // Another process already applied the entry submitting `taken` (its mark is set and it counted it).
    await InsightMark.create({ _id: `submitted:${taken}`, by: 'elsewhere' });
    const counting = recorder();
    const batch = createBatch();
    const inserts: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection === 'insightmarks') inserts.push(method);
    });
    try {
      const submitted = (seq: number, ideaId: string) =>
        whileApplying({ key: String(seq), seq, replay: false, batch }, () => counting.once(`submitted:${ideaId}`, () => counting.count(challengeId, 'submitted', { personId: userId })));
      await submitted(301, fresh);
      await submitted(302, taken);
      // A second apply of the fresh one in the same round: known, not counted again.
      assert.equal(await submitted(303, fresh), false);
      await whileApplying({ key: '304', seq: 304, replay: false, batch }, () => counting.participant(challengeId, userId));
      assert.deepEqual(inserts, [], 'nothing written before the round ends');
      await batch.flush();
    } finally {
      mongoose.set('debug', false);
    }
    assert.deepEqual(inserts, ['insertMany'], 'the marks of the round in one insert');
    assert.equal(await insightsCount(challengeId, 'submitted|*'), 1, 'the fresh idea counted, the one counted elsewhere not again');
    assert.equal(await insightsCount(challengeId, 'participants|*'), 1);
    assert.ok(await InsightMark.findById(`submitted:${fresh}`).lean());
    assert.equal((await InsightMark.findById(`participant:all:${userId}`).lean())?.by, '304');
    // The next round's replay of the same entries counts nothing more.
    const replay = createBatch();
    await whileApplying({ key: '301', seq: 301, replay: true, batch: replay }, () => recorder().once(`submitted:${fresh}`, () => recorder().count(challengeId, 'submitted', { personId: userId })));
    await replay.flush();
    assert.equal(await insightsCount(challengeId, 'submitted|*'), 1, 'a replay of the entry that set the mark counts only what was not written');
  });

  it('a held write that fails: the consumer goes back and applies those entries again as replays, each effect written at once', async () => {
    // Positions loaded first, so the entry below is not a replay from a previous holder.
    await app.outbox.catchUp();
    const seen: Array<{ held: boolean; replay: boolean }> = [];
    let failing = true;
    const write = async () => {
      if (!failing) return;
      failing = false;
      throw new Error('the held write failed');
    };
    const off = app.outbox.consumer('webhooks').on('site.branding_changed', async () => {
      const event = appliedEvent()!;
      seen.push({ held: Boolean(event.batch), replay: event.replay });
      if (event.batch) event.batch.hold(write, 1);
      else await write();
    });
    try {
      await app.events.emit('site.branding_changed', {});
      await eventually(async () => {
        await app.outbox.catchUp();
        return seen.length >= 2 && (await outboxConsumed());
      }, 'the entry applied again');
    } finally {
      off();
    }
    assert.deepEqual(seen, [
      { held: true, replay: false },
      { held: false, replay: true },
    ]);
  });
});
