import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.ts';
import { fromThisMachineOnly, isLoopback } from '../../src/web/loopback.ts';
import { withSessionSecret } from '../../src/web/session-secret.ts';
import { TYPESCRIPT_LOADER } from '../../scripts/typescript-loader.ts';
import { signedInClient } from '../helpers/users.ts';
import { startServerProcess } from '../helpers/server-process.ts';

const execFileAsync = promisify(execFile);

/** The local addresses (ip, port) listening on TCP, from /proc (Linux). */
async function listeningOn(port: number): Promise<string[]> {
  const table = await readFile('/proc/net/tcp', 'utf8');
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A' && parseInt(fields[1]!.split(':')[1]!, 16) === port)
    .map((fields) => {
      const hex = fields[1]!.split(':')[0]!;
      return [3, 2, 1, 0].map((byte) => parseInt(hex.slice(byte * 2, byte * 2 + 2), 16)).join('.');
    });
}

describe('safe defaults', () => {
  it('outside production listens on 127.0.0.1 unless HOST says otherwise; production on every interface', () => {
    assert.equal(loadConfig({}).host, '127.0.0.1');
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).host, '0.0.0.0');
    assert.equal(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).host, '0.0.0.0');
  });

  it('makes a random session secret on first start, readable by its owner only, and keeps it', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cocreate-secret-'));
    try {
      const first = await withSessionSecret(loadConfig({ DATA_DIR: dataDir }));
      const second = await withSessionSecret(loadConfig({ DATA_DIR: dataDir }));
      const other = await withSessionSecret(loadConfig({ DATA_DIR: path.join(dataDir, 'elsewhere') }));
      assert.ok(first.sessionSecret.length >= 32);
      assert.equal(second.sessionSecret, first.sessionSecret);
      assert.notEqual(other.sessionSecret, first.sessionSecret);
      assert.equal((await stat(path.join(dataDir, 'session-secret'))).mode & 0o777, 0o600);
      assert.equal((await withSessionSecret(loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: 's'.repeat(32) }))).sessionSecret, 's'.repeat(32));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('answers the mail outbox only to this machine: not to another address, nor through a proxy', async () => {
    assert.equal(isLoopback('127.0.0.1'), true);
    assert.equal(isLoopback('::ffff:127.0.0.2'), true);
    assert.equal(isLoopback('::1'), true);
    assert.equal(isLoopback('203.0.113.9'), false);
    assert.equal(isLoopback('::ffff:10.0.0.1'), false);
    assert.equal(isLoopback(undefined), false);
    const fromAfar = { headers: {}, socket: { remoteAddress: '203.0.113.9' } } as unknown as express.Request;
    assert.throws(() => fromThisMachineOnly(fromAfar, {} as express.Response, () => undefined), { status: 404 });

    const app = express().get('/dev/outbox', fromThisMachineOnly, (_req, res) => void res.send('the outbox'));
    app.use(((error, _req, res, _next) => void res.status((error as { status?: number }).status ?? 500).end()) as express.ErrorRequestHandler);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev/outbox`;
    try {
      assert.equal((await fetch(url)).status, 200);
      assert.equal((await fetch(url, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status, 404);
      assert.equal((await fetch(url, { headers: { forwarded: 'for=203.0.113.9' } })).status, 404);
    } finally {
      server.close();
    }
  });

  it("a newcomer's `npm start`: bound to 127.0.0.1, the outbox served locally, and a session that survives a restart", async () => {
    // The demo seed is the first-start journey's subject; here an admin made by `create-admin` (on
    // the running embedded database, as README says) is enough, and saves the suite a minute.
    const first = await startServerProcess({ how: 'node', env: { SEED_ON_FIRST_START: 'false' } });
    const dataDir = first.dataDir;
    let second: Awaited<ReturnType<typeof startServerProcess>> | undefined;
    try {
      assert.deepEqual(await listeningOn(first.port), ['127.0.0.1']);
      assert.equal((await fetch(`${first.url}/dev/outbox`)).status, 200);
      const password = 'Quiet-Harbour-Lantern-42';
      await execFileAsync(process.execPath, [...TYPESCRIPT_LOADER, 'scripts/create-admin.ts', '--email', 'newcomer@example.test', '--password', password], {
        env: { ...process.env, DATA_DIR: dataDir, PASSWORD_HASH_COST: '1024', LOG_LEVEL: 'silent' },
      });
      const admin = await signedInClient(first.url, { email: 'newcomer@example.test', password });
      const secret = await readFile(path.join(dataDir, 'session-secret'), 'utf8');
      first.child.kill('SIGTERM');
      assert.deepEqual(await first.exited, { code: 0, signal: null });

      second = await startServerProcess({ how: 'node', dataDir, port: first.port });
      assert.equal(await readFile(path.join(dataDir, 'session-secret'), 'utf8'), secret);
      const account = await admin.get('/account');
      assert.equal(account.status, 200, 'still signed in after the restart');
    } finally {
      await second?.cleanUp();
      await first.cleanUp();
    }
  });
});
