import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { findFreePort } from '../../src/db/embedded-ferretdb.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { useTestDatabase } from '../helpers/database.ts';

/** An app whose log goes to a buffer; returns its address and what it wrote. */
async function appLoggingTo(pretty: boolean) {
  const sink = new PassThrough();
  let written = '';
  sink.on('data', (chunk: Buffer) => (written += chunk.toString()));
  const logger = createLogger('info', { pretty, destination: sink });
  const sessionSecret = 'test-session-secret-that-is-long-enough-0123456789';
  const config = { ...loadConfig({ NODE_ENV: pretty ? 'development' : 'production', SESSION_SECRET: sessionSecret, PASSWORD_HASH_COST: '1024' }), sessionSecret };
  const { app } = createApp({ config, logger, mailer: createMailer({ smtpUrl: undefined, from: config.mailFrom, logger }) });
  const port = await findFreePort();
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
  });
  return { url: `http://127.0.0.1:${port}`, written: () => written, server };
}

describe('the request log', () => {
  let close: () => Promise<void>;
  const servers: Server[] = [];
  before(async () => {
    close = await useTestDatabase();
  });
  after(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await close();
  });

  it('in development, writes one short line a person can read per request, without headers', async () => {
    const app = await appLoggingTo(true);
    servers.push(app.server);
    assert.equal((await fetch(`${app.url}/sign-in?returnTo=%2Fchallenges`, { headers: { 'user-agent': 'log-test' } })).status, 200);
    const lines = app.written().trim().split('\n');
    assert.equal(lines.length, 1, app.written());
    assert.match(lines[0]!, /^\[\d\d:\d\d:\d\d\] INFO: GET \/sign-in\?returnTo=%2Fchallenges 200 \d+ ms$/);
  });

  it('in production, writes one compact JSON line: method, path, status, time, request id and user id, without headers', async () => {
    const app = await appLoggingTo(false);
    servers.push(app.server);
    const response = await fetch(`${app.url}/sign-in`, { headers: { 'user-agent': 'log-test', 'x-request-id': 'log-test-request' } });
    assert.equal(response.headers.get('x-request-id'), 'log-test-request');
    const line = app.written().trim().split('\n').at(-1)!;
    const entry = JSON.parse(line) as Record<string, unknown>;
    assert.match(String(entry.msg), /^GET \/sign-in 200 \d+ ms$/);
    assert.deepEqual(
      { reqId: entry.reqId, userId: entry.userId, method: entry.method, path: entry.path, status: entry.status, ms: typeof entry.ms },
      { reqId: 'log-test-request', userId: null, method: 'GET', path: '/sign-in', status: 200, ms: 'number' },
    );
    assert.ok(!line.includes('log-test"') && !('req' in entry) && !('res' in entry), 'no headers');
  });

  it('keeps a CSRF token in a URL out of the log', async () => {
    const app = await appLoggingTo(false);
    servers.push(app.server);
    await fetch(`${app.url}/sign-in?_csrf=secret-token-value&x=1`);
    assert.ok(!app.written().includes('secret-token-value'));
    assert.match(app.written(), /_csrf=\[redacted\]&x=1/);
  });
});
