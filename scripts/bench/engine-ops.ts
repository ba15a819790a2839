/**
 * `npx tsx scripts/bench/engine-ops.ts [--ops 400]`: the embedded engine's own CPU time per
 * operation, for the shapes of write that decide how the app stores its hot documents. The
 * engine runs as the app runs it, on a fresh data directory; each operation is sent `--ops`
 * times, one after another after a warm-up, and its CPU is read from /proc (Linux) before and
 * after: a figure a busy machine bends far less than wall time (compare runs of one machine).
 *   - one small document: read by _id, updated with $inc;
 *   - 20 updates or 20 inserts in one command, against one per command (the engine takes its one
 *     write lock and does its per-command work once per command);
 *   - $addToSet on a list of 25 and of 300 ids (a whole document is decoded and rewritten per write);
 *   - a list of 50 entries written as objects and as one string each;
 *   - 64 documents read by `_id: {$in}` in one query, against 64 lookups by _id.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { connectDatabase, disconnectDatabase } from '../../src/db/connection.ts';
import { startEmbeddedDatabase } from '../../src/db/embedded-ferretdb.ts';
import { boundedInt, processCpuMs } from './harness.ts';

const { values } = parseArgs({ options: { ops: { type: 'string', default: '400' } } });
const ops = boundedInt('--ops', values.ops, 20, 100_000);

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cocreate-engine-ops-'));
const engine = await startEmbeddedDatabase({ dataDir: path.join(dataDir, 'db') });
try {
  await connectDatabase(engine.uri('bench'));
  const db = mongoose.connection.db!;
  const pid = engine.pid()!;

  /** Runs `op` for operation 0…ops−1 (an op of a batch of k does its work on every k-th call), after a warm-up of 20. */
  async function measure(label: string, op: (index: number) => Promise<unknown>) {
    for (let index = 0; index < 20; index++) await op(ops + index);
    const before = (await processCpuMs(pid))!;
    for (let index = 0; index < ops; index++) await op(index);
    const after = (await processCpuMs(pid))!;
    console.log(`${label.padEnd(58)} ${((after - before) / ops).toFixed(3).padStart(7)} ms of engine CPU per operation`);
  }

  type Doc = { _id: string; n?: number; ideaId?: string; at?: Date; ideaIds?: string[]; entries?: unknown[] };
  const collection = (name: string) => db.collection<Doc>(name);
  const id = () => new mongoose.Types.ObjectId().toHexString();
  const batch = 20;

  const small = collection('small');
  await small.insertMany(Array.from({ length: 100 }, (_, index) => ({ _id: `s${index}`, n: 0 })));
  await measure('find a small document by _id', (index) => small.findOne({ _id: `s${index % 100}` }));
  await measure('$inc a small document, one update per command', (index) => small.updateOne({ _id: `s${index % 100}` }, { $inc: { n: 1 } }));
  await measure(`$inc a small document, ${batch} updates per command`, async (index) => {
    if (index % batch !== 0) return;
    await small.bulkWrite(Array.from({ length: batch }, (_, k) => ({ updateOne: { filter: { _id: `s${(index + k) % 100}` }, update: { $inc: { n: 1 } } } })));
  });
  await measure('insert a small document, one per command', (index) => collection('inserted-alone').insertOne({ _id: `i${index}`, ideaId: id(), at: new Date() }));
  await measure(`insert a small document, ${batch} per command`, async (index) => {
    if (index % batch !== 0) return;
    await collection('inserted-together').insertMany(Array.from({ length: batch }, (_, k) => ({ _id: `i${index + k}`, ideaId: id(), at: new Date() })));
  });

  for (const size of [25, 300]) {
    const lists = collection(`lists-${size}`);
    await lists.insertMany(Array.from({ length: 20 }, (_, part) => ({ _id: `p${part}`, ideaIds: Array.from({ length: size }, id) })));
    await measure(`$addToSet one id to a list of ${size} ids`, (index) => lists.updateOne({ _id: `p${index % 20}` }, { $addToSet: { ideaIds: `x${index}` } }));
  }

  const entry = () => ({ type: 'vote', ref: `${id()}:${id()}`, ideaId: id(), challengeId: id(), at: new Date() });
  const asString = (value: ReturnType<typeof entry>) => JSON.stringify([value.type, value.ref, value.ideaId, value.challengeId, value.at.getTime()]);
  for (const [shape, make] of [
    ['objects', entry],
    ['strings', () => asString(entry())],
  ] as Array<[string, () => unknown]>) {
    const buckets = collection(`buckets-${shape}`);
    await buckets.insertMany(Array.from({ length: 10 }, (_, bucket) => ({ _id: `b${bucket}`, entries: Array.from({ length: 50 }, make) })));
    await measure(`$set a list of 50 entries stored as ${shape}`, (index) => buckets.updateOne({ _id: `b${index % 10}` }, { $set: { entries: Array.from({ length: 50 }, make) } }));
  }

  const parts = collection('parts');
  await parts.insertMany(Array.from({ length: 64 }, (_, part) => ({ _id: `part${part}`, ideaIds: [id(), id()] })));
  const partIds = Array.from({ length: 64 }, (_, part) => `part${part}`);
  await measure('64 documents by _id: {$in: [...]}, one query', () => parts.find({ _id: { $in: partIds } }).toArray());
  await measure('64 documents by _id, 64 lookups side by side', () => Promise.all(partIds.map((partId) => parts.findOne({ _id: partId }))));
} finally {
  await disconnectDatabase();
  await engine.stop();
  await rm(dataDir, { recursive: true, force: true });
}
