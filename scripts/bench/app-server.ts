/**
 * Child process of the benchmarks (pages.ts, challenge-page.ts, queue.ts, insights.ts): the real Cocreate app,
 * configured as in production (view cache on, silent logs), on an embedded FerretDB whose data
 * lives in the directory given as argv[2] (a temporary directory that the bench removes).
 * Mirrors test/helpers/app.ts, minus SMTP.
 *
 * argv: <data directory> [--challenges <now, ms since the epoch> [--story] | --queue <count> --queue-ids <file> | --insights <count> --insights-rebuild <file>]
 *   --challenges also seeds the challenge benchmark's data before listening: the 10,000-idea
 *   challenge (seedLargeChallenge) and the 50-idea one (seed-bench-challenge.ts, whose newest
 *   idea is dated `now`).
 *   --story (with --challenges, for all.ts): also plays two chapters of the demo's story (a judged
 *   challenge; a closed one whose ideas went to the product backlog, with notifications) and makes the demo copilot a copilot of the large challenge; with --queue-ids,
 *   writes the large challenge's waiting ideas there as --queue does.
 *   --queue seeds instead the screening queue benchmark's data: the large challenge with <count>
 *   submitted ideas, all waiting for screening, and writes their ids, oldest first, to
 *   --queue-ids as a JSON array (the bench decides on each once: a second decision is a 409).
 *   --insights seeds the insights benchmark's data: the large challenge with <count> ideas and
 *   three weeks of activity on it (seed-insights.ts), then rebuilds the insights read model from
 *   scratch (rebuildInsights) and writes its result `{days, marks, ms}` to --insights-rebuild as JSON.
 * Environment: BENCH_LOG_LEVEL (default silent) is the app's log level (it logs to stdout, as deployed);
 *   BENCH_CPU_PROFILE=<file> records a CPU profile (.cpuprofile, for Chrome DevTools)
 *   from the moment the app is ready until it stops, so seeding and start-up stay out of it.
 *
 * The read models (challenge catalog, idea board) are built before the app reports ready, so no
 * measured or warm-up request waits for them.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { createApp } from '../../src/app.ts';
import { startBackgroundWork } from '../../src/background-work.ts';
import { inProcessConsumers } from '../../src/cluster/outbox.ts';
import { benchConfig } from './bench-config.ts';
import { connectDatabase, disconnectDatabase } from '../../src/db/connection.ts';
import { findFreePort, startEmbeddedDatabase } from '../../src/db/embedded-ferretdb.ts';
import '../../src/db/models.ts';
import { LARGE_CHALLENGE_ID, seedLargeChallenge } from '../../src/db/seed-challenges.ts';
import { DEMO_PASSWORD, seedDemoData } from '../../src/db/seed.ts';
import { tellClosedChallenge } from '../../src/db/seed-story/closed-challenge.ts';
import { tellJudgingChallenge } from '../../src/db/seed-story/judging-challenge.ts';
import { loadCast } from '../../src/db/seed-story/kit.ts';
import { User } from '../../src/features/accounts/user.model.ts';
import { Challenge } from '../../src/features/challenges/challenge.model.ts';
import { hashPassword } from '../../src/features/accounts/passwords.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { rebuildInsights } from '../../src/features/insights/rebuild.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { FIFTY_IDEAS, LARGE_IDEAS } from './challenge-data.ts';
import { seedFiftyIdeaChallenge } from './seed-bench-challenge.ts';
import { seedInsightsActivity } from './seed-insights.ts';
import { listenLocally, runBenchServer } from './serve.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    challenges: { type: 'string' },
    story: { type: 'boolean' },
    queue: { type: 'string' },
    'queue-ids': { type: 'string' },
    insights: { type: 'string' },
    'insights-rebuild': { type: 'string' },
  },
});
const dataDir = positionals[0];
const challengesNow = values.challenges === undefined ? undefined : Number(values.challenges);
const queueCount = values.queue === undefined ? undefined : Number(values.queue);
const queueIdsFile = values['queue-ids'];
const insightsCount = values.insights === undefined ? undefined : Number(values.insights);
const rebuildFile = values['insights-rebuild'];
// Each seeds the large challenge, to its own size.
const severalSeeds = [challengesNow, queueCount, insightsCount].filter((value) => value !== undefined).length > 1;
const badQueue = queueCount !== undefined && (!Number.isSafeInteger(queueCount) || queueCount < 1 || !queueIdsFile);
const badInsights = insightsCount !== undefined && (!Number.isSafeInteger(insightsCount) || insightsCount < 1 || !rebuildFile);
if (!dataDir || (challengesNow !== undefined && !Number.isSafeInteger(challengesNow)) || badQueue || badInsights || severalSeeds) {
  throw new Error('usage: app-server.ts <data directory> [--challenges <now, ms since the epoch> | --queue <count> --queue-ids <file> | --insights <count> --insights-rebuild <file>]');
}
const profileFile = process.env.BENCH_CPU_PROFILE;

/** Starts the V8 sampling profiler of this process; the returned function stops it and writes the profile. */
async function startProfiler(file: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/** The large challenge's ideas waiting for screening, oldest first, as a JSON array of ids. */
async function writeWaitingIds(file: string): Promise<void> {
  const waiting = await Idea.find({ challengeId: LARGE_CHALLENGE_ID, status: 'submitted' }, { _id: 1, submittedAt: 1 }).lean();
  waiting.sort((a, b) => a.submittedAt!.getTime() - b.submittedAt!.getTime() || String(a._id).localeCompare(String(b._id)));
  await writeFile(file, JSON.stringify(waiting.map((idea) => String(idea._id))));
}

runBenchServer(async () => {
  const engine = await startEmbeddedDatabase({ dataDir });
  try {
    await connectDatabase(engine.uri('bench'));
    const port = await findFreePort();
    // BENCH_NODE_ENV=development measures what a developer's machine serves (templates watched, not re-read).
    const config = await benchConfig(port, { DATA_DIR: dataDir, NODE_ENV: process.env.BENCH_NODE_ENV ?? 'production', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent' });
    await seedDemoData({ passwordHashCost: config.passwordHashCost });
    if (challengesNow !== undefined) {
      const started = Date.now();
      await seedLargeChallenge(LARGE_IDEAS, await hashPassword(DEMO_PASSWORD, config.passwordHashCost));
      await seedFiftyIdeaChallenge(challengesNow);
      console.error(`  seeded ${LARGE_IDEAS} + ${FIFTY_IDEAS} ideas in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    if (values.story) {
      const started = Date.now();
      const copilot = await User.findOne({ email: 'copilot@demo.cocreate.local' }, { _id: 1 }).lean();
      await Challenge.updateOne({ _id: LARGE_CHALLENGE_ID }, { $addToSet: { copilotIds: copilot!._id } });
      // Played on an app instance of its own, as seed-demo.ts does: the serving app builds its read models from the database.
      const seeding = createApp({ config, logger: createLogger('silent'), mailer: { send: async () => undefined, outbox: () => [] }, outbox: inProcessConsumers });
      // Two of the demo's four chapters: the judged challenge (the ranking page) and the closed one (backlog
      // items); the whole story takes minutes on a busy machine.
      const story = { services: seeding.services, cast: await loadCast(), progress: () => undefined, settled: () => seeding.events.settled() };
      await seeding.services.backlogs.setOwners(story.cast.admin, 'product', [story.cast.staff.email]);
      await tellJudgingChallenge(story);
      await tellClosedChallenge(story);
      await seeding.events.settled();
      console.error(`  played two chapters of the demo story in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      if (queueIdsFile) await writeWaitingIds(queueIdsFile);
    }
    if (queueCount !== undefined && queueIdsFile) {
      const started = Date.now();
      await seedLargeChallenge(queueCount, await hashPassword(DEMO_PASSWORD, config.passwordHashCost));
      await writeWaitingIds(queueIdsFile);
      console.error(`  seeded ${queueCount} waiting ideas in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    if (insightsCount !== undefined && rebuildFile) {
      const started = Date.now();
      await seedLargeChallenge(insightsCount, await hashPassword(DEMO_PASSWORD, config.passwordHashCost));
      const activity = await seedInsightsActivity();
      console.error(
        `  seeded ${insightsCount} ideas (${activity.decided} decided), ${activity.votes} votes, ${activity.comments} comments, ${activity.visits} visits in ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
      // Before the app starts, as the script is run on a quiet site.
      const rebuilt = await rebuildInsights();
      await writeFile(rebuildFile, JSON.stringify(rebuilt));
      console.error(`  rebuilt the insights read model from scratch in ${(rebuilt.ms / 1000).toFixed(1)} s: ${rebuilt.days} day documents, ${rebuilt.marks} markers`);
    }
    const logger = createLogger(config.logLevel);
    const mailer = createMailer({ smtpUrl: undefined, from: config.mailFrom, logger });
    const { app, services, readModels, readModelSync, outbox } = createApp({ config, logger, mailer });
    // As server.ts does: the change log is tailed, the outbox consumed and the timers run while the pages are measured.
    await readModelSync.start();
    const stopBackground = startBackgroundWork({ services, config, logger });
    outbox.start();
    await Promise.all([readModels.board.warm(), readModels.catalog.all()]);
    const server = await listenLocally(app, port);
    const stopProfiler = profileFile ? await startProfiler(profileFile) : undefined;
    return {
      server,
      close: async () => {
        // First: the outbox may take longer to stop than the stop's grace when it is behind.
        await stopProfiler?.().catch((error: unknown) => console.error('could not write the CPU profile:', error));
        readModelSync.stop();
        await Promise.all([stopBackground(), outbox.stop()]);
        await disconnectDatabase();
        await engine.stop();
      },
    };
  } catch (error) {
    await disconnectDatabase().catch(() => undefined);
    await engine.stop();
    throw error;
  }
});
