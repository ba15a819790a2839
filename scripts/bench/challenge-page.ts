/**
 * `npm run bench:challenge [-- --duration 10 --connections 50 --warmup 3 --cpu-prof app.cpuprofile --env development]`:
 * load benchmark of a challenge page (as a visitor, no cookies: the challenges are public and
 * open) with 50 ideas and with 10,000 ideas, against a bare Express + Handlebars page that
 * renders the same 50 idea rows with the same markup (bare-idea-list-server.ts).
 *
 * The load generator, the servers under test (child processes) and why they are laid out so:
 * see harness.ts. The app child seeds, before it reports ready, the 10,000-idea challenge
 * (src/db/seed-challenges.ts, about 30 s) and a copy of it with 50 ideas (seed-bench-challenge.ts),
 * and builds its read models. Before measuring, the bench checks that both challenge pages list
 * 50 ideas and that the bare page's list is the same HTML as the 50-idea page's.
 *
 * Order: bare, 50 ideas, 10,000 ideas, bare. The baseline is the mean of the two bare runs, so a
 * machine that gets faster or slower during the run biases the ratios less. Each measured run
 * follows a warm-up run to the same URL. The table's last column is the CPU time per response of
 * the server process and its children (the app's database engine; Linux /proc): on a machine
 * busy with other work it moves far less than req/s, so the CPU figures printed under the
 * targets tell a real change from noise. Targets, printed with PASS or MISS (a MISS does not
 * change the exit code):
 *   50-idea page / bare ≥ 0.40;  10,000-idea page / 50-idea page ≥ 0.90;  p99 of the 50-idea page ≤ 100 ms.
 *
 * --env development: the app runs as `npm start` does on a developer's machine (default: production).
 *
 * --cpu-prof <file>: the app child writes a V8 CPU profile of its load phase (from ready to stop,
 * so the bare runs show as idle) to <file>; open it in Chrome DevTools (Performance) or VS Code.
 *
 * Everything else lives in one temporary directory (the database's files, the bare app's
 * templates), removed at the end, on error and on Ctrl-C. Loads are bounded by --duration and
 * target 127.0.0.1 only. Exit code 1 when any response was not 2xx, a request failed, or a
 * check before measuring failed.
 */
import os from 'node:os';
import path from 'node:path';
import { LARGE_CHALLENGE_ID } from '../../src/db/seed-challenges.ts';
import { FIFTY_CHALLENGE_ID, FIFTY_IDEAS, LARGE_IDEAS } from './challenge-data.ts';
import { createBench, noteNoise, parseBenchArgs, printTable, reportFailures, type Row } from './harness.ts';

const { options, extra } = parseBenchArgs(['cpu-prof', 'env']);
const profileFile = extra['cpu-prof'] === undefined ? undefined : path.resolve(extra['cpu-prof']);
const appEnv = extra.env ?? 'production';
if (appEnv !== 'production' && appEnv !== 'development') throw new Error('--env takes production or development');
const bench = createBench(options);

const TARGETS = { fiftyVsBare: 0.4, largeVsFifty: 0.9, fiftyP99Ms: 100 };
/** Ideas on one page of a challenge (the idea board's page size). */
const PAGE_SIZE = 50;

const FIFTY_PATH = `/challenges/${FIFTY_CHALLENGE_ID}`;
const LARGE_PATH = `/challenges/${String(LARGE_CHALLENGE_ID)}`;

/** The `<ul class="idea-list">…</ul>` of a page, which must list `count` ideas. */
function ideaList(html: string, page: string, count: number): string {
  const list = /<ul class="idea-list"[^>]*>[\s\S]*?<\/ul>/.exec(html)?.[0];
  if (!list) throw new Error(`${page} has no <ul class="idea-list">`);
  const items = list.match(/<li[\s>]/g)?.length ?? 0;
  if (items !== count) throw new Error(`${page} lists ${items} ideas, not ${count}`);
  return list;
}

/** Where two texts first differ, with some context, for an error message. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `at character ${i}:\n  app:  ${JSON.stringify(a.slice(Math.max(0, i - 40), i + 60))}\n  bare: ${JSON.stringify(b.slice(Math.max(0, i - 40), i + 60))}`;
}

async function checkPages(appBase: string, bareBase: string): Promise<void> {
  const fifty = await bench.fetchPage(appBase + FIFTY_PATH);
  if (!fifty.includes(`Ideas (${FIFTY_IDEAS})`)) throw new Error(`${FIFTY_PATH} does not show "Ideas (${FIFTY_IDEAS})"`);
  const fiftyList = ideaList(fifty, FIFTY_PATH, FIFTY_IDEAS);
  const large = await bench.fetchPage(appBase + LARGE_PATH);
  if (!large.includes(`Ideas (${LARGE_IDEAS})`)) throw new Error(`${LARGE_PATH} does not show "Ideas (${LARGE_IDEAS})"`);
  if (!large.includes('More ideas')) throw new Error(`${LARGE_PATH} has no "More ideas" link`);
  ideaList(large, LARGE_PATH, PAGE_SIZE);
  const bare = await bench.fetchPage(`${bareBase}/`).catch((error: unknown) => {
    throw new Error('the bare page failed (does the idea list of views/challenges/show.hbs use a helper bare-idea-list-server.ts lacks? its error is above)', { cause: error });
  });
  const bareList = ideaList(bare, 'the bare page', FIFTY_IDEAS);
  if (bareList !== fiftyList) throw new Error(`the bare page's idea list is not the 50-idea page's, ${firstDifference(fiftyList, bareList)}`);
  console.error(`  checked: both challenge pages list ${PAGE_SIZE} ideas; the bare list is the 50-idea page's, byte for byte (${Buffer.byteLength(bareList)} B)`);
}

const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');

await bench.run(async (tmpDir) => {
  // The newest of the 50 ideas is dated now; both children compute the same rows from it.
  const now = Date.now();
  console.error(`Starting the app (embedded FerretDB in ${tmpDir}; seeding ${LARGE_IDEAS.toLocaleString('en-GB')} + ${FIFTY_IDEAS} ideas takes about 30 s) and the bare page…`);
  const appPort = await bench.startServer('./app-server.ts', [path.join(tmpDir, 'db'), '--challenges', String(now)], {
    BENCH_NODE_ENV: appEnv,
    ...(profileFile ? { BENCH_CPU_PROFILE: profileFile } : {}),
  });
  const appBase = `http://127.0.0.1:${appPort}`;
  const bareBase = `http://127.0.0.1:${await bench.startServer('./bare-idea-list-server.ts', [path.join(tmpDir, 'bare-views'), String(now)])}`;
  await checkPages(appBase, bareBase);

  console.error(`Running (${os.cpus().length} CPUs, Node ${process.version}):`);
  const rows: Row[] = [];
  rows.push(await bench.measure('bare (50 rows)', bareBase, '/'));
  rows.push(await bench.measure('app, 50 ideas', appBase, FIFTY_PATH));
  rows.push(await bench.measure('app, 10,000 ideas', appBase, LARGE_PATH));
  rows.push(await bench.measure('bare (50 rows)', bareBase, '/'));

  const [bareFirstRow, fiftyRow, largeRow, bareLastRow] = rows as [Row, Row, Row, Row];
  const bareFirst = bareFirstRow.result.requests.average;
  const bareLast = bareLastRow.result.requests.average;
  const baseline = (bareFirst + bareLast) / 2;
  const fiftyRate = fiftyRow.result.requests.average;
  const largeRate = largeRow.result.requests.average;
  const fiftyVsBare = fiftyRate / baseline;
  const largeVsFifty = fiftyRate > 0 ? largeRate / fiftyRate : 0;
  const fiftyP99 = fiftyRow.result.latency.p99;

  console.log(
    `\nChallenge page benchmark (app in ${appEnv}): ${options.duration} s per run after ${options.warmup} s warm-up, ${options.connections} connections; baseline = mean of the two bare runs = ${baseline.toFixed(0)} req/s\n`,
  );
  printTable(rows, baseline, { cpu: true });
  console.log('');
  const targetLine = (label: string, value: string, target: string, pass: boolean) => console.log(`${label.padEnd(28)}${value.padStart(9)}   target ${target.padEnd(9)}${verdict(pass)}`);
  // Three decimals: 0.897 must not read as "0.90 … MISS".
  targetLine('50-idea page / bare', fiftyVsBare.toFixed(3), `≥ ${TARGETS.fiftyVsBare.toFixed(2)}`, fiftyVsBare >= TARGETS.fiftyVsBare);
  targetLine('10,000-idea / 50-idea page', largeVsFifty.toFixed(3), `≥ ${TARGETS.largeVsFifty.toFixed(2)}`, largeVsFifty >= TARGETS.largeVsFifty);
  targetLine('p99 of the 50-idea page', `${fiftyP99.toFixed(0)} ms`, `≤ ${TARGETS.fiftyP99Ms} ms`, fiftyP99 <= TARGETS.fiftyP99Ms);
  const cpu = rows.map((row) => row.cpuMsPerRequest);
  if (cpu.every((value) => value !== null)) {
    const [bareCpuFirst, fiftyCpu, largeCpu, bareCpuLast] = cpu as [number, number, number, number];
    const bareCpu = (bareCpuFirst + bareCpuLast) / 2;
    console.log(
      `\nServer CPU per response (the app's with its database engine; moves less than req/s when other work shares the machine): bare ${bareCpu.toFixed(2)} ms, 50-idea page ${fiftyCpu.toFixed(2)} ms (bare / it = ${(bareCpu / fiftyCpu).toFixed(2)}), 10,000-idea page ${largeCpu.toFixed(2)} ms (50-idea / it = ${(fiftyCpu / largeCpu).toFixed(2)})`,
    );
  }
  noteNoise(bareFirst, bareLast, baseline);
  reportFailures(rows);
  if (profileFile) console.log(`\nCPU profile of the app child: ${profileFile} (written when it stops)`);
});
