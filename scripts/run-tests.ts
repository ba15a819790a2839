/**
 * `npm test`: builds the embedded engine if needed, starts one FerretDB on a free port with a
 * temporary data directory for the whole run (each test file uses its own database in it), runs
 * every test file with node's test runner, then stops the engine and removes its data.
 * Pass file paths to run only those; TEST_LANES sets how many files run at a time (2), beside
 * the unit tests, which all run in one process of their own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase } from '../src/db/embedded-ferretdb.ts';
import { TYPESCRIPT_LOADER } from './typescript-loader.ts';

/**
 * Files at a time. The files wait for the engine, whose writes take turns, and for Chromium, so two
 * lanes left the 2 cores idle part of the time: the whole suite on a quiet machine (Node 24, as CI)
 * took 654 s in 2 lanes and 598 s in 3, every test passing. On a machine busy with other work 3
 * lanes were not surely faster (15 integration files: 97 and 133 s in 3, 83 and 114 s in 2), and a
 * journey once timed out there: TEST_LANES=2 then.
 */
const LANES = Number(process.env.TEST_LANES ?? 3);
if (!Number.isInteger(LANES) || LANES < 1) {
  console.error(`TEST_LANES must be a whole number of files to run at a time, 1 or more (it is "${process.env.TEST_LANES}").`);
  process.exit(2);
}

/**
 * The runner starts files in the order given, LANES at a time. Started last, a long file keeps
 * one lane busy alone at the end (it cost the suite two minutes), so the longest start first:
 * these, longest first (measured in a full run under load 7-13: 145, 118, 110, 73, 68, 52, 48, 47 s;
 * CI's last quiet run had the first four at 100, 83, 72, 48 s), then the other browser journeys and
 * the integration files. The unit tests run in a process of their own beside the lanes.
 */
const LONGEST_FIRST = [
  'test/browser/layout-guard.test.ts',
  'test/browser/first-start.test.ts',
  'test/browser/judging-journey.test.ts',
  'test/browser/curation-journey.test.ts',
  'test/browser/adaptive-judging-journey.test.ts',
  'test/browser/backlogs-journey.test.ts',
  'test/browser/accessibility.test.ts',
  'test/browser/crowd-journey.test.ts',
];
const FOLDER_ORDER = ['test/browser/', 'test/integration/', 'test/unit/'];

function startOrder(file: string): number {
  const listed = LONGEST_FIRST.indexOf(file);
  if (listed >= 0) return listed;
  const folder = FOLDER_ORDER.findIndex((prefix) => file.startsWith(prefix));
  return LONGEST_FIRST.length + (folder >= 0 ? folder : FOLDER_ORDER.length);
}

async function testFiles(): Promise<string[]> {
  const requested = process.argv.slice(2);
  if (requested.length > 0) return requested;
  const entries = await readdir('test', { recursive: true });
  return entries
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => path.join('test', file).split(path.sep).join('/'))
    .sort((a, b) => startOrder(a) - startOrder(b) || a.localeCompare(b));
}

const files = await testFiles();
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cocreate-test-db-'));
// The engine (Go) collects its garbage less often: seeding the demo cost it 18% less CPU (30.4 s
// against 24.9 s, both run side by side) for 79 MB of memory at most instead of 62. Only for
// tests: the engines the test files start inherit it, `npm start` keeps Go's default.
process.env.GOGC ??= '400';
const engine = await startEmbeddedDatabase({ dataDir });

// Each test file is a process of its own that loads the app's 300 modules: through tsx's loader
// that cost about 3 s of CPU per file, a fifth of the suite. A Node.js that strips types itself
// loads them without it (typescript-loader.ts), and its compile cache (22.1+) keeps the compiled
// code between processes: about 1.5 s less per file.
const compileCache = process.env.NODE_COMPILE_CACHE ?? path.join(os.tmpdir(), 'cocreate-compile-cache');

const env = { ...process.env, NODE_ENV: 'test', COCREATE_TEST_DB_PORT: String(engine.port), NODE_COMPILE_CACHE: compileCache };
const children = new Set<ChildProcess>();

/** Runs node's test runner on the files; `collect` keeps its output and prints it in one piece when it ends. */
async function runFiles(options: string[], list: string[], collect: boolean): Promise<number> {
  if (list.length === 0) return 0;
  const child = spawn(process.execPath, [...TYPESCRIPT_LOADER, '--test', '--test-reporter=spec', '--test-force-exit', ...options, ...list], {
    stdio: collect ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env,
  });
  children.add(child);
  const output: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  // 'close', not 'exit': the collected output is complete only once its pipes have closed.
  const code = await new Promise<number>((resolve) => child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
  children.delete(child);
  if (collect) process.stdout.write(Buffer.concat(output));
  return code;
}

/**
 * Unit tests start no app, but a process of their own each doubled what they cost: loading node
 * and their modules 40 times took as much CPU as their tests (the 40 files: 30 s of CPU in
 * processes of their own, 15 s in one). They share one process (so a unit test must leave no
 * global state behind), which runs beside the lanes; its report comes in one piece when it ends.
 */
const isUnit = (file: string) => file.startsWith('test/unit/');
const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const [laneCode, unitCode] = await Promise.all([
  runFiles(
    [`--test-concurrency=${LANES}`],
    files.filter((file) => !isUnit(file)),
    false,
  ),
  runFiles(['--test-isolation=none'], files.filter(isUnit), true),
]);
if (unitCode !== 0) console.error('npm test: the unit tests failed (their report is above, in one piece).');
await engine.stop();
await rm(dataDir, { recursive: true, force: true });
process.exit(laneCode || unitCode);
