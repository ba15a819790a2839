/**
 * `npx tsx scripts/bench/write-ops.ts [--ideas 200] [--where]`: how many database operations each
 * write of issue #17 costs (idea submission, vote, comment, screening decision), with everything
 * it sets off, counted rather than timed, so the figure does not depend on a busy machine.
 *
 * The app runs as server.ts runs it (production config, the outbox consumed, the change log
 * appended, realtime listening) on a fresh embedded FerretDB holding the demo data and a large
 * challenge of `--ideas` submitted ideas, curated by the demo copilot. Each write goes through
 * HTTP as the person who makes it, once to warm up and once counted; the count runs until the
 * in-process subscribers and the outbox's consumers are idle (no operation for 300 ms). Every
 * command the driver sends is counted (the driver's command monitoring: Mongoose's models, the
 * session store and anything else alike), by collection and operation, and marked "scan" when its
 * filter does not name one `_id` (the embedded engine then reads the whole collection). The
 * outbox's timer and the change log's tail are slowed to once an hour so their idle rounds stay
 * out of the count; what they do for a write (the outbox's consumers) is run at once instead.
 *
 * --cpu <n>: then sends <n> more of each write, one after the other, waits for their consumers,
 *   and prints the CPU time per write of this process (the app, and the HTTP client
 *   sending the writes) and of the database engine, from /proc: a figure that a busy machine
 *   bends far less than requests per second (compare runs of one machine, not machines), and the
 *   database operations per write over them.
 * --parallel <k>: sends those <n> writes <k> at a time, as concurrent users do (what one write's
 *   operations share with others arriving meanwhile shows in the operations per write).
 * --where: also lists, per operation of the counted writes, the source line that asked for it
 *   (from Mongoose's debug hook; operations the driver sends for other code show as "(driver)"),
 *   and with --cpu the operations per write of those writes by collection and operation (what
 *   concurrent writes share shows there).
 * --followers <n>: <n> of the large challenge's 200 authors follow it, as authors who submitted
 *   through the app do (the seed inserts their ideas directly): each submission tells them, and
 *   the decisions are counted with the challenge's crowd seeing ideas once approved, so that each
 *   approval tells them too (with 200 followers a decision cost 1,029 operations before each
 *   follower's notice took one write). Their first notice is the warm-up's; the counted writes
 *   fold into it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { createApp } from '../../src/app.ts';
import { createChangeLog } from '../../src/cluster/change-log.ts';
import { createOutbox } from '../../src/cluster/outbox.ts';
import { connectDatabase, disconnectDatabase } from '../../src/db/connection.ts';
import { findFreePort, startEmbeddedDatabase } from '../../src/db/embedded-ferretdb.ts';
import '../../src/db/models.ts';
import { LARGE_CHALLENGE_ID, seedLargeChallenge } from '../../src/db/seed-challenges.ts';
import { DEMO_PASSWORD, seedDemoData } from '../../src/db/seed.ts';
import { hashPassword } from '../../src/features/accounts/passwords.ts';
import { User } from '../../src/features/accounts/user.model.ts';
import { Challenge } from '../../src/features/challenges/challenge.model.ts';
import { Followers, followersId } from '../../src/features/community/follow.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { createRealtimeForApp } from '../../src/realtime/realtime.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createHttpServer, listen } from '../../src/web/http-server.ts';
import { benchConfig } from './bench-config.ts';
import { csrfFrom, signIn } from './session.ts';

const { values } = parseArgs({
  options: {
    ideas: { type: 'string', default: '200' },
    where: { type: 'boolean', default: false },
    cpu: { type: 'string', default: '0' },
    parallel: { type: 'string', default: '1' },
    followers: { type: 'string', default: '0' },
  },
});
const followerCount = Number(values.followers);
if (!Number.isInteger(followerCount) || followerCount < 0 || followerCount > 200) throw new Error('--followers takes a whole number from 0 to 200 (the large challenge has 200 authors)');
const ideaCount = Number(values.ideas);
const cpuWrites = Number(values.cpu);
const parallel = Number(values.parallel);
if (!Number.isInteger(parallel) || parallel < 1 || parallel > 100) throw new Error('--parallel takes a whole number from 1 to 100');
if (!Number.isInteger(ideaCount) || ideaCount < 10 || ideaCount > 20_000) throw new Error('--ideas takes a whole number from 10 to 20000');
// Votes take the newest ideas and decisions the oldest: each needs its own, two more for the warm-up and the count.
if (!Number.isInteger(cpuWrites) || cpuWrites < 0 || 2 * (cpuWrites + 2) > ideaCount) throw new Error('--cpu takes a whole number of writes, at most (--ideas)/2 − 2');

const HOUR = 3_600_000;
/** Commands of the connection itself, not of any write. */
const UNCOUNTED = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'buildInfo', 'saslStart', 'saslContinue']);
/** The outbox's lease, renewed every 7.5 s whatever is written: not a cost of the write that happens to run then. */
const PERIODIC = new Set(['leases']);

type Phase = 'request' | 'after';
type Counted = { request: number; after: number };

/** The collection a command reads or writes, and its filters (one per statement). */
function describe(name: string, command: Record<string, unknown>): { collection: string; filters: unknown[] | null } {
  const collection = String(command[name] ?? command.collection ?? '');
  switch (name) {
    case 'find':
      return { collection, filters: [command.filter ?? {}] };
    case 'count':
    case 'distinct':
    case 'findAndModify':
      return { collection, filters: [command.query ?? {}] };
    case 'update':
      return { collection, filters: (command.updates as Array<{ q: unknown }>).map((statement) => statement.q) };
    case 'delete':
      return { collection, filters: (command.deletes as Array<{ q: unknown }>).map((statement) => statement.q) };
    case 'aggregate':
      return { collection, filters: [((command.pipeline as Array<Record<string, unknown>>)[0]?.$match as unknown) ?? {}] };
    default:
      return { collection, filters: null };
  }
}

/** True when the filter names one `_id` (a string or ObjectId): the one lookup the embedded engine serves from an index. */
function byId(filter: unknown): boolean {
  const id = (filter as Record<string, unknown> | null)?._id;
  if (id === undefined || id === null) return false;
  return typeof id !== 'object' || (id as { _bsontype?: string })._bsontype === 'ObjectId';
}

function operationOf(name: string, command: Record<string, unknown>): string {
  const { collection, filters } = describe(name, command);
  if (!filters) return `${collection.padEnd(24)} ${name}`;
  const scans = filters.filter((filter) => !byId(filter)).length;
  const how = scans === 0 ? 'by _id' : scans === filters.length ? 'SCAN' : `${scans} of ${filters.length} SCAN`;
  return `${collection.padEnd(24)} ${name} ${how}`;
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cocreate-write-ops-'));
const engine = await startEmbeddedDatabase({ dataDir: path.join(dataDir, 'db') });
let close = async () => {};
try {
  await connectDatabase(engine.uri('bench'), { monitorCommands: true });
  const port = await findFreePort();
  const config = await benchConfig(port, { DATA_DIR: dataDir });
  console.error(`Seeding the demo and ${ideaCount} submitted ideas…`);
  await seedDemoData({ passwordHashCost: config.passwordHashCost });
  await seedLargeChallenge(ideaCount, await hashPassword(DEMO_PASSWORD, config.passwordHashCost));
  const copilotUser = await User.findOne({ email: 'copilot@demo.cocreate.local' }, { _id: 1 }).lean();
  await Challenge.updateOne({ _id: LARGE_CHALLENGE_ID }, { $addToSet: { copilotIds: copilotUser!._id } });
  if (followerCount > 0) {
    const crowd = Array.from({ length: followerCount }, (_, i) => `crowd-${i}@demo.cocreate.local`);
    const followers = await User.find({ email: mongoose.trusted({ $in: crowd }) }, { _id: 1 }).lean();
    await Followers.updateOne({ _id: followersId('challenge', String(LARGE_CHALLENGE_ID)) }, { $addToSet: { userIds: { $each: followers.map((user) => user._id) } } }, { upsert: true });
  }
  const waiting = await Idea.find({ challengeId: LARGE_CHALLENGE_ID, status: 'submitted' }, { _id: 1, submittedAt: 1 }).lean();
  waiting.sort((a, b) => a.submittedAt!.getTime() - b.submittedAt!.getTime() || String(a._id).localeCompare(String(b._id)));
  const ids = waiting.map((idea) => String(idea._id));

  const logger = createLogger('silent');
  const built = createApp({
    config,
    logger,
    mailer: createMailer({ smtpUrl: undefined, from: config.mailFrom, logger }),
    outbox: (events) => createOutbox({ events, logger, pollMs: HOUR }),
    changeLog: createChangeLog({ logger, intervalMs: HOUR }),
  });
  await built.readModelSync.start();
  built.outbox.start();
  await Promise.all([built.readModels.board.warm(), built.readModels.catalog.all()]);
  const server = createHttpServer(built.app);
  await listen(server, port, '127.0.0.1');
  const realtime = createRealtimeForApp(built, { httpServer: server, publicUrl: config.publicUrl, logger });
  await realtime.ready();
  close = async () => {
    built.readModelSync.stop();
    await built.outbox.stop();
    await realtime.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };

  console.error('App ready; signing in…');
  const app = `http://127.0.0.1:${port}`;
  const as = (name: string) => signIn(app, `${name}@demo.cocreate.local`, DEMO_PASSWORD);
  const [member, copilot, commenter, submitter] = [await as('member'), await as('copilot'), await as('crowd-1'), await as('crowd-2')];
  const large = `/challenges/${String(LARGE_CHALLENGE_ID)}`;
  const form = async (session: typeof member, page: string) => {
    const answer = await session.request(page);
    if (answer.status !== 200) throw new Error(`${page} answered ${answer.status}`);
    return csrfFrom(answer.body, page);
  };
  const csrf = {
    member: await form(member, `/ideas/${ids[ids.length - 1]!}`),
    copilot: await form(copilot, `${large}/curation`),
    commenter: await form(commenter, `/ideas/${ids[ids.length - 1]!}`),
    submitter: await form(submitter, `${large}/ideas/new`),
  };
  let submitted = 0;
  let voted = 0;
  let commented = 0;
  let decided = 0;
  const writes = [
    {
      label: 'idea submission',
      session: submitter,
      status: 303,
      path: () => `${large}/ideas`,
      body: () => {
        submitted++;
        return {
          _csrf: csrf.submitter,
          intent: 'submit',
          idempotencyKey: `write-ops-${Date.now()}-${submitted}`,
          title: `Counted idea ${submitted}`,
          summary: 'Submitted by write-ops.',
          body: 'Counted.',
          tags: 'bench',
          acceptTerms: 'on',
        };
      },
    },
    { label: 'vote', session: member, status: 200, path: () => `/ideas/${ids[ids.length - 1 - voted++]!}/vote`, body: () => ({ _csrf: csrf.member }) },
    {
      label: 'comment',
      session: commenter,
      status: 303,
      path: () => `/ideas/${ids[ids.length - 1 - commented++]!}/comments`,
      body: () => ({ _csrf: csrf.commenter, body: 'A comment from write-ops.' }),
    },
    {
      label: 'screening decision',
      session: copilot,
      status: 200,
      // Where the crowd sees ideas once approved, an approval is what tells the followers (see --followers).
      prepare: async () => {
        if (followerCount === 0) return;
        await Challenge.updateOne({ _id: LARGE_CHALLENGE_ID }, { $set: { crowdSees: 'approved' } });
        await built.readModels.catalog.refresh(String(LARGE_CHALLENGE_ID));
      },
      path: () => `${large}/curation/ideas/${ids[decided++]!}/decision`,
      body: () => ({ _csrf: csrf.copilot, kind: 'approve' }),
    },
  ];

  let phase: Phase | undefined;
  let total = 0;
  let periodic = 0;
  let tally = new Map<string, Counted>();
  let sources = new Map<string, number>();
  // With --where: the operations of the --cpu writes, by collection and operation.
  let loadTally: Map<string, number> | undefined;
  mongoose.connection.getClient().on('commandStarted', (event) => {
    if (UNCOUNTED.has(event.commandName)) return;
    // Every operation, counted or not, tells `idle` that something still runs.
    total++;
    if (loadTally && !PERIODIC.has(describe(event.commandName, event.command as Record<string, unknown>).collection)) {
      const key = operationOf(event.commandName, event.command as Record<string, unknown>);
      loadTally.set(key, (loadTally.get(key) ?? 0) + 1);
    }
    if (!phase) return;
    if (PERIODIC.has(describe(event.commandName, event.command as Record<string, unknown>).collection)) {
      periodic++;
      return;
    }
    const key = operationOf(event.commandName, event.command as Record<string, unknown>);
    const counted = tally.get(key) ?? { request: 0, after: 0 };
    counted[phase]++;
    tally.set(key, counted);
  });
  if (values.where) {
    mongoose.set('debug', (collection: string, method: string) => {
      if (!phase) return;
      // The first frame of our own code that is not the database layer itself.
      const frame = new Error().stack
        ?.split('\n')
        .find((line) => line.includes('/src/') && !line.includes('node_modules') && !line.includes('/src/db/connection.ts'))
        ?.trim()
        .replace(/^at (async )?/, '')
        .replace(/\(?file:\/\/\S*?\/src\//, 'src/')
        .replace(/\)$/, '');
      const key = `${collection}.${method} ← ${frame ?? '(no frame of src/)'}`;
      sources.set(key, (sources.get(key) ?? 0) + 1);
    });
  }

  /**
   * Until the subscribers and the outbox's consumers have nothing left to do: no operation for a
   * while. The outbox runs its rounds as the server's does, woken by the writes (calling its
   * `catchUp` here would add a read of its head to every count).
   */
  async function idle(): Promise<void> {
    for (;;) {
      const before = total;
      await built.events.settled();
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (total === before) return;
    }
  }

  async function send(write: (typeof writes)[number]): Promise<void> {
    const answer = await write.session.request(write.path(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: write.status === 200 ? 'application/json' : 'text/html' },
      body: new URLSearchParams(write.body()).toString(),
    });
    if (answer.status !== write.status) throw new Error(`${write.label} answered ${answer.status}, not ${write.status}: ${answer.body.slice(0, 300)}`);
  }

  /** CPU time so far, ms: this process, and the engine's process (utime + stime from /proc, in clock ticks of 10 ms). */
  async function cpuMs(): Promise<{ app: number; engine: number }> {
    const usage = process.cpuUsage();
    const stat = (await readFile(`/proc/${engine.pid()}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return { app: (usage.user + usage.system) / 1000, engine: (Number(stat[11]) + Number(stat[12])) * 10 };
  }

  const summary: Array<{ label: string; request: number; after: number; scans: number; cpu?: { app: number; engine: number; operations: number } }> = [];
  for (const write of writes) {
    console.error(`Counting ${write.label}…`);
    await write.prepare?.();
    await send(write);
    await idle();
    tally = new Map();
    sources = new Map();
    phase = 'request';
    await send(write);
    phase = 'after';
    await idle();
    phase = undefined;
    const rows = [...tally].sort(([a], [b]) => a.localeCompare(b));
    const sum = (pick: (counted: Counted) => number) => rows.reduce((all, [, counted]) => all + pick(counted), 0);
    const scans = rows.filter(([key]) => key.includes('SCAN')).reduce((all, [, counted]) => all + counted.request + counted.after, 0);
    summary.push({ label: write.label, request: sum((c) => c.request), after: sum((c) => c.after), scans });
    console.log(`\n${write.label}: ${sum((c) => c.request + c.after)} operations (${sum((c) => c.request)} before the answer, ${sum((c) => c.after)} after it), ${scans} of them scans`);
    console.log(`  ${'collection'.padEnd(24)} ${'operation'.padEnd(30)} request  after`);
    for (const [key, counted] of rows) {
      const [collection, ...operation] = key.split(/ +/);
      console.log(`  ${collection!.padEnd(24)} ${operation.join(' ').padEnd(30)} ${String(counted.request).padStart(7)} ${String(counted.after).padStart(6)}`);
    }
    if (values.where) for (const [key, count] of [...sources].sort(([a], [b]) => a.localeCompare(b))) console.log(`    ${String(count).padStart(2)} × ${key}`);
    if (cpuWrites > 0) {
      const start = await cpuMs();
      const operationsBefore = total;
      let left = cpuWrites;
      const sender = async () => {
        while (left > 0) {
          left--;
          await send(write);
        }
      };
      if (values.where) loadTally = new Map();
      await Promise.all(Array.from({ length: parallel }, sender));
      await idle();
      const end = await cpuMs();
      if (loadTally) {
        console.log(`  over the ${cpuWrites} more, ${parallel} at a time, per write:`);
        for (const [key, count] of [...loadTally].sort(([a], [b]) => a.localeCompare(b))) console.log(`    ${key.padEnd(48)} ${(count / cpuWrites).toFixed(2).padStart(6)}`);
        loadTally = undefined;
      }
      // One wait for the consumers at the end: the engine's own CPU while idle stays out (but for one wait's 300 ms).
      summary.at(-1)!.cpu = { app: (end.app - start.app) / cpuWrites, engine: (end.engine - start.engine) / cpuWrites, operations: (total - operationsBefore) / cpuWrites };
    }
  }
  if (periodic) console.log(`\n(Not counted above: ${periodic} renewal(s) of the outbox's lease, which happen every 7.5 s whatever is written.)`);
  console.log(`\n${'write'.padEnd(20)} request  after  total  scans${cpuWrites > 0 ? `  CPU ms/write over ${cpuWrites}, ${parallel} at a time: app  engine  both  operations/write` : ''}`);
  for (const row of summary) {
    const cpu = row.cpu
      ? `  ${' '.repeat(33)}${row.cpu.app.toFixed(1).padStart(6)} ${row.cpu.engine.toFixed(1).padStart(7)} ${(row.cpu.app + row.cpu.engine).toFixed(1).padStart(5)} ${row.cpu.operations.toFixed(1).padStart(17)}`
      : '';
    console.log(`${row.label.padEnd(20)} ${String(row.request).padStart(7)} ${String(row.after).padStart(6)} ${String(row.request + row.after).padStart(6)} ${String(row.scans).padStart(6)}${cpu}`);
  }
  console.log(
    `Load average (1, 5, 15 min) at the end: ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')} on ${os.cpus().length} CPUs.`,
  );
} finally {
  await close();
  await disconnectDatabase();
  await engine.stop();
  await rm(dataDir, { recursive: true, force: true });
}
