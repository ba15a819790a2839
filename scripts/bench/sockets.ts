/**
 * `npm run bench:sockets [-- --clients 5000 --events 100]`: latency of live updates. Connects
 * `--clients` socket.io clients (WebSocket, as visitors) to one public challenge's room, casts
 * `--events` votes one after another through the votes service, and measures, for every client,
 * the time from the domain event (`idea.voted`, which the realtime server turns into an emit) to
 * the `idea:votes` message arriving at that client. Two set-ups:
 *   1. one app process;
 *   2. two app processes on one database, joined by the socket.io Redis adapter (and the
 *      cluster bus), the clients split evenly between them and every vote cast on the first.
 * Target (issue #17): p99 ≤ 250 ms at 5,000 clients over two processes (printed with PASS or MISS
 * for both set-ups; a MISS does not change the exit code, a lost message does). Beside the
 * latencies, the CPU time each app spends per vote and this process per delivery: on a busy
 * machine the latencies stretch with the load, the CPU times much less.
 *
 * Process layout: this process runs the clients and the embedded FerretDB (one engine, shared
 * by the app processes, with its data in a temporary directory); each app is a child process
 * (this file with `--role app`) listening on 127.0.0.1. Clocks: every process reads the
 * machine's monotonic clock (process.hrtime), one clock for all its processes. Not
 * performance.timeOrigin + performance.now(): each process fixes its time origin from the wall
 * clock when it starts, and two processes started seconds apart measured arrivals 26 ms before
 * their events after the wall clock was adjusted between their starts. The clients
 * share one event loop, so the latency includes the time this process takes to read every
 * client's message: the figures are an upper bound of what one browser would see.
 *
 * Bounded (clients ≤ 5,000, events ≤ 1,000, 10 s per event at most; one open file per client
 * in this process and in an app, checked before it starts), local only (127.0.0.1 and
 * a loopback Redis, BENCH_REDIS_URL, default redis://127.0.0.1:6379), and it cleans up: clients
 * closed, children stopped, engine stopped, temporary directory removed — at the end, on error
 * and on Ctrl-C.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { io as connectClient, type Socket } from 'socket.io-client';
import { createApp } from '../../src/app.ts';
import { createLocalBus, createRedisBus, type ClusterBus } from '../../src/cluster/bus.ts';
import { benchConfig } from './bench-config.ts';
import { connectDatabase, disconnectDatabase } from '../../src/db/connection.ts';
import { findFreePort, startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded-ferretdb.ts';
import '../../src/db/models.ts';
import { challengeInput } from '../../src/features/challenges/challenges.schemas.ts';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { createRealtimeForApp, type Realtime } from '../../src/realtime/realtime.ts';
import type { Actor } from '../../src/shared/actor.ts';
import { stopProcess } from '../../src/shared/child-processes.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { TYPESCRIPT_LOADER } from '../typescript-loader.ts';
import { boundedInt } from './harness.ts';

const TARGET_P99_MS = 250;
const EVENT_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 6 * 60_000;
const WARMUP_EVENTS = 5;
const CONNECT_BATCH = 50;

const now = () => Number(process.hrtime.bigint()) / 1e6;

type AppArgs = { db: string; seed: boolean; redis?: string; namespace?: string };
type ToApp = { type: 'vote' } | { type: 'cpu' };
type FromApp =
  { type: 'ready'; port: number; challengeId: string; ideaId: string } | { type: 'voted'; votes: number; at: number } | { type: 'failed'; message: string } | { type: 'cpu'; usage: NodeJS.CpuUsage };

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    clients: { type: 'string', default: '5000' },
    events: { type: 'string', default: '100' },
    db: { type: 'string' },
    seed: { type: 'boolean', default: false },
    redis: { type: 'string' },
    namespace: { type: 'string' },
  },
});

function assertLocal(url: string, what: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new Error(`refusing a non-local ${what}: ${url}`);
}

// ---------------------------------------------------------------------------------------------
// The app process (`--role app`): the real app and realtime server, as in production, plus a
// vote trigger over IPC. The first app seeds one public open challenge with one idea.

async function seedChallenge(services: ReturnType<typeof createApp>['services']) {
  const person = (name: string, roles: Actor['roles']): Actor => ({
    id: new mongoose.Types.ObjectId().toString(),
    name,
    email: `${randomUUID()}@bench.local`,
    roles,
    emailVerified: true,
    timezone: 'UTC',
  });
  const staff = person('Bench Staff', ['member', 'staff']);
  const day = 24 * 60 * 60 * 1000;
  const at = (days: number) => new Date(Date.now() + days * day).toISOString().slice(0, 16);
  const challengeId = await services.challenges.createChallenge(
    staff,
    challengeInput.parse({
      title: 'Live updates benchmark',
      summary: 'One idea, many watchers.',
      brief: 'Vote, and everyone sees the count change.',
      audience: 'public',
      submissionVisibility: 'open',
      // The crowd sees (and may vote for) a new idea at once, without a copilot's approval first.
      crowdSees: 'submitted',
      targetBacklog: 'product',
      timezone: 'UTC',
      start_open: at(1),
      start_curation: at(10),
      start_judging: at(20),
      start_decided: at(30),
      start_closed: at(40),
    }),
  );
  await services.challenges.movePhase(staff, challengeId, 'open', 'benchmark');
  const form = { idempotencyKey: randomUUID(), title: 'Watched by a thousand', summary: 'Its vote count moves.', body: 'Vote for me.', tags: '', intent: 'submit' };
  const { ideaId } = await services.ideas.createIdea(person('Bench Author', ['member']), challengeId, ideaInput.parse(form), form);
  return { challengeId, ideaId, voter: () => person('Bench Voter', ['member']) };
}

async function runApp(args: AppArgs): Promise<void> {
  const send = (message: FromApp) => process.send?.(message);
  let stop = async () => {};
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 10_000).unref();
    void stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('disconnect', shutdown);

  try {
    await connectDatabase(args.db);
    const port = await findFreePort();
    const config = await benchConfig(port, args.redis ? { REDIS_URL: args.redis } : {});
    const logger = createLogger('warn');
    const mailer = createMailer({ smtpUrl: undefined, from: config.mailFrom, logger });
    const clusterBus: ClusterBus = args.redis ? createRedisBus({ redisUrl: args.redis, logger, namespace: args.namespace ?? 'bench' }) : createLocalBus();
    const built = createApp({ config, logger, mailer, clusterBus });
    const { app, services, readModels, events } = built;
    await Promise.all([readModels.catalog.all(), readModels.board.warm()]);
    const server: Server = await new Promise((resolve, reject) => {
      const listening = app.listen(port, '127.0.0.1', (error) => (error ? reject(error) : resolve(listening)));
    });
    const realtime: Realtime = createRealtimeForApp(built, { httpServer: server, publicUrl: config.publicUrl, clusterBus, redisUrl: args.redis, redisNamespace: args.namespace, logger });
    await realtime.ready();
    stop = async () => {
      await realtime.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await clusterBus.close();
      await disconnectDatabase();
    };

    const seeded = args.seed ? await seedChallenge(services) : null;
    // The moment of the domain event: the realtime server emits from the same event, right after.
    events.on('idea.voted', ({ votes }) => {
      send({ type: 'voted', votes, at: now() });
    });
    process.on('message', (message: ToApp) => {
      if (message.type === 'cpu') return send({ type: 'cpu', usage: process.cpuUsage() });
      if (message.type !== 'vote' || !seeded) return;
      services.votes.castVote(seeded.voter(), seeded.ideaId).catch((error: unknown) => send({ type: 'failed', message: String(error) }));
    });
    send({ type: 'ready', port, challengeId: seeded?.challengeId ?? '', ideaId: seeded?.ideaId ?? '' });
  } catch (error) {
    console.error('bench app failed to start:', error);
    await stop().catch(() => undefined);
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------------------------
// The bench: clients, triggers, figures.

type StartedApp = { child: ChildProcess; url: string; challengeId: string; ideaId: string };
type Result = {
  name: string;
  clients: number;
  events: number;
  latencies: number[];
  lastArrivals: number[];
  lost: number;
  /** CPU time (user + system) over the measured votes: each app's (casting, broadcasting), and this process's (the clients reading). */
  cpuMs: { apps: number[]; clients: number };
  byApp: Array<{ url: string; latencies: number[] }>;
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const children: ChildProcess[] = [];
let clients: Socket[] = [];
let engine: EmbeddedDatabase | undefined;
let tmpDir: string | undefined;

function startApp(args: AppArgs): Promise<StartedApp> {
  const argv = ['--role', 'app', '--db', args.db, ...(args.seed ? ['--seed'] : []), ...(args.redis ? ['--redis', args.redis, '--namespace', args.namespace ?? 'bench'] : [])];
  const child = fork(fileURLToPath(import.meta.url), argv, {
    execArgv: [...TYPESCRIPT_LOADER],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`an app did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.on('message', (message: FromApp) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${message.port}`, challengeId: message.challengeId, ideaId: message.ideaId });
      } else if (message.type === 'failed') {
        console.error(`  a vote failed: ${message.message}`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`an app exited (code ${code})`));
    });
  });
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

function appCpuMs(app: StartedApp): Promise<number> {
  return new Promise((resolve) => {
    const listener = (message: FromApp) => {
      if (message.type !== 'cpu') return;
      app.child.off('message', listener);
      resolve(cpuMs(message.usage));
    };
    app.child.on('message', listener);
    app.child.send({ type: 'cpu' } satisfies ToApp);
  });
}

const stopChild = (child: ChildProcess) => stopProcess(child, 15_000);

function closeClients(): void {
  for (const socket of clients) socket.disconnect();
  clients = [];
}

/** `count` clients, spread evenly over the apps, each in the challenge's room. */
async function connectClients(count: number, urls: string[], room: string, onVotes: (appIndex: number, votes: number, at: number) => void): Promise<void> {
  for (let start = 0; start < count; start += CONNECT_BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(CONNECT_BATCH, count - start) }, async (_, offset) => {
        const appIndex = (start + offset) % urls.length;
        const url = urls[appIndex]!;
        assertLocal(url, 'app');
        const socket = connectClient(url, { transports: ['websocket'], extraHeaders: { origin: url }, reconnection: false, forceNew: true, timeout: 10_000 });
        clients.push(socket);
        socket.on('idea:votes', (payload: { votes: number }) => onVotes(appIndex, payload.votes, now()));
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('connect_error', reject);
        });
        const joined = (await socket.timeout(10_000).emitWithAck('join', room)) as boolean;
        if (!joined) throw new Error(`a client was refused ${room}`);
      }),
    );
  }
}

async function measure(name: string, apps: StartedApp[], clientCount: number, eventCount: number): Promise<Result> {
  const trigger = apps[0]!;
  const arrivals = new Map<number, Array<{ appIndex: number; at: number }>>();
  let waiting: { votes: number; resolve: () => void } | undefined;
  console.error(`  ${name}: connecting ${clientCount} clients…`);
  const connectStarted = Date.now();
  await connectClients(
    clientCount,
    apps.map((app) => app.url),
    `challenge:${trigger.challengeId}`,
    (appIndex, votes, at) => {
      const list = arrivals.get(votes) ?? [];
      list.push({ appIndex, at });
      arrivals.set(votes, list);
      if (waiting && waiting.votes === votes && list.length === clientCount) waiting.resolve();
    },
  );
  console.error(`  ${name}: ${clientCount} clients connected and joined in ${((Date.now() - connectStarted) / 1000).toFixed(1)} s; ${WARMUP_EVENTS} warm-up + ${eventCount} votes…`);

  const result: Result = {
    name,
    clients: clientCount,
    events: eventCount,
    latencies: [],
    lastArrivals: [],
    lost: 0,
    cpuMs: { apps: [], clients: 0 },
    byApp: apps.map((app) => ({ url: app.url, latencies: [] })),
  };
  let cpuAtStart: { apps: number[]; clients: NodeJS.CpuUsage } | undefined;
  for (let votes = 1; votes <= WARMUP_EVENTS + eventCount; votes++) {
    if (votes === WARMUP_EVENTS + 1) cpuAtStart = { apps: await Promise.all(apps.map(appCpuMs)), clients: process.cpuUsage() };
    const allArrived = new Promise<void>((resolve) => {
      waiting = { votes, resolve };
      if ((arrivals.get(votes)?.length ?? 0) === clientCount) resolve();
    });
    const voted = new Promise<number>((resolve, reject) => {
      const listener = (message: FromApp) => {
        if (message.type === 'voted' && message.votes === votes) {
          trigger.child.off('message', listener);
          resolve(message.at);
        } else if (message.type === 'voted') {
          reject(new Error(`expected vote count ${votes}, the app counted ${message.votes}`));
        }
      };
      trigger.child.on('message', listener);
    });
    trigger.child.send({ type: 'vote' } satisfies ToApp);
    let voteTimer: NodeJS.Timeout | undefined;
    const emittedAt = await Promise.race([
      voted,
      new Promise<never>((_, reject) => (voteTimer = setTimeout(() => reject(new Error(`vote ${votes} was not cast within ${EVENT_TIMEOUT_MS / 1000} s`)), EVENT_TIMEOUT_MS))),
    ]);
    clearTimeout(voteTimer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([allArrived, new Promise<void>((resolve) => (timer = setTimeout(resolve, EVENT_TIMEOUT_MS)))]);
    clearTimeout(timer);
    const got = arrivals.get(votes) ?? [];
    arrivals.delete(votes);
    if (votes <= WARMUP_EVENTS) continue;
    result.lost += clientCount - got.length;
    let last = 0;
    for (const { appIndex, at } of got) {
      const latency = at - emittedAt;
      result.latencies.push(latency);
      result.byApp[appIndex]!.latencies.push(latency);
      last = Math.max(last, latency);
    }
    result.lastArrivals.push(last);
    // A short pause: each vote is measured on its own, not queued behind the previous one.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const appsAtEnd = await Promise.all(apps.map(appCpuMs));
  result.cpuMs = { apps: appsAtEnd.map((ms, index) => ms - cpuAtStart!.apps[index]!), clients: cpuMs(process.cpuUsage(cpuAtStart!.clients)) };
  closeClients();
  return result;
}

function printResults(results: Result[]): void {
  const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');
  const header = ['set-up', 'clients', 'votes', 'deliveries', 'lost', 'p50 ms', 'p99 ms', 'max ms', 'all arrived p50 ms', 'all arrived p99 ms', `p99 ≤ ${TARGET_P99_MS} ms`];
  const rows = results.map((result) => {
    const sorted = [...result.latencies].sort((a, b) => a - b);
    const last = [...result.lastArrivals].sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    return [
      result.name,
      String(result.clients),
      String(result.events),
      String(result.latencies.length),
      String(result.lost),
      ms(percentile(sorted, 50)),
      ms(p99),
      ms(sorted[sorted.length - 1] ?? NaN),
      ms(percentile(last, 50)),
      ms(percentile(last, 99)),
      p99 <= TARGET_P99_MS && result.lost === 0 ? 'PASS' : 'MISS',
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  for (const result of results) {
    if (result.byApp.length < 2) continue;
    for (const [index, app] of result.byApp.entries()) {
      const sorted = [...app.latencies].sort((a, b) => a - b);
      console.log(
        `  ${result.name}, clients on app ${index + 1}${index === 0 ? ' (where the votes are cast)' : ' (through Redis)'}: ${sorted.length} deliveries, p50 ${ms(percentile(sorted, 50))} ms, p99 ${ms(percentile(sorted, 99))} ms`,
      );
    }
  }
  for (const result of results) {
    const perVote = result.cpuMs.apps.map((total, index) => `app ${index + 1} ${ms(total / result.events)} ms`).join(', ');
    const perDelivery = ((result.cpuMs.clients * 1000) / Math.max(1, result.latencies.length)).toFixed(0);
    console.log(`  ${result.name}, CPU per vote: ${perVote} (casting and broadcasting); the clients' process ${perDelivery} µs per delivery`);
  }
  console.log(
    `(latency: from the idea.voted domain event in the app to the idea:votes message at each client; "all arrived": until the last of the ${results[0]?.clients ?? 0} clients had it, per vote)`,
  );
}

/** Sockets, connections to the engine and Redis, the app's own files, beside one file per client. */
const OPEN_FILES_BESIDE_CLIENTS = 500;

/**
 * Every client is an open file in this process and in the app it connects to (all of them, in the
 * one-process set-up). Node raises its soft limit to the hard one as it starts, so the hard limit
 * (`ulimit -Hn`) is what counts: many machines allow 1,024 and the bench would die of EMFILE
 * halfway through connecting. Read from Linux's /proc (elsewhere: not checked).
 */
async function assertOpenFilesFor(clientCount: number): Promise<void> {
  const limits = await readFile('/proc/self/limits', 'utf8').catch(() => '');
  const allowed = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1] ?? NaN);
  const needed = clientCount + OPEN_FILES_BESIDE_CLIENTS;
  if (allowed < needed) {
    throw new Error(
      `${clientCount} clients need about ${needed} open files per process, and this shell allows ${allowed}: raise the limit (as root: \`ulimit -n ${needed}\` before the command; a service: LimitNOFILE=) or pass fewer --clients`,
    );
  }
}

let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    closeClients();
    await Promise.all(children.map(stopChild));
    await engine?.stop().catch(() => undefined);
    if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
  })();
  return cleaning;
}

async function main(): Promise<void> {
  const clientCount = boundedInt('clients', values.clients!, 1, 5000);
  const eventCount = boundedInt('events', values.events!, 1, 1000);
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  assertLocal(redisUrl, 'Redis');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping the apps and the database, removing ${tmpDir ?? 'the temporary directory'}…`);
      void cleanUp().finally(() => process.exit(128 + os.constants.signals[signal]));
    });
  }
  const results: Result[] = [];
  try {
    await assertOpenFilesFor(clientCount);
    tmpDir = await mkdtemp(path.join(os.tmpdir(), 'cocreate-bench-sockets-'));
    console.error('  starting the embedded database…');
    engine = await startEmbeddedDatabase({ dataDir: path.join(tmpDir, 'db') });

    const single = await startApp({ db: engine.uri('bench_sockets_one'), seed: true });
    results.push(await measure('1 process', [single], clientCount, eventCount));
    await stopChild(single.child);

    const namespace = `bench-${randomUUID()}`;
    const db = engine.uri('bench_sockets_two');
    const first = await startApp({ db, seed: true, redis: redisUrl, namespace });
    const second = await startApp({ db, seed: false, redis: redisUrl, namespace });
    results.push(await measure('2 processes + Redis', [first, { ...second, challengeId: first.challengeId, ideaId: first.ideaId }], clientCount, eventCount));

    printResults(results);
    if (results.some((result) => result.lost > 0)) process.exitCode = 1;
  } catch (error) {
    console.error('bench failed:', error);
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}

if (values.role === 'app') {
  if (!values.db) throw new Error('--role app needs --db');
  assertLocal(values.db.replace(/^mongodb:/, 'http:'), 'database');
  void runApp({ db: values.db, seed: values.seed ?? false, redis: values.redis, namespace: values.namespace });
} else {
  await main();
}
