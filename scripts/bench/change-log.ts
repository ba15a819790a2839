/**
 * `npx tsx scripts/bench/change-log.ts [--changes 2000]`: what convergence costs on the embedded
 * engine, as production runs it (FerretDB with its `_id` fixes, `--log-level=ERROR`). Pages do no
 * convergence check at all (the tail runs on a timer), so there is no per-request cost to
 * measure; what remains is measured here beside a plain `findById` for scale:
 *   - appending one change (the `$inc` of the head, then the entry), one writer and ten at once;
 *   - one idle round of the tail (the head read by `_id`: what every process does every 0.5 s);
 *   - catching up: reading entries written by another process, per entry;
 *   - the outbox's record of a write's durable events: after the write (`emit`, which a crash in
 *     between loses) and before it (`intend`, record-first), for one event and for two.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { appendChange, createChangeLog } from '../../src/cluster/change-log.ts';
import { createOutbox } from '../../src/cluster/outbox.ts';
import { EventBus } from '../../src/shared/events.ts';
import { connectDatabase, disconnectDatabase } from '../../src/db/connection.ts';
import { Counter } from '../../src/db/counters.ts';
import { startEmbeddedDatabase } from '../../src/db/embedded-ferretdb.ts';
import '../../src/db/models.ts';
import { createLogger } from '../../src/shared/logger.ts';

const { values } = parseArgs({ options: { changes: { type: 'string', default: '2000' } } });
const changes = Number(values.changes);
if (!Number.isInteger(changes) || changes < 10 || changes > 100_000) throw new Error('--changes takes a whole number from 10 to 100000');

async function timed(label: string, count: number, run: () => Promise<unknown>) {
  const started = process.hrtime.bigint();
  await run();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(
    `${label.padEnd(52)} ${(ms / count).toFixed(3).padStart(8)} ms each  ${Math.round((count / ms) * 1000)
      .toLocaleString('en-GB')
      .padStart(7)} /s`,
  );
}

const sequentially = async (count: number, step: (index: number) => Promise<unknown>) => {
  for (let index = 0; index < count; index++) await step(index);
};
const tenAtOnce = (count: number, step: (index: number) => Promise<unknown>) =>
  Promise.all(Array.from({ length: 10 }, (_, worker) => sequentially(Math.ceil(count / 10), (index) => step(worker * count + index))));

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cocreate-bench-changes-'));
const engine = await startEmbeddedDatabase({ dataDir });
try {
  await connectDatabase(engine.uri('bench'));
  await Counter.create({ _id: 'bench', value: 0 });
  console.log(`embedded engine, ${changes} operations per row, ${os.cpus().length} cores\n`);
  await timed('findById of one document (for scale)', changes, () => sequentially(changes, () => Counter.findById('bench').lean()));
  await timed('append a change, one writer', changes, () => sequentially(changes, (index) => appendChange({ kind: 'idea', id: String(index), challengeId: 'c' })));
  await timed('append a change, ten writers at once', changes, () => tenAtOnce(changes, (index) => appendChange({ kind: 'idea', id: String(index), challengeId: 'c' })));

  let applied = 0;
  const log = createChangeLog({ logger: createLogger('silent'), intervalMs: 3_600_000 });
  await log.start({ apply: async () => void applied++, reloadAll: () => undefined });
  await timed('idle tail round (head read by _id)', changes, () => sequentially(changes, () => log.catchUp()));
  await sequentially(changes, (index) => appendChange({ kind: 'idea', id: String(index), challengeId: 'c' }));
  await timed("catching up on another process's changes, per entry", changes, () => log.catchUp());
  log.stop();
  if (applied !== changes) throw new Error(`the tail applied ${applied} of ${changes} changes`);

  // The outbox records the events an outbox consumer takes; none is started here, so nothing is consumed.
  const events = new EventBus(createLogger('silent'));
  const outbox = createOutbox({ events, logger: createLogger('silent') });
  outbox.consumer('insights').on('idea.voted', () => undefined);
  outbox.consumer('insights').on('idea.created', () => undefined);
  const created = (index: number) => ({ ideaId: String(index), challengeId: 'c', authorId: 'u' });
  const voted = (index: number) => ({ ideaId: String(index), challengeId: 'c', votes: 1, userId: 'u', delta: 1 as const });
  await timed('outbox: one event recorded after its write (emit)', changes, () => sequentially(changes, (index) => events.emit('idea.voted', voted(index))));
  await timed('outbox: one event recorded before its write (intend)', changes, () => sequentially(changes, async (index) => (await events.intend(['idea.voted', voted(index)])).done()));
  await timed('outbox: two events recorded after their write (emit)', changes, () =>
    sequentially(changes, async (index) => {
      await events.emit('idea.created', created(index));
      await events.emit('idea.voted', voted(index));
    }),
  );
  await timed('outbox: two events recorded before their write (intend)', changes, () =>
    sequentially(changes, async (index) => (await events.intend(['idea.created', created(index)], ['idea.voted', voted(index)])).done()),
  );
  await timed('outbox: one event, ten writers at once (intend)', changes, () => tenAtOnce(changes, async (index) => (await events.intend(['idea.voted', voted(index)])).done()));
  await outbox.stop();
} finally {
  await disconnectDatabase();
  await engine.stop();
  await rm(dataDir, { recursive: true, force: true });
}
