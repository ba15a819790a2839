/**
 * `npm run bench:queue [-- --duration 10 --connections 50 --warmup 3]`: load benchmark of the
 * screening queue (issue #6): a copilot's queue page with 5,000 ideas waiting, and the decision
 * POST that approves one idea, against the bare Express + Handlebars page of pages.ts
 * (bare-server.ts), generated to the size of the queue page.
 *
 * The load generator, the servers under test (child processes) and why they are laid out so:
 * see harness.ts. The app child seeds, before it reports ready, the large challenge with 5,001
 * submitted ideas (seedLargeChallenge; open, so screening runs) and writes their ids, oldest
 * first, to a file the bench reads. The bench signs in once through the real form as the demo
 * staff account (staff curate any challenge) and sends that session's cookie with every request.
 *
 * Checks before measuring: one decision POST (on the oldest idea, so 5,000 stay waiting) answers
 * 200 with JSON; the queue page then shows 5,000 waiting and lists 50 items.
 *
 * Order: bare, queue page, decision POST, bare. The baseline is the mean of the two bare runs,
 * so a machine that gets faster or slower during the run biases the ratios less. Each measured
 * run follows a warm-up run to the same URL. The queue page runs before the decisions, which
 * shrink the queue. Each decision targets the next waiting idea, oldest first (a second decision
 * on an idea is a 409), through autocannon's setupRequest; a run is capped at the ideas left, and
 * a decision run that uses them all ended early: the bench says so and exits 1 (seed more, or
 * shorten --duration / --warmup). The POST sends `Accept: application/json`, so the app answers
 * `200 {decided, next}` instead of a redirect, and the form fields `_csrf` (a token minted for
 * this session, from the queue page's form) and `kind=approve`.
 *
 * The table's last column is the CPU time per response of the server process and its children
 * (the app's database engine; Linux /proc): on a machine busy with other work it moves far less
 * than req/s. The issue sets no targets: the bench prints the figures only.
 *
 * Everything lives in one temporary directory (the database's files, the ids, the bare app's
 * templates), removed at the end, on error and on Ctrl-C. Loads are bounded by --duration and
 * target 127.0.0.1 only. Exit code 1 when any response was not 2xx, a request failed, a check
 * before measuring failed, or the decisions ran out of waiting ideas.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LARGE_CHALLENGE_ID } from '../../src/db/seed-challenges.ts';
import { DEMO_PASSWORD } from '../../src/db/seed.ts';
import { createBench, noteNoise, parseBenchArgs, printTable, reportFailures, type LoadRequest, type Row } from './harness.ts';
import { csrfFrom, signIn } from './session.ts';

const { options } = parseBenchArgs();
const bench = createBench(options);

/** Ideas waiting while the queue page is measured. */
const WAITING = 5_000;
/** Items on one page of the queue (screening.queue's default limit). */
const PAGE_SIZE = 50;
const CURATOR = 'staff@demo.cocreate.local';

const QUEUE_PATH = `/challenges/${String(LARGE_CHALLENGE_ID)}/curation`;
const decisionPath = (ideaId: string) => `${QUEUE_PATH}/ideas/${ideaId}/decision`;

type Session = Awaited<ReturnType<typeof signIn>>;

/** Posts one approval as the load generator will; returns the response's size. */
async function checkDecision(session: Session, ideaId: string, csrf: string): Promise<number> {
  const answer = await session.request(decisionPath(ideaId), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ _csrf: csrf, kind: 'approve' }).toString(),
  });
  if (answer.status !== 200) throw new Error(`the decision POST answered ${answer.status}, not 200: ${answer.body.slice(0, 300)}`);
  const json = JSON.parse(answer.body) as { decided?: unknown; next?: unknown };
  if (json.decided !== 'approve' || typeof json.next !== 'string') throw new Error(`the decision POST answered ${answer.body}, not {decided: "approve", next}`);
  return Buffer.byteLength(answer.body);
}

/** The queue page's HTML, which must show `WAITING` waiting and list a full page. */
async function checkQueuePage(session: Session): Promise<string> {
  const page = await session.request(QUEUE_PATH);
  if (page.status !== 200) throw new Error(`${QUEUE_PATH} answered ${page.status}${page.location ? ` (to ${page.location})` : ''}, not 200`);
  if (!page.body.includes(`<dt>Waiting</dt><dd>${WAITING}</dd>`)) throw new Error(`${QUEUE_PATH} does not show ${WAITING} waiting`);
  const items = page.body.match(/data-queue-item="/g)?.length ?? 0;
  if (items !== PAGE_SIZE) throw new Error(`${QUEUE_PATH} lists ${items} items, not ${PAGE_SIZE}`);
  return page.body;
}

await bench.run(async (tmpDir) => {
  const idsFile = path.join(tmpDir, 'queue-ids.json');
  console.error(`Starting the app (embedded FerretDB in ${tmpDir}; seeding ${(WAITING + 1).toLocaleString('en-GB')} waiting ideas takes about 15 s) and the bare page…`);
  const appBase = `http://127.0.0.1:${await bench.startServer('./app-server.ts', [path.join(tmpDir, 'db'), '--queue', String(WAITING + 1), '--queue-ids', idsFile])}`;
  const ids = JSON.parse(await readFile(idsFile, 'utf8')) as string[];
  if (ids.length !== WAITING + 1) throw new Error(`the app seeded ${ids.length} waiting ideas, not ${WAITING + 1}`);

  const session = await signIn(appBase, CURATOR, DEMO_PASSWORD);
  // The sign-in page's token was minted for a visitor: the signed-in session needs its own.
  const csrf = csrfFrom((await session.request(QUEUE_PATH)).body, QUEUE_PATH);
  const decisionBytes = await checkDecision(session, ids[0]!, csrf);
  const queueHtml = await checkQueuePage(session);
  console.error(`  checked: one decision answered 200 JSON; the queue page shows ${WAITING} waiting and lists ${PAGE_SIZE} items`);
  const headers = { cookie: session.cookie() };
  const bareBase = `http://127.0.0.1:${await bench.startServer('./bare-server.ts', [path.join(tmpDir, 'bare-views'), String(Buffer.byteLength(queueHtml))])}`;

  let next = 1;
  const decisions = (): LoadRequest => {
    const left = ids.length - next;
    if (left < options.connections) throw new Error(`only ${left} waiting ideas are left for a decision run with ${options.connections} connections`);
    return {
      method: 'POST',
      body: new URLSearchParams({ _csrf: csrf, kind: 'approve' }).toString(),
      // autocannon sends at most this many requests in all: no idea is decided twice.
      maxOverallRequests: left,
      requests: [{ setupRequest: (request) => ({ ...request, path: decisionPath(ids[next++]!) }) }],
    };
  };

  console.error(`Running (${os.cpus().length} CPUs, Node ${process.version}):`);
  const rows: Row[] = [];
  rows.push(await bench.measure('bare', bareBase, '/'));
  rows.push(await bench.measure(`queue page (${WAITING.toLocaleString('en-GB')} waiting)`, appBase, QUEUE_PATH, { headers }));
  rows.push(
    await bench.measure('decision POST', appBase, decisionPath(':id'), {
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      request: decisions,
      bodyBytes: decisionBytes,
    }),
  );
  // ids[0] went to the check.
  const decided = next - 1;
  rows.push(await bench.measure('bare', bareBase, '/'));

  const [bareFirstRow, queueRow, decisionRow, bareLastRow] = rows as [Row, Row, Row, Row];
  const bareFirst = bareFirstRow.result.requests.average;
  const bareLast = bareLastRow.result.requests.average;
  const baseline = (bareFirst + bareLast) / 2;

  console.log(
    `\nScreening queue benchmark: ${options.duration} s per run after ${options.warmup} s warm-up, ${options.connections} connections; baseline = mean of the two bare runs = ${baseline.toFixed(0)} req/s\n`,
  );
  printTable(rows, baseline, { cpu: true });
  console.log('');
  const line = (label: string, value: string) => console.log(`${label.padEnd(28)}${value.padStart(9)}`);
  // Three decimals, as bench:challenge prints its ratios.
  line('queue page / bare', (queueRow.result.requests.average / baseline).toFixed(3));
  line('decision POST / bare', (decisionRow.result.requests.average / baseline).toFixed(3));
  line('p99 of the queue page', `${queueRow.result.latency.p99.toFixed(0)} ms`);
  line('p99 of the decision POST', `${decisionRow.result.latency.p99.toFixed(0)} ms`);
  const cpu = rows.map((row) => row.cpuMsPerRequest);
  if (cpu.every((value) => value !== null)) {
    const [bareCpuFirst, queueCpu, decisionCpu, bareCpuLast] = cpu as [number, number, number, number];
    console.log(
      `\nServer CPU per response (the app's with its database engine): bare ${((bareCpuFirst + bareCpuLast) / 2).toFixed(2)} ms, queue page ${queueCpu.toFixed(2)} ms, decision POST ${decisionCpu.toFixed(2)} ms`,
    );
  }
  console.log(`\nThe decision runs (warm-up and measured) approved ${decided.toLocaleString('en-GB')} of the ${WAITING.toLocaleString('en-GB')} waiting ideas, oldest first.`);
  noteNoise(bareFirst, bareLast, baseline);
  reportFailures(rows);
  if (next >= ids.length) {
    console.log(`\nWARNING: the decision runs used every waiting idea, so the measured run ended before its ${options.duration} s: its numbers are not a full run. Shorten --duration or --warmup.`);
    process.exitCode = 1;
  }
});
