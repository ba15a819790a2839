/**
 * What the load benchmarks (`pages.ts`, `challenge-page.ts`, `queue.ts`) share: the command-line options,
 * the servers under test as child processes, bounded autocannon runs against 127.0.0.1, the
 * result table, and one temporary directory removed at the end, on error and on Ctrl-C.
 *
 * Process layout, and why: the bench process is only the load generator (autocannon). The real
 * app (with its embedded FerretDB) and the bare app each run in a child process (app-server.ts,
 * bare-*.ts). On a 2-core machine a load generator sharing the server's event loop would
 * measure mostly itself; as separate processes they get a core each (the OS schedules them), so
 * the server's throughput is limited by its own work. Both apps run in the same conditions
 * (NODE_ENV=production, one process each, 127.0.0.1), and the one not under test is idle.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { stopProcess } from '../../src/shared/child-processes.ts';
import { TYPESCRIPT_LOADER } from '../typescript-loader.ts';
import type { ReadyMessage } from './serve.ts';
import type { Stalls, StallsAnswer, StallsRequest } from './stalls.ts';

export type BenchOptions = { duration: number; connections: number; warmup: number };

export function boundedInt(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max} (got "${value}")`);
    process.exit(2);
  }
  return n;
}

/**
 * `--duration 10 --connections 50 --warmup 3`, plus the bench's own string options (`extra`:
 * their names), returned as they were given. Unknown options stop the process.
 */
export function parseBenchArgs(extra: string[] = []): { options: BenchOptions; extra: Record<string, string | undefined> } {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '3' },
      ...Object.fromEntries(extra.map((name) => [name, { type: 'string' as const }])),
    },
  });
  const text = (name: string) => (values as Record<string, string | boolean | undefined>)[name] as string | undefined;
  return {
    options: {
      duration: boundedInt('duration', text('duration')!, 1, 300),
      connections: boundedInt('connections', text('connections')!, 1, 1000),
      warmup: boundedInt('warmup', text('warmup')!, 0, 60),
    },
    extra: Object.fromEntries(extra.map((name) => [name, text(name)])),
  };
}

// The first start may build the database engine (about 3 minutes, then cached); a bench may
// also seed before it is ready (10,000 ideas: about 30 s; with bench:all's story, minutes on a busy machine).
const START_TIMEOUT_MS = 12 * 60_000;
/**
 * Before each run, every server under test (with its database engine) is let finish what the runs
 * before it set off (a write run leaves the outbox's consumers catching up for seconds): idle means
 * under IDLE_SHARE of one core over IDLE_SAMPLE_MS. Waiting is fair; skipping that work is not, and
 * the runs of writes still pay for it while it keeps up with them. Bounded, and the wait is reported.
 */
const IDLE_SAMPLE_MS = 500;
const IDLE_SHARE = 0.05;
const IDLE_WAIT_MAX_MS = 60_000;
/** A write run's side effects may take longer than the wait before a run allows: up to this. */
const SETTLE_MAX_MS = 300_000;
const CHILD_STOP_TIMEOUT_MS = 15_000;

/**
 * `cpuMsPerRequest`: CPU time (user + system, all threads) per response of the measured run, of
 * the server process and its child processes (the app's embedded database engine); null where
 * /proc is missing.
 */
/** What a run sends besides a plain GET of its URL (a POST with a body, a path per request, a cap). */
export type LoadRequest = Pick<autocannon.Options, 'method' | 'body' | 'requests' | 'maxOverallRequests'>;

export type MeasureOptions = {
  /** Sent with every request, and with the fetch that sizes the page (a signed-in session's cookie). */
  headers?: Record<string, string>;
  /** Made afresh before each run (warm-up, measured), so a run may depend on what the runs before it used. */
  request?: () => LoadRequest;
  /** The response's size, given when fetching the URL once would change what is measured (a POST). */
  bodyBytes?: number;
  /** This run's own lengths in seconds (default: the bench's --duration and --warmup). */
  duration?: number;
  warmup?: number;
  /**
   * A write: its run lasts until the servers are idle again, so the time and CPU of every side
   * effect its requests set off (the outbox's consumers: notifications, counters, webhooks) count
   * in its figures, not only the requests' own; the warm-up's side effects are done before it starts.
   */
  settle?: boolean;
};

/** `stalls`: the server's event-loop delay and garbage collection over the measured run (stalls.ts). */
export type Row = {
  name: string;
  path: string;
  result: autocannon.Result;
  body: number;
  cpuMsPerRequest: number | null;
  engineMsPerRequest: number | null;
  stalls: Stalls | null;
  /** How long the run waited for the servers to finish earlier work (see IDLE_SHARE). */
  waitedMs: number;
  /** With `settle`: how long after its last request the servers took to finish what the run set off (0 otherwise). */
  settledMs: number;
};

let clockTicks: number | undefined;

/** CPU time one process has used so far, in ms (Linux /proc; null when it cannot be read). */
export async function processCpuMs(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!stat) return null;
  // Fields after "pid (command)": state is field 3, utime and stime fields 14 and 15, in clock ticks.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

/** The live child processes of a process (Linux /proc, every thread's list). */
async function childPids(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(tasks.map((task) => readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '')));
  return lists.flatMap((list) => list.split(' ').filter(Boolean).map(Number));
}

/**
 * CPU time a process and its descendants have used so far, in ms, by pid (null when /proc is
 * missing). Unlike req/s, CPU per request hardly changes when other work on the machine takes
 * turns on its cores.
 */
async function treeCpuMs(pid: number | undefined): Promise<Map<number, number> | null> {
  if (pid === undefined) return null;
  const own = await processCpuMs(pid);
  if (own === null) return null;
  const times = new Map([[pid, own]]);
  for (const child of await childPids(pid)) for (const [descendant, ms] of (await treeCpuMs(child)) ?? []) times.set(descendant, ms);
  return times;
}

/**
 * CPU used between two readings, by the processes alive at both (a process may come or go): all
 * of them, and the descendants of `root` alone (the app's database engine).
 */
function cpuBetween(root: number | undefined, before: Map<number, number> | null, after: Map<number, number> | null): { all: number; descendants: number } | null {
  if (!before || !after) return null;
  let all = 0;
  let descendants = 0;
  for (const [pid, end] of after) {
    const used = end - (before.get(pid) ?? end);
    all += used;
    if (pid !== root) descendants += used;
  }
  return { all, descendants };
}

export function createBench(options: BenchOptions) {
  const { duration, connections, warmup } = options;
  const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
  const children: ChildProcess[] = [];
  const childByPort = new Map<number, ChildProcess>();
  let tmpDir: string | undefined;
  let currentLoad: autocannon.Instance | undefined;

  /** Forks a server under test and resolves with the port it reports once listening (`stdout`: see below). */
  function startServer(file: string, argv: string[], env: Record<string, string> = {}, stdout: 'inherit' | number = 'inherit'): Promise<number> {
    const child = fork(here(file), argv, {
      // Plain node (not the tsx CLI): signals and IPC go straight to the child.
      execArgv: [...TYPESCRIPT_LOADER],
      env: { ...process.env, ...env, NODE_ENV: 'production' },
      // `stdout`: a file descriptor to take the child's output (its log lines) instead of ours.
      stdio: ['ignore', stdout, 'inherit', 'ipc'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${file} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      child.once('message', (message: ReadyMessage) => {
        clearTimeout(timer);
        childByPort.set(message.port, child);
        resolve(message.port);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${file} exited during start (code ${code})`));
      });
    });
  }

  const stopServer = (child: ChildProcess) => stopProcess(child, CHILD_STOP_TIMEOUT_MS);

  let cleaning: Promise<void> | undefined;
  /** Idempotent: runs once whether reached by the normal end, an error or a signal. */
  function cleanUp(): Promise<void> {
    cleaning ??= (async () => {
      currentLoad?.stop();
      await Promise.all(children.map(stopServer));
      if (!tmpDir) return;
      // If the app child had to be killed, its engine may still run: embedded-ferretdb.ts keeps the
      // engine's pid in ferretdb.json until it stops it. Stop that one process before deleting its
      // files, after checking (Linux /proc) that the pid is still an engine on this directory.
      const state = await readFile(path.join(tmpDir, 'db', 'ferretdb.json'), 'utf8').catch(() => undefined);
      const pid = state ? (JSON.parse(state) as { pid?: unknown }).pid : undefined;
      const command = typeof pid === 'number' ? await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '') : '';
      if (typeof pid === 'number' && command.includes(tmpDir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await rm(tmpDir, { recursive: true, force: true });
    })();
    return cleaning;
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping the servers and removing ${tmpDir ?? 'the temporary directory'}…`);
      void cleanUp().finally(() => process.exit(128 + os.constants.signals[signal]));
    });
  }

  /** One bounded autocannon run (`seconds` long; stopped by a watchdog if it overruns). */
  function load(url: string, seconds: number, request: LoadRequest & { headers?: Record<string, string> } = {}): Promise<autocannon.Result> {
    if (!url.startsWith('http://127.0.0.1:')) throw new Error(`refusing to load a non-local target: ${url}`);
    // After Ctrl-C the stopped run resolves early: do not let the next run start.
    if (cleaning) return Promise.reject(new Error('stopping'));
    return new Promise((resolve, reject) => {
      let watchdog: NodeJS.Timeout | undefined;
      const instance = autocannon({ url, connections, duration: seconds, timeout: 10, ...request }, (error, result) => {
        clearTimeout(watchdog);
        currentLoad = undefined;
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(result);
      });
      watchdog = setTimeout(() => instance.stop(), (seconds + 30) * 1000);
      currentLoad = instance;
    });
  }

  /** Waits until no server under test is busy (see IDLE_SHARE); how long it waited, in ms. */
  async function waitForIdle(maxMs = IDLE_WAIT_MAX_MS): Promise<number> {
    const started = Date.now();
    const pids = children.map((child) => child.pid).filter((pid) => pid !== undefined);
    const busy = async () => {
      const sum = async () => (await Promise.all(pids.map(treeCpuMs))).reduce((all, times) => all + [...(times ?? new Map<number, number>()).values()].reduce((a, b) => a + b, 0), 0);
      const before = await sum();
      await new Promise((resolve) => setTimeout(resolve, IDLE_SAMPLE_MS));
      return (await sum()) - before > IDLE_SAMPLE_MS * IDLE_SHARE;
    };
    while ((await busy()) && Date.now() - started < maxMs);
    return Date.now() - started;
  }

  /** The page's HTML, which must come with a 200. */
  async function fetchPage(url: string, headers: Record<string, string> = {}): Promise<string> {
    if (!url.startsWith('http://127.0.0.1:')) throw new Error(`refusing to fetch a non-local target: ${url}`);
    const response = await fetch(url, { headers });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}, not 200`);
    return body;
  }

  /** Asks a server under test about its stalls (serve.ts): `reset` starts a run's figures, `read` answers them. */
  function askStalls(child: ChildProcess | undefined, request: StallsRequest['stalls']): Promise<Stalls | null> {
    if (!child?.connected) return Promise.resolve(null);
    return new Promise((resolve) => {
      if (request === 'read') {
        const answered = (message: Partial<StallsAnswer>) => {
          if (!message.stalls) return;
          child.off('message', answered);
          resolve(message.stalls);
        };
        child.on('message', answered);
      }
      child.send({ stalls: request } satisfies StallsRequest, () => request === 'reset' && resolve(null));
    });
  }

  async function bodyBytes(url: string, headers: Record<string, string> = {}): Promise<number> {
    return Buffer.byteLength(await fetchPage(url, headers));
  }

  async function measure(name: string, base: string, pathname: string, options: MeasureOptions = {}): Promise<Row> {
    const url = base + pathname;
    const body = options.bodyBytes ?? (await bodyBytes(url, options.headers));
    const request = () => ({ ...(options.headers && { headers: options.headers }), ...options.request?.() });
    const warmupSeconds = options.warmup ?? warmup;
    const seconds = options.duration ?? duration;
    const waitedMs = await waitForIdle();
    if (waitedMs > IDLE_SAMPLE_MS) console.error(`  ${name} ${pathname}: waited ${(waitedMs / 1000).toFixed(1)} s for the servers to finish earlier work`);
    if (warmupSeconds > 0) {
      console.error(`  ${name} ${pathname}: warm-up ${warmupSeconds} s…`);
      await load(url, warmupSeconds, request());
      if (options.settle) await waitForIdle(SETTLE_MAX_MS);
    }
    console.error(`  ${name} ${pathname}: measuring ${seconds} s, ${connections} connections…`);
    const child = childByPort.get(Number(new URL(base).port));
    const pid = child?.pid;
    const cpuBefore = await treeCpuMs(pid);
    await askStalls(child, 'reset');
    const result = await load(url, seconds, request());
    // The last half-second sample of the wait is the one found idle: not part of the work.
    const settledMs = options.settle ? Math.max(0, (await waitForIdle(SETTLE_MAX_MS)) - IDLE_SAMPLE_MS) : 0;
    if (settledMs > 0) console.error(`  ${name} ${pathname}: its side effects were done ${(settledMs / 1000).toFixed(1)} s after its last request`);
    const stalls = await askStalls(child, 'read');
    const cpuUsed = cpuBetween(pid, cpuBefore, await treeCpuMs(pid));
    const perResponse = (ms: number | undefined) => (ms !== undefined && result.requests.total > 0 ? ms / result.requests.total : null);
    return { name, path: pathname, result, body, cpuMsPerRequest: perResponse(cpuUsed?.all), engineMsPerRequest: perResponse(cpuUsed?.descendants), stalls, waitedMs, settledMs };
  }

  /**
   * Runs `main` with a fresh temporary directory, then stops the servers and removes the
   * directory whatever happened. An error sets exit code 1.
   */
  async function run(main: (tmpDir: string) => Promise<void>): Promise<void> {
    try {
      tmpDir = await mkdtemp(path.join(os.tmpdir(), 'cocreate-bench-'));
      await main(tmpDir);
    } catch (error) {
      // After Ctrl-C, what was under way fails as its servers stop: that is not news.
      if (!cleaning) console.error('bench failed:', error);
      process.exitCode = 1;
    } finally {
      await cleanUp();
    }
  }

  return { startServer, load, fetchPage, bodyBytes, measure, run };
}

/** With `cpu`, a last column: the server's CPU ms per response, its database engine's included (see Row). */
export function printTable(rows: Row[], baseline: number, options: { cpu?: boolean } = {}): void {
  const header = ['server', 'path', 'req/s', 'p50 ms', 'p99 ms', 'body B', 'wire B/resp', 'non-2xx', 'errors', 'vs bare', ...(options.cpu ? ['CPU ms/req'] : [])];
  const lines = rows.map(({ name, path: pathname, result, body, cpuMsPerRequest }) => [
    name,
    pathname,
    result.requests.average.toFixed(0),
    result.latency.p50.toFixed(1),
    result.latency.p99.toFixed(1),
    String(body),
    // Headers included: what a response really costs on the wire (cookies, security headers).
    result.requests.total ? (result.throughput.total / result.requests.total).toFixed(0) : '-',
    String(result.non2xx),
    String(result.errors),
    (result.requests.average / baseline).toFixed(2),
    ...(options.cpu ? [cpuMsPerRequest === null ? '-' : cpuMsPerRequest.toFixed(2)] : []),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
}

/** A note when the two bare runs disagree: the machine's speed changed during the run. */
export function noteNoise(bareFirst: number, bareLast: number, baseline: number): void {
  if (Math.abs(bareFirst - bareLast) / baseline > 0.1) {
    console.log(`\nNote: the two bare runs differ by more than 10 % (${bareFirst.toFixed(0)} vs ${bareLast.toFixed(0)} req/s): the machine was noisy; ratios are rough.`);
  }
}

/** Warns about every run with a non-2xx response or a failed request; exit code 1 if any. */
export function reportFailures(rows: Row[]): void {
  const failed = rows.filter(({ result }) => result.non2xx > 0 || result.errors > 0);
  for (const { name, path: pathname, result } of failed) {
    console.log(
      `\nWARNING: ${name} ${pathname} had ${result.non2xx} non-2xx responses (4xx: ${result['4xx']}, 5xx: ${result['5xx']}, 3xx: ${result['3xx']}) and ${result.errors} errors (${result.timeouts} timeouts). Its numbers do not measure the page.`,
    );
  }
  if (failed.length) process.exitCode = 1;
}
