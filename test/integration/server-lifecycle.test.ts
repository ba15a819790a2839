import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { findFreePort } from '../../src/db/embedded-ferretdb.ts';

/** Production runs plain node on the build (`npm run build`), so signals reach the app itself. */
function runServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['dist/server.js'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the server process', () => {
  before(async () => {
    // Without its type check the build emits the same files (every module compiles on its own:
    // isolatedModules), in a fifth of the time; CI type-checks everything in its own step.
    await promisify(execFile)('npm', ['run', 'build', '--silent', '--', '--noCheck']);
  });

  it('built by `npm run build`, starts the embedded database, serves, and on SIGTERM stops everything and exits 0', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cocreate-server-'));
    const port = await findFreePort();
    // The demo's seeding takes a minute: test/browser/first-start.test.ts covers it.
    const server = runServer({ NODE_ENV: 'development', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'error', PASSWORD_HASH_COST: '1024', SEED_ON_FIRST_START: 'false' });
    try {
      const deadline = Date.now() + 60_000;
      let ready = false;
      while (!ready && Date.now() < deadline) {
        ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (response) => response.ok,
          () => false,
        );
        if (!ready) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.ok(ready, `server did not become ready:\n${server.output()}`);
      const home = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(home.status, 200);

      const engine = JSON.parse(await readFile(path.join(dataDir, 'ferretdb.json'), 'utf8')) as { pid: number };
      assert.ok(isAlive(engine.pid));

      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
      assert.equal(isAlive(engine.pid), false, 'the embedded database was stopped');
      assert.equal(existsSync(path.join(dataDir, 'ferretdb.json')), false);
    } finally {
      server.child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a wrong setting, naming the variable', async () => {
    const server = runServer({ PORT: 'not-a-port', MONGODB_URI: 'mongodb://127.0.0.1:1/x' });
    assert.equal(await server.exited, 1);
    assert.match(server.output(), /Invalid configuration:\n\s+PORT:/);
  });
});
