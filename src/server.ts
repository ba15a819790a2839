import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { createApp } from './app.ts';
import { startBackgroundWork } from './background-work.ts';
import { createLocalBus, createRedisBus, type ClusterBus } from './cluster/bus.ts';
import { siteKeyOf } from './cluster/site-key.ts';
import { connectRedis } from './cluster/redis-client.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { EmbeddedDatabaseError } from './db/embedded-ferretdb.ts';
import { seedDemo } from './db/seed-demo.ts';
import { databaseIsEmpty, describeDemoUsers } from './db/seed.ts';
import { createMailer } from './mail/mailer.ts';
import { createRealtimeForApp, type Realtime } from './realtime/realtime.ts';
import { createLogger } from './shared/logger.ts';
import { createHttpServer, drainConnections, listen, SHUTDOWN_GRACE_MS } from './web/http-server.ts';
import { redisRateLimitStores } from './web/rate-limits.ts';
import { withSessionSecret } from './web/session-secret.ts';

async function main() {
  // A signal during start-up is kept and acted on once the server is up: stopping halfway could
  // leave the embedded engine behind.
  let signalledEarly: NodeJS.Signals | undefined;
  const keepSignal = (signal: NodeJS.Signals) => {
    signalledEarly = signal;
  };
  process.on('SIGTERM', keepSignal);
  process.on('SIGINT', keepSignal);
  const config = await withSessionSecret(loadConfig());
  const logger = createLogger(config.logLevel, { pretty: config.env === 'development' });
  logger.info(config.mongodbUri ? 'connecting to MONGODB_URI' : `starting the embedded database (data in ${config.dataDir})`);
  const database = await openDatabase(config, {
    died: ({ code, signal, restartInMs }) => logger.error({ code, signal }, `the embedded database stopped; restarting it in ${restartInMs} ms`),
    restarted: () => logger.info('the embedded database is running again'),
  });
  logger.info({ embedded: database.embedded }, database.embedded ? `embedded database ready (data in ${config.dataDir})` : 'connected to MONGODB_URI');

  let server: Server;
  let drain: ReturnType<typeof createApp>['web']['drain'];
  let stopSync = () => {};
  let stopOutbox: () => Promise<void> = async () => {};
  let stopBackground: () => Promise<void> = async () => {};
  let clusterBus: ClusterBus | undefined;
  let limitsRedis: Redis | undefined;
  let realtime: Realtime | undefined;
  try {
    if (config.seedOnFirstStart && (await databaseIsEmpty())) {
      console.log('First start on an empty database: seeding the demo (under a minute)…');
      const demo = await seedDemo({ config, logger, progress: (line) => console.log(`  seeding ${line}…`) });
      console.log(`Demo data created in ${(demo.ms / 1000).toFixed(0)} s.\n${describeDemoUsers(demo.users)}\n`);
    }
    const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
    const siteKey = siteKeyOf(config, mongoose.connection.name);
    clusterBus = config.redisUrl ? createRedisBus({ redisUrl: config.redisUrl, logger, namespace: siteKey }) : createLocalBus();
    if (config.redisUrl) {
      // A limit check fails at once while Redis is away, and the limiter lets the request pass:
      // queued for Redis to come back, each sign-in waited up to 30 s.
      limitsRedis = connectRedis(config.redisUrl, { logger, purpose: 'rate limits', enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    }
    const rateLimitStore = limitsRedis && redisRateLimitStores(limitsRedis, siteKey, (error) => logger.warn({ err: error }, 'could not load the rate-limit scripts into Redis'));
    const built = createApp({ config, logger, mailer, clusterBus, rateLimitStore });
    const { app, services, readModels } = built;
    drain = built.web.drain;
    // Follow the change log from its head before the read models load: nothing written meanwhile is missed.
    await built.readModelSync.start();
    stopSync = built.readModelSync.stop;
    // Build the in-memory read models in the background: the first visitor should not wait.
    void Promise.all([readModels.catalog.all(), readModels.board.warm(), readModels.follows.warm()]).catch((error: unknown) => logger.error({ err: error }, 'warming read models failed'));
    stopBackground = startBackgroundWork({ services, config, logger });
    built.outbox.start();
    stopOutbox = built.outbox.stop;
    server = createHttpServer(app);
    realtime = createRealtimeForApp(built, { httpServer: server, publicUrl: config.publicUrl, clusterBus, redisUrl: config.redisUrl, redisNamespace: siteKey, logger });
    await listen(server, config.port, config.host);
  } catch (error) {
    stopSync();
    await Promise.all([stopBackground(), stopOutbox()]);
    // Never leave the embedded engine running behind a process that failed to start.
    await realtime?.close();
    await clusterBus?.close();
    limitsRedis?.disconnect();
    await database.close().catch(() => undefined);
    throw error;
  }
  logger.info(`Cocreate is running at ${config.publicUrl}`);

  let stopping = false;
  // The order matters: stop advertising readiness and taking connections, let requests in flight
  // finish, then close the database they use. Bounded by SHUTDOWN_GRACE_MS plus the database's own stop.
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    drain.begin();
    const drained = drainConnections(server, SHUTDOWN_GRACE_MS);
    const backgroundStopped = stopBackground();
    stopSync();
    // Upgraded (WebSocket) connections are not the HTTP server's to close: end them, or the drain waits for its bound.
    await realtime?.close();
    // The outbox's consumer finishes its batch and hands its lease over, so another process (or
    // this one restarted) goes on at once.
    const [{ forced }] = await Promise.all([drained, backgroundStopped, stopOutbox()]);
    if (forced) logger.warn(`connections still open after ${SHUTDOWN_GRACE_MS / 1000} s were closed`);
    await clusterBus?.close();
    limitsRedis?.disconnect();
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    shutdown(signal).catch((error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.off('SIGTERM', keepSignal).off('SIGINT', keepSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  if (signalledEarly) onSignal(signalledEarly);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseError) {
    console.error(`Cocreate cannot start. ${error.message}`);
  } else if ((error as { code?: string }).code === 'EADDRINUSE') {
    console.error(`Cocreate cannot start: port ${(error as { port?: number }).port ?? ''} is already in use. Set PORT to another port.`);
  } else {
    console.error('Cocreate cannot start:', error);
  }
  process.exit(1);
});
