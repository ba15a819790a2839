/**
 * Child process of the benchmarks (pages.ts, challenge-page.ts): the real Cocreate app,
 * configured as in production (view cache on, silent logs), on an embedded FerretDB whose data
 * lives in the directory given as argv[2] (a temporary directory that the bench removes).
 * Mirrors test/helpers/app.ts, minus SMTP.
 *
 * argv: <data directory> [--challenges <now, ms since the epoch>]
 *   --challenges also seeds the challenge benchmark's data before listening: the 10,000-idea
 *   challenge (seedLargeChallenge) and the 50-idea one (seed-bench-challenge.ts, whose newest
 *   idea is dated `now`).
 * Environment: BENCH_CPU_PROFILE=<file> records a CPU profile (.cpuprofile, for Chrome DevTools)
 *   from the moment the app is ready until it stops, so seeding and start-up stay out of it.
 *
 * The read models (challenge catalog, idea board) are built before the app reports ready, so no
 * measured or warm-up request waits for them.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { createApp } from '../../src/app.ts';
import { benchConfig } from './bench-config.ts';
import { connectDatabase, disconnectDatabase } from '../../src/db/connection.ts';
import { findFreePort, startEmbeddedDatabase } from '../../src/db/embedded-ferretdb.ts';
import '../../src/db/models.ts';
import { seedLargeChallenge } from '../../src/db/seed-challenges.ts';
import { DEMO_PASSWORD, seedDemoData } from '../../src/db/seed.ts';
import { hashPassword } from '../../src/features/accounts/passwords.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { FIFTY_IDEAS, LARGE_IDEAS } from './challenge-data.ts';
import { seedFiftyIdeaChallenge } from './seed-bench-challenge.ts';
import { listenLocally, runBenchServer } from './serve.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { challenges: { type: 'string' } } });
const dataDir = positionals[0];
const challengesNow = values.challenges === undefined ? undefined : Number(values.challenges);
if (!dataDir || (challengesNow !== undefined && !Number.isSafeInteger(challengesNow))) {
  throw new Error('usage: app-server.ts <data directory> [--challenges <now, ms since the epoch>]');
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

runBenchServer(async () => {
  const engine = await startEmbeddedDatabase({ dataDir });
  try {
    await connectDatabase(engine.uri('bench'));
    const port = await findFreePort();
    const config = benchConfig(port, { DATA_DIR: dataDir });
    await seedDemoData({ passwordHashCost: config.passwordHashCost });
    if (challengesNow !== undefined) {
      const started = Date.now();
      await seedLargeChallenge(LARGE_IDEAS, await hashPassword(DEMO_PASSWORD, config.passwordHashCost));
      await seedFiftyIdeaChallenge(challengesNow);
      console.error(`  seeded ${LARGE_IDEAS} + ${FIFTY_IDEAS} ideas in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    const logger = createLogger(config.logLevel);
    const mailer = createMailer({ smtpUrl: undefined, from: config.mailFrom, logger });
    const { app, readModels } = createApp({ config, logger, mailer });
    await Promise.all([readModels.board.warm(), readModels.catalog.all()]);
    const server = await listenLocally(app, port);
    const stopProfiler = profileFile ? await startProfiler(profileFile) : undefined;
    return {
      server,
      close: async () => {
        await stopProfiler?.().catch((error: unknown) => console.error('could not write the CPU profile:', error));
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
