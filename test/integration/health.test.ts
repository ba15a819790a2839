import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { connectDatabase } from '../../src/db/connection.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded-ferretdb.ts';
import { healthRoutes } from '../../src/web/health.ts';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** Readiness follows the database: this file owns a private engine so it can stop and restart it. */
describe('health and readiness', () => {
  let dataDir: string;
  let engine: EmbeddedDatabase;
  let server: Server;
  let url: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cocreate-health-'));
    engine = await startEmbeddedDatabase({ dataDir });
    await connectDatabase(engine.uri('health'));
    const app = express().use(healthRoutes());
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.close();
    await mongoose.disconnect();
    await engine.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers /healthz and /readyz while the database is up', async () => {
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const ready = await fetch(`${url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
  });

  it('reports 503 while the database is down and recovers by itself when it returns', async () => {
    const port = engine.port;
    await engine.stop();
    const down = await fetch(`${url}/readyz`);
    assert.equal(down.status, 503);
    assert.equal((await fetch(`${url}/healthz`)).status, 200, 'the process itself is still up');

    engine = await startEmbeddedDatabase({ dataDir, port });
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await fetch(`${url}/readyz`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(status, 200);
  });
});
