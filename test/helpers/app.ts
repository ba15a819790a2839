import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app.ts';
import type { ClusterBus } from '../../src/cluster/bus.ts';
import { loadConfig } from '../../src/config.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { createRealtimeForApp } from '../../src/realtime/realtime.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createHttpServer, listen } from '../../src/web/http-server.ts';
import { withSessionSecret } from '../../src/web/session-secret.ts';
import type { RateLimitSettings, RateLimitStoreFactory } from '../../src/web/rate-limits.ts';
import { withAxe } from './axe.ts';
import { useTestDatabase } from './database.ts';
import { startTestSmtp } from './mail.ts';

/**
 * The real app on a free port, against this file's database and a real SMTP server.
 * Password hashing is cheaper than in production so the suite stays fast.
 */
export async function startTestApp(
  options: {
    rateLimits?: Partial<RateLimitSettings>;
    rateLimitStore?: RateLimitStoreFactory;
    clusterBus?: ClusterBus;
    redis?: { url: string; namespace: string };
    env?: Record<string, string>;
    privateEngine?: boolean;
    /** False: this app records durable events but leaves consuming them to another process. */
    consumeOutbox?: boolean;
  } = {},
) {
  const closeDatabase = await useTestDatabase({ privateEngine: options.privateEngine });
  const smtp = await startTestSmtp();
  // Listening first, on a port the system picks: a port found free and bound only later was once
  // taken in between (as the local port of an outgoing connection) and the app failed to start.
  let handle: RequestListener = (_request, response) => response.writeHead(503).end();
  const server: Server = createHttpServer((request, response) => handle(request, response));
  await listen(server, 0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const config = await withSessionSecret(
    loadConfig({
      NODE_ENV: 'test',
      PORT: String(port),
      PUBLIC_URL: url,
      SMTP_URL: smtp.url,
      PASSWORD_HASH_COST: '1024',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
      ...options.env,
    }),
  );
  const logger = createLogger(config.logLevel);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  const built = createApp({
    config,
    logger,
    mailer,
    clusterBus: options.clusterBus,
    rateLimitStore: options.rateLimitStore,
    // Generous by default: only the tests of rate limiting lower them.
    rateLimits: { signInPerIp: 1000, signUpPerIp: 1000, resetPerIp: 1000, signInPerAccount: 1000, resetPerAccount: 1000, ...options.rateLimits },
  });
  const { app, services, events } = built;
  await built.readModelSync.start();
  if (options.consumeOutbox !== false) built.outbox.start();
  // The browser tests' accessibility checks load axe-core from the app's origin (see withAxe).
  const axe = withAxe(url, app);
  handle = axe.handle;
  const realtime = createRealtimeForApp(built, { httpServer: server, publicUrl: url, clusterBus: options.clusterBus, redisUrl: options.redis?.url, redisNamespace: options.redis?.namespace, logger });
  await realtime.ready();
  const close = async () => {
    axe.stop();
    built.readModelSync.stop();
    await built.outbox.stop();
    await realtime.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await smtp.close();
    await closeDatabase();
  };
  return { url, services, readModels: built.readModels, readModelSync: built.readModelSync, outbox: built.outbox, events, smtp, config, realtime, close };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/**
 * Two app processes on one database, started before the suite's tests and closed after: the
 * second hears of the first one's writes only through the change log (`await first.events.settled()`,
 * then `await second.readModelSync.catchUp()`).
 */
export function twoTestApps(hooks: { before: (fn: () => Promise<void>) => void; after: (fn: () => Promise<void>) => void }) {
  const apps = {} as { first: TestApp; second: TestApp };
  hooks.before(async () => {
    apps.first = await startTestApp();
    apps.second = await startTestApp();
  });
  hooks.after(async () => {
    await apps.second.close();
    await apps.first.close();
  });
  return apps;
}
