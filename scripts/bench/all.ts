/**
 * `npm run bench:all [-- --duration 8 --connections 50 --warmup 2]`: every page and write of
 * issue #17 as a deployment serves it, in one run, marked against its target.
 *
 * The app runs as in production (NODE_ENV=production, the default `info` log level, its JSON
 * lines written to a file as a deployment's stdout would be) on its own embedded FerretDB in a
 * temporary directory, seeded before it starts with the 10,000-idea challenge, the 50-idea copy
 * of it and the demo story (a judged challenge, backlogs, notifications); the demo copilot
 * curates the large challenge. Each page is measured signed in as the role that uses it (one
 * session per person, signed in through the real form), each write with every side effect its
 * request sets off (notifications, counters, the webhooks queue run in the app process): a write's
 * run lasts until the app has finished all its run set off (its outbox applies it for a while
 * after the last request), and its req/s and CPU per write are over that whole time, so a write
 * whose side effects fall behind its requests is not counted faster than it is done.
 *
 * The baseline is the bare Express + express-handlebars page of the same 50 idea rows
 * (bare-idea-list-server.ts); it is measured before every page and once at the end, and each
 * page's ratio is to the mean of the two bare runs around it, so a machine shared with other
 * work biases the ratios less. CPU per response (the app process with its database engine, whose
 * own share is shown beside it; Linux /proc) moves far less than req/s when the machine is busy:
 * compare it between runs. Beside each run, where its tail went (stalls.ts): the app's longest
 * event-loop stall (in wall time, and in brackets the most CPU its thread spent in one turn,
 * which waiting for a core does not inflate) and its garbage collection (in all, the longest
 * pause, and the pauses of full collections); and, after the table, the same for each bare run, whose stalls come from the
 * machine rather than its own work.
 * Each run starts once the app is idle (harness.ts, waitForIdle): a write run's effects, which its
 * outbox applies for a while after it, are done before the next run rather than stealing its core.
 *
 * Targets (issue #17): pages ≥ 0.40 of bare with p99 ≤ 100 ms; writes ≥ 0.20 of bare; the
 * 10,000-idea challenge page ≥ 0.90 of the 50-idea one. A miss does not change the exit code;
 * a non-2xx answer to a page, a write answering other than its checked status, or a failed
 * check before measuring does (1).
 *
 * Writes each target a fresh idea per request where a repeat would measure less (a second vote
 * or decision on an idea does nothing or is refused): decisions take the waiting ideas oldest
 * first (60% of them), votes the newest 40% newest first, each voted by two people in turn (a
 * write run at 500 writes/s needs 5,000 fresh targets; a run that ran out would stop early),
 * comments spread over the newest 2,000 (a discussion holds at most 2,000 comments). Writes that answer with a redirect (submission, comment) carry a flash notice
 * in their session: each has a session (a person) of its own so the pages' sessions stay small.
 *
 * --cpu-prof <file>: the app child writes a V8 CPU profile of its load phase to <file>.
 * --only <a,b>: measures only the pages and writes whose "label (who)" holds one of these (the
 *   two challenge pages for the flatness check always run): a quicker look at what one change did.
 */
import { open, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LARGE_CHALLENGE_ID } from '../../src/db/seed-challenges.ts';
import { INVOICES } from '../../src/db/seed-story/texts.ts';
import { DEMO_PASSWORD } from '../../src/db/seed.ts';
import { FIFTY_CHALLENGE_ID, FIFTY_IDEAS, LARGE_IDEAS } from './challenge-data.ts';
import { createBench, parseBenchArgs, type LoadRequest, type MeasureOptions, type Row } from './harness.ts';
import { csrfFrom, signIn } from './session.ts';

const { options, extra } = parseBenchArgs(['cpu-prof', 'only']);
const only = extra.only?.split(',').map((part) => part.trim()) ?? [];
const profileFile = extra['cpu-prof'] === undefined ? undefined : path.resolve(extra['cpu-prof']);
const bench = createBench(options);

const TARGETS = { page: 0.4, write: 0.2, pageP99Ms: 100, flat: 0.9 };
/** The bare runs are shorter: they only need a steady figure. */
const BARE = { duration: Math.max(1, Math.round(options.duration / 2)), warmup: Math.min(1, options.warmup) };

const LARGE = String(LARGE_CHALLENGE_ID);
const LARGE_PATH = `/challenges/${LARGE}`;
const FIFTY_PATH = `/challenges/${FIFTY_CHALLENGE_ID}`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

type Session = Awaited<ReturnType<typeof signIn>>;
type Kind = 'page' | 'write' | 'reference';
type Measured = { label: string; who: string; kind: Kind; row: Row; bareBefore: Row; bareAfter?: Row; okStatus: number };

/** A GET as this session that must answer 200; returns the HTML. */
async function page(session: Session, pathname: string): Promise<string> {
  const answer = await session.request(pathname);
  if (answer.status !== 200) throw new Error(`${pathname} answered ${answer.status}${answer.location ? ` (to ${answer.location})` : ''}, not 200`);
  return answer.body;
}

/** One write as the load generator will send it, which must answer `status`; returns the response's size. */
async function checkWrite(session: Session, pathname: string, body: string, headers: Record<string, string>, status: number, what: string): Promise<number> {
  const answer = await session.request(pathname, { method: 'POST', headers: { ...FORM, ...headers }, body });
  const wrongPlace = answer.location?.startsWith('/sign-in');
  if (answer.status !== status || wrongPlace) throw new Error(`${what} answered ${answer.status}${answer.location ? ` (to ${answer.location})` : ''}, not ${status}: ${answer.body.slice(0, 300)}`);
  return Buffer.byteLength(answer.body);
}

await bench.run(async (tmpDir) => {
  const started = Date.now();
  const now = Date.now();
  const idsFile = path.join(tmpDir, 'waiting-ids.json');
  // The app's log lines go where a deployment's stdout would: here a file, read by nobody.
  const logFd = await open(path.join(tmpDir, 'app.log'), 'w');
  console.error(`Starting the app (embedded FerretDB in ${tmpDir}; seeding ${LARGE_IDEAS.toLocaleString('en-GB')} + ${FIFTY_IDEAS} ideas and the demo story takes about a minute) and the bare page…`);
  const appPort = await bench.startServer(
    './app-server.ts',
    [path.join(tmpDir, 'db'), '--challenges', String(now), '--story', '--queue-ids', idsFile],
    {
      BENCH_LOG_LEVEL: 'info',
      ...(profileFile ? { BENCH_CPU_PROFILE: profileFile } : {}),
    },
    logFd.fd,
  );
  // The app has its own copy of the file from its start: ours would otherwise be closed by the garbage collector, with a warning.
  await logFd.close();
  const app = `http://127.0.0.1:${appPort}`;
  const bare = `http://127.0.0.1:${await bench.startServer('./bare-idea-list-server.ts', [path.join(tmpDir, 'bare-views'), String(now)])}`;
  const ids = JSON.parse(await readFile(idsFile, 'utf8')) as string[];
  if (ids.length !== LARGE_IDEAS) throw new Error(`the large challenge has ${ids.length} waiting ideas, not ${LARGE_IDEAS}`);

  // One person per session (see above); a visitor sends no cookie.
  const as = (name: string) => signIn(app, `${name}@demo.cocreate.local`, DEMO_PASSWORD);
  const member = await as('member');
  const voters = [member, await as('specialist')];
  const author = await as('crowd-0');
  const copilot = await as('copilot');
  const staff = await as('staff');
  const commenter = await as('crowd-1');
  const submitter = await as('crowd-2');
  const cookie = (session: Session) => ({ cookie: session.cookie() });

  // Where the pages are, found as a person would: the judged challenge's ranking, an idea of the large challenge.
  const judged = [...new Set((await page(staff, '/challenges')).match(/\/challenges\/[0-9a-f]{24}(?=["/?])/g) ?? [])];
  let rankingPath: string | undefined;
  for (const challengePath of judged) {
    const answer = await staff.request(`${challengePath}/judging/results`);
    if (answer.status === 200 && answer.body.includes(INVOICES.title)) rankingPath = `${challengePath}/judging/results`;
  }
  if (!rankingPath) throw new Error(`no ranking page of "${INVOICES.title}" among ${judged.join(', ')}`);
  const ideaPath = `/ideas/${ids[ids.length - 1]!}`;
  const queuePath = `${LARGE_PATH}/curation`;

  // Each write once, as the load will send it (and so each session's CSRF token, from a page's form).
  const voterCsrfs = await Promise.all(voters.map(async (voter) => csrfFrom(await page(voter, ideaPath), ideaPath)));
  const copilotCsrf = csrfFrom(await page(copilot, queuePath), queuePath);
  const commenterCsrf = csrfFrom(await page(commenter, ideaPath), ideaPath);
  const submitterCsrf = csrfFrom(await page(submitter, `${LARGE_PATH}/ideas/new`), `${LARGE_PATH}/ideas/new`);
  const JSON_ANSWER = { accept: 'application/json' };
  const submission = () =>
    new URLSearchParams({
      _csrf: submitterCsrf,
      intent: 'submit',
      idempotencyKey: `bench-all-${now}-${++submitted}`,
      title: `Benchmark idea ${submitted}`,
      summary: 'Submitted by bench:all.',
      body: 'Load.',
      tags: 'bench',
      acceptTerms: 'on',
    }).toString();
  const comment = new URLSearchParams({ _csrf: commenterCsrf, body: 'A comment from bench:all.' }).toString();
  const votes = voterCsrfs.map((csrf) => new URLSearchParams({ _csrf: csrf }).toString());
  const decision = new URLSearchParams({ _csrf: copilotCsrf, kind: 'approve' }).toString();
  let decided = 0;
  let voted = 0;
  // The k-th vote: its voter in turn, and its idea from the newest (each idea gets every voter's vote before the next).
  const voteOf = (k: number) => ({ voter: k % voters.length, path: `/ideas/${ids[ids.length - 1 - Math.floor(k / voters.length)]!}/vote` });
  let commented = 0;
  let submitted = 0;
  const decisionPath = (id: string) => `${queuePath}/ideas/${id}/decision`;
  const sizes = {
    submission: await checkWrite(submitter, `${LARGE_PATH}/ideas`, submission(), {}, 303, 'the idea submission'),
    vote: Math.max(...(await Promise.all(voters.map((voter, index) => checkWrite(voter, voteOf(voted++).path, votes[index]!, JSON_ANSWER, 200, `the vote of voter ${index + 1}`))))),
    comment: await checkWrite(commenter, `/ideas/${ids[ids.length - 1 - commented++]!}/comments`, comment, {}, 303, 'the comment'),
    decision: await checkWrite(copilot, decisionPath(ids[decided++]!), decision, JSON_ANSWER, 200, 'the decision'),
  };
  const fiftyHtml = await bench.fetchPage(app + FIFTY_PATH);
  if (!fiftyHtml.includes(`Ideas (${FIFTY_IDEAS})`)) throw new Error(`${FIFTY_PATH} does not show "Ideas (${FIFTY_IDEAS})"`);
  // A baseline that lost its rows (its layout no longer places the view) would make every ratio look bad.
  const bareIdeas = new Set((await bench.fetchPage(`${bare}/`)).match(/\/ideas\/[0-9a-f]{24}(?=")/g)).size;
  if (bareIdeas !== FIFTY_IDEAS) throw new Error(`the bare page links ${bareIdeas} ideas, not ${FIFTY_IDEAS}`);

  /** A run of POSTs, each as `next()` gives it (autocannon's setupRequest): its path and body, and the headers of its session when it has its own. */
  const posts =
    (next: () => { path: string; body: string; headers?: Record<string, string> }, left: () => number): (() => LoadRequest) =>
    () => {
      if (left() < options.connections) throw new Error(`only ${left()} writes are left for a write run with ${options.connections} connections`);
      return { method: 'POST', maxOverallRequests: left(), requests: [{ setupRequest: (request) => ({ ...request, ...next() }) }] };
    };
  const writeHeaders = (session: Session, extraHeaders: Record<string, string> = {}) => ({ ...cookie(session), ...FORM, ...extraHeaders });
  // Votes take the newest ideas and decisions the oldest, so no idea gets both before the runs end.
  const votedIdeas = Math.floor(ids.length * 0.4);
  const voteLeft = () => votedIdeas * voters.length - voted;
  const decisionLeft = () => ids.length - votedIdeas - decided;

  type Item = { label: string; who: string; kind: Kind; path: string; measure: MeasureOptions; okStatus?: number };
  const items: Item[] = [
    { label: 'challenge page, 50 ideas', who: 'visitor', kind: 'reference', path: FIFTY_PATH, measure: {} },
    { label: 'challenge page, 10,000 ideas', who: 'visitor', kind: 'page', path: LARGE_PATH, measure: {} },
    { label: 'challenge page, 10,000 ideas', who: 'member', kind: 'page', path: LARGE_PATH, measure: { headers: cookie(member) } },
    { label: 'idea page', who: 'member', kind: 'page', path: ideaPath, measure: { headers: cookie(member) } },
    { label: 'My ideas (50 ideas)', who: 'member', kind: 'page', path: '/my/ideas', measure: { headers: cookie(author) } },
    { label: 'screening queue', who: 'copilot', kind: 'page', path: queuePath, measure: { headers: cookie(copilot) } },
    { label: 'challenge insights', who: 'staff', kind: 'page', path: `${LARGE_PATH}/insights`, measure: { headers: cookie(staff) } },
    { label: 'ranking page', who: 'staff', kind: 'page', path: rankingPath, measure: { headers: cookie(staff) } },
    { label: 'backlog board', who: 'staff (owner)', kind: 'page', path: '/backlogs/product', measure: { headers: cookie(staff) } },
    { label: 'notifications inbox', who: 'member', kind: 'page', path: '/notifications', measure: { headers: cookie(member) } },
    { label: 'search', who: 'member', kind: 'page', path: '/search?q=dashboard', measure: { headers: cookie(member) } },
    {
      label: 'idea submission',
      who: 'member',
      kind: 'write',
      path: `${LARGE_PATH}/ideas`,
      okStatus: 303,
      measure: {
        settle: true,
        headers: writeHeaders(submitter),
        bodyBytes: sizes.submission,
        request: posts(
          () => ({ path: `${LARGE_PATH}/ideas`, body: submission() }),
          () => Number.MAX_SAFE_INTEGER,
        ),
      },
    },
    {
      label: 'vote',
      who: 'member',
      kind: 'write',
      path: '/ideas/:id/vote',
      measure: {
        settle: true,
        headers: writeHeaders(member, JSON_ANSWER),
        bodyBytes: sizes.vote,
        // Each from its voter's session, with that session's CSRF token.
        request: posts(() => {
          const { voter, path: votePath } = voteOf(voted++);
          return { path: votePath, body: votes[voter]!, headers: writeHeaders(voters[voter]!, JSON_ANSWER) };
        }, voteLeft),
      },
    },
    {
      label: 'comment',
      who: 'member',
      kind: 'write',
      path: '/ideas/:id/comments',
      okStatus: 303,
      measure: {
        settle: true,
        headers: writeHeaders(commenter),
        bodyBytes: sizes.comment,
        request: posts(
          () => ({ path: `/ideas/${ids[ids.length - 1 - (commented++ % 2_000)]!}/comments`, body: comment }),
          () => Number.MAX_SAFE_INTEGER,
        ),
      },
    },
    {
      label: 'screening decision',
      who: 'copilot',
      kind: 'write',
      path: decisionPath(':id'),
      measure: {
        settle: true,
        headers: writeHeaders(copilot, JSON_ANSWER),
        bodyBytes: sizes.decision,
        request: posts(() => ({ path: decisionPath(ids[decided++]!), body: decision }), decisionLeft),
      },
    },
  ];

  console.error(
    `Running (${os.cpus().length} CPUs, Node ${process.version}, load average ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}):`,
  );
  // Node 20 (end of life) served the app's pages at about 30% fewer requests a second than 24 here: its figures are not a deployment's.
  const supported = Number(process.versions.node.split('.')[0]) >= 22;
  if (!supported) console.error(`Warning: Node ${process.version} is below the supported versions (package.json engines); measure on Node 24 (.ci/run installs it in .node/).`);
  const measured: Measured[] = [];
  let bareBefore = await bench.measure('bare (50 rows)', bare, '/', BARE);
  const bareRows = [bareBefore];
  const chosen = items.filter((item, index) => index < 2 || !only.length || only.some((part) => `${item.label} (${item.who})`.includes(part)));
  for (const item of chosen) {
    const row = await bench.measure(`${item.label} (${item.who})`, app, item.path, item.measure);
    const entry: Measured = { label: item.label, who: item.who, kind: item.kind, row, bareBefore, okStatus: item.okStatus ?? 200 };
    measured.push(entry);
    bareBefore = await bench.measure('bare (50 rows)', bare, '/', BARE);
    entry.bareAfter = bareBefore;
    bareRows.push(bareBefore);
  }
  const loadAfter = os.loadavg();

  // A write's rate is over its requests and the time its side effects took after them (harness.ts, settle).
  const rate = (row: Row) => (row.settledMs > 0 ? row.result.requests.total / (row.result.duration + row.settledMs / 1000) : row.result.requests.average);
  // Where the tail goes (stalls.ts): the server's longest event-loop stall in wall time and, in brackets, in the loop
  // thread's own CPU (the longest turn's own work, which waiting for a core does not inflate); its garbage collection in all,
  // its longest pause and the pauses of full (mark-compact) collections: the page runs whose p99 missed its target had one
  // (its marking steps and final pause take the app's one thread while 50 requests wait).
  const stallCells = ({ stalls }: Row) =>
    stalls ? [`${stalls.loopMaxMs.toFixed(0)} (${stalls.loopCpuMaxMs?.toFixed(0) ?? '-'})`, `${stalls.gcMs.toFixed(0)} (${stalls.gcMaxMs.toFixed(0)}, ${stalls.majorGcMs.toFixed(0)})`] : ['-', '-'];
  const baselineOf = (entry: Measured) => (rate(entry.bareBefore) + rate(entry.bareAfter!)) / 2;
  const bareCpu = bareRows.map((row) => row.cpuMsPerRequest ?? 0).reduce((a, b) => a + b, 0) / bareRows.length;
  const header = [
    'page / write',
    'who',
    'req/s',
    'bare req/s',
    'ratio',
    'p99 ms',
    'loop max ms (CPU)',
    'GC ms (max, full)',
    'CPU ms/resp',
    'of it engine',
    'effects done after s',
    'target',
    'verdict',
  ];
  const lines = measured.map((entry) => {
    const ratio = rate(entry.row) / baselineOf(entry);
    const p99 = entry.row.result.latency.p99;
    const target = entry.kind === 'write' ? TARGETS.write : TARGETS.page;
    const pass = ratio >= target && (entry.kind !== 'page' || p99 <= TARGETS.pageP99Ms);
    return [
      entry.label,
      entry.who,
      rate(entry.row).toFixed(0),
      baselineOf(entry).toFixed(0),
      ratio.toFixed(3),
      p99.toFixed(0),
      ...stallCells(entry.row),
      entry.row.cpuMsPerRequest === null ? '-' : entry.row.cpuMsPerRequest.toFixed(2),
      entry.row.engineMsPerRequest === null ? '-' : entry.row.engineMsPerRequest.toFixed(2),
      entry.kind === 'write' ? (entry.row.settledMs / 1000).toFixed(1) : '',
      entry.kind === 'page' ? `≥ ${target.toFixed(2)}, p99 ≤ ${TARGETS.pageP99Ms}` : entry.kind === 'write' ? `≥ ${target.toFixed(2)}` : '(for flatness)',
      entry.kind === 'reference' ? '' : pass ? 'PASS' : 'FAIL',
    ];
  });
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) => cells.map((cell, i) => (i < 2 || i === 11 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(
    `\nbench:all: app in production, log level info; ${options.duration} s per run after ${options.warmup} s warm-up (bare ${BARE.duration} s after ${BARE.warmup} s), ${options.connections} connections; ${LARGE_IDEAS.toLocaleString('en-GB')} ideas in the large challenge.`,
  );
  // The bare page's own p99 at these connections: what a page's p99 cannot beat (each connection waits its turn).
  const bareP99 = Math.max(...bareRows.map((row) => row.result.latency.p99));
  console.log(
    `Ratio = req/s over the mean of the bare runs just before and after (bare = Express + express-handlebars, the same 50 idea rows); a write's req/s is its requests over its run and the time until its side effects were done ("effects done after"), its CPU per write over both. Bare CPU per response: ${bareCpu.toFixed(2)} ms; bare p99 up to ${bareP99.toFixed(0)} ms.\n`,
  );
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
  const waited = (row: Row | undefined, name: string) => (row && row.waitedMs > 1_000 ? [`${name} ${(row.waitedMs / 1000).toFixed(1)} s`] : []);
  const waits = measured.flatMap((entry) => [...waited(entry.row, `${entry.label} (${entry.who})`), ...waited(entry.bareAfter, `the bare run after ${entry.label}`)]);
  if (waits.length) console.log(`\nWaited for the app to finish earlier work (its outbox) before: ${waits.join(', ')}.`);
  console.log(
    `\nBare runs in order: p99 ${bareRows.map((row) => row.result.latency.p99.toFixed(0)).join(', ')} ms; the bare server's loop max ${bareRows.map((row) => stallCells(row)[0]).join(', ')} ms, GC ${bareRows.map((row) => stallCells(row)[1]).join(', ')} ms.`,
  );

  const [fifty, large] = measured as [Measured, Measured];
  const flat = rate(large.row) / rate(fifty.row);
  console.log(`\nFlatness: challenge page at 10,000 ideas / at 50 ideas (visitor) = ${flat.toFixed(3)}   target ≥ ${TARGETS.flat.toFixed(2)}   ${flat >= TARGETS.flat ? 'PASS' : 'FAIL'}`);
  console.log(
    `Load average (1, 5, 15 min) at the end: ${loadAfter.map((n) => n.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs, Node ${process.version}${supported ? '' : " (unsupported: not a deployment's figures)"}; the run took ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  );
  console.log(`Writes made: ${submitted} submissions, ${voted} votes, ${commented} comments, ${decided} decisions (checks and warm-ups included).`);

  for (const entry of measured) {
    const { result } = entry.row;
    const wrong = entry.okStatus === 200 ? result.non2xx : result.requests.total - (result.statusCodeStats?.[String(entry.okStatus) as '303']?.count ?? 0);
    if (wrong > 0 || result.errors > 0) {
      console.log(
        `\nWARNING: ${entry.label} (${entry.who}) had ${wrong} answers other than ${entry.okStatus} and ${result.errors} errors (${result.timeouts} timeouts): its numbers do not measure it.`,
      );
      process.exitCode = 1;
    }
  }
});
