/**
 * Child process of `pages.ts`: the real Cocreate app, configured as in production (view cache
 * on, silent logs), on an embedded FerretDB whose data lives in the directory given as argv[2]
 * (a temporary directory that `pages.ts` removes). Mirrors test/helpers/app.ts, minus SMTP.
 */
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { connectDatabase, disconnectDatabase } from '../../src/db/connection.ts';
import { findFreePort, startEmbeddedDatabase } from '../../src/db/embedded-ferretdb.ts';
import '../../src/db/models.ts';
import { seedDemoData } from '../../src/db/seed.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { listenLocally, runBenchServer } from './serve.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: app-server.ts <data directory>');

runBenchServer(async () => {
  const engine = await startEmbeddedDatabase({ dataDir });
  try {
    await connectDatabase(engine.uri('bench'));
    const port = await findFreePort();
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'silent',
      SESSION_SECRET: 'bench-session-secret-that-is-long-enough-0123456789',
      DATA_DIR: dataDir,
    });
    await seedDemoData({ passwordHashCost: config.passwordHashCost });
    const logger = createLogger(config.logLevel);
    const mailer = createMailer({ smtpUrl: undefined, from: config.mailFrom, logger });
    const { app } = createApp({ config, logger, mailer });
    const server = await listenLocally(app, port);
    return {
      server,
      close: async () => {
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
