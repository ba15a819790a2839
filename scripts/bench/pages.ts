/**
 * `npm run bench [-- --duration 10 --connections 50 --warmup 3]`: load benchmark of our home
 * and sign-in pages (as a visitor, no cookies) against a bare Express + Handlebars page of the
 * same size.
 *
 * The load generator, the servers under test (child processes) and why they are laid out so:
 * see harness.ts.
 *
 * Order: bare, home, sign-in, bare. The baseline is the mean of the two bare runs, so a machine
 * that gets faster or slower during the run (thermal, neighbours) biases the ratios less.
 * Each measured run follows a warm-up run to the same URL (JIT, view cache, connection pools).
 *
 * Everything lives in one temporary directory (the database's files, the bare app's generated
 * templates), removed at the end, on error and on Ctrl-C. Loads are bounded by --duration and
 * target 127.0.0.1 only. Exit code 1 when any response was not 2xx or a request failed.
 */
import os from 'node:os';
import path from 'node:path';
import { createBench, noteNoise, parseBenchArgs, printTable, reportFailures, type Row } from './harness.ts';

const { options } = parseBenchArgs();
const bench = createBench(options);

await bench.run(async (tmpDir) => {
  console.error(`Starting the app (embedded FerretDB in ${tmpDir}) and the bare page…`);
  const appBase = `http://127.0.0.1:${await bench.startServer('./app-server.ts', [path.join(tmpDir, 'db')])}`;
  // The bare page is generated to the size of our home page, so measure that first.
  const homeBytes = await bench.bodyBytes(`${appBase}/`);
  const bareBase = `http://127.0.0.1:${await bench.startServer('./bare-server.ts', [path.join(tmpDir, 'bare-views'), String(homeBytes)])}`;

  console.error(`Running (${os.cpus().length} CPUs, Node ${process.version}):`);
  const rows: Row[] = [];
  rows.push(await bench.measure('bare', bareBase, '/'));
  rows.push(await bench.measure('app', appBase, '/'));
  rows.push(await bench.measure('app', appBase, '/sign-in'));
  rows.push(await bench.measure('bare', bareBase, '/'));

  const bareFirst = rows[0]!.result.requests.average;
  const bareLast = rows[3]!.result.requests.average;
  const baseline = (bareFirst + bareLast) / 2;
  console.log(
    `\nPage benchmark: ${options.duration} s per run after ${options.warmup} s warm-up, ${options.connections} connections; baseline = mean of the two bare runs = ${baseline.toFixed(0)} req/s\n`,
  );
  printTable(rows, baseline);
  noteNoise(bareFirst, bareLast, baseline);
  reportFailures(rows);
});
