/**
 * `npm run bench [-- --duration 10 --connections 50 --warmup 3]`: load benchmark of our home
 * and sign-in pages (as a visitor, no cookies) against a bare Express + Handlebars page of the
 * same size.
 *
 * Process layout, and why: this process is only the load generator (autocannon). The real app
 * (with its embedded FerretDB) and the bare app each run in a child process (app-server.ts,
 * bare-server.ts). On a 2-core machine a load generator sharing the server's event loop would
 * measure mostly itself; as separate processes they get a core each (the OS schedules them), so
 * the server's throughput is limited by its own work. Both apps run in the same conditions
 * (NODE_ENV=production, one process each, 127.0.0.1), and the one not under test is idle.
 *
 * Order: bare, home, sign-in, bare. The baseline is the mean of the two bare runs, so a machine
 * that gets faster or slower during the run (thermal, neighbours) biases the ratios less.
 * Each measured run follows a warm-up run to the same URL (JIT, view cache, connection pools).
 *
 * Everything lives in one temporary directory (the database's files, the bare app's generated
 * templates), removed at the end, on error and on Ctrl-C. Loads are bounded by --duration and
 * target 127.0.0.1 only. Exit code 1 when any response was not 2xx or a request failed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { ReadyMessage } from './serve.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
  },
});

function boundedInt(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max} (got "${value}")`);
    process.exit(2);
  }
  return n;
}

const DURATION_S = boundedInt('duration', args.duration, 1, 300);
const CONNECTIONS = boundedInt('connections', args.connections, 1, 1000);
const WARMUP_S = boundedInt('warmup', args.warmup, 0, 60);
// The first start may build the database engine (about 3 minutes, then cached).
const START_TIMEOUT_MS = 6 * 60_000;
const CHILD_STOP_TIMEOUT_MS = 15_000;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const children: ChildProcess[] = [];
let tmpDir: string | undefined;
let currentLoad: autocannon.Instance | undefined;

/** Forks a server under test and resolves with the port it reports once listening. */
function startServer(file: string, argv: string[]): Promise<number> {
  const child = fork(here(file), argv, {
    // Plain node with tsx's loader (not the tsx CLI): signals and IPC go straight to the child.
    execArgv: ['--import', import.meta.resolve('tsx')],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.once('message', (message: ReadyMessage) => {
      clearTimeout(timer);
      resolve(message.port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited during start (code ${code})`));
    });
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

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
function load(url: string, seconds: number): Promise<autocannon.Result> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`refusing to load a non-local target: ${url}`);
  // After Ctrl-C the stopped run resolves early: do not let the next run start.
  if (cleaning) return Promise.reject(new Error('stopping'));
  return new Promise((resolve, reject) => {
    let watchdog: NodeJS.Timeout | undefined;
    const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, timeout: 10 }, (error, result) => {
      clearTimeout(watchdog);
      currentLoad = undefined;
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(result);
    });
    watchdog = setTimeout(() => instance.stop(), (seconds + 30) * 1000);
    currentLoad = instance;
  });
}

async function bodyBytes(url: string): Promise<number> {
  const response = await fetch(url);
  const body = await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}, not 200`);
  return body.byteLength;
}

type Row = { name: string; path: string; result: autocannon.Result; body: number };

async function measure(name: string, base: string, pathname: string): Promise<Row> {
  const url = base + pathname;
  const body = await bodyBytes(url);
  if (WARMUP_S > 0) {
    console.error(`  ${name} ${pathname}: warm-up ${WARMUP_S} s…`);
    await load(url, WARMUP_S);
  }
  console.error(`  ${name} ${pathname}: measuring ${DURATION_S} s, ${CONNECTIONS} connections…`);
  return { name, path: pathname, result: await load(url, DURATION_S), body };
}

function printTable(rows: Row[], baseline: number): void {
  const header = ['server', 'path', 'req/s', 'p50 ms', 'p99 ms', 'body B', 'wire B/resp', 'non-2xx', 'errors', 'vs bare'];
  const lines = rows.map(({ name, path: pathname, result, body }) => [
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
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
}

async function main() {
  tmpDir = await mkdtemp(path.join(os.tmpdir(), 'cocreate-bench-'));
  console.error(`Starting the app (embedded FerretDB in ${tmpDir}) and the bare page…`);
  const appBase = `http://127.0.0.1:${await startServer('./app-server.ts', [path.join(tmpDir, 'db')])}`;
  // The bare page is generated to the size of our home page, so measure that first.
  const homeBytes = await bodyBytes(`${appBase}/`);
  const bareBase = `http://127.0.0.1:${await startServer('./bare-server.ts', [path.join(tmpDir, 'bare-views'), String(homeBytes)])}`;

  console.error(`Running (${os.cpus().length} CPUs, Node ${process.version}):`);
  const rows: Row[] = [];
  rows.push(await measure('bare', bareBase, '/'));
  rows.push(await measure('app', appBase, '/'));
  rows.push(await measure('app', appBase, '/sign-in'));
  rows.push(await measure('bare', bareBase, '/'));

  const bareFirst = rows[0]!.result.requests.average;
  const bareLast = rows[3]!.result.requests.average;
  const baseline = (bareFirst + bareLast) / 2;
  console.log(`\nPage benchmark: ${DURATION_S} s per run after ${WARMUP_S} s warm-up, ${CONNECTIONS} connections; baseline = mean of the two bare runs = ${baseline.toFixed(0)} req/s\n`);
  printTable(rows, baseline);

  if (Math.abs(bareFirst - bareLast) / baseline > 0.1) {
    console.log(`\nNote: the two bare runs differ by more than 10 % (${bareFirst.toFixed(0)} vs ${bareLast.toFixed(0)} req/s): the machine was noisy; ratios are rough.`);
  }
  const failed = rows.filter(({ result }) => result.non2xx > 0 || result.errors > 0);
  for (const { name, path: pathname, result } of failed) {
    console.log(
      `\nWARNING: ${name} ${pathname} had ${result.non2xx} non-2xx responses (4xx: ${result['4xx']}, 5xx: ${result['5xx']}, 3xx: ${result['3xx']}) and ${result.errors} errors (${result.timeouts} timeouts). Its numbers do not measure the page.`,
    );
  }
  if (failed.length) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  console.error('bench failed:', error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
