import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { SHUTDOWN_GRACE_MS } from '../../src/web/http-server.ts';
import { isAlive, processesInGroup, startLoad, startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks /readyz on one kept-alive connection until it answers 503 (or the connection ends). */
async function readinessAfterSignal(url: string, agent: http.Agent): Promise<number[]> {
  const statuses: number[] = [];
  const deadline = Date.now() + 2_000;
  while (Date.now() < deadline && statuses.at(-1) !== 503) {
    const status = await new Promise<number>((resolve) => {
      http
        .get(`${url}/readyz`, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        })
        .on('error', () => resolve(0));
    });
    statuses.push(status);
    if (status === 0) break;
  }
  return statuses;
}

/**
 * 50 clients load the home page; the signal goes to `target` while requests are in flight.
 * Every request sent before the signal must get its answer, and the whole tree must end.
 */
async function stopUnderLoad(server: ServerProcess, target: 'process' | 'group', signal: NodeJS.Signals) {
  const group = server.child.pid!;
  const tree = processesInGroup(group);
  const enginePid = await server.enginePid();
  const probe = new http.Agent({ keepAlive: true, maxSockets: 1 });
  assert.deepEqual(await readinessAfterSignal(server.url, probe).then((statuses) => statuses[0]), 200);

  const load = startLoad(server.url, { connections: 50, path: '/', maxMs: 25_000 });
  await load.warmedUp();
  await sleep(1_000);
  const signalledAt = Date.now();
  process.kill(target === 'group' ? -group : group, signal);
  const readiness = await readinessAfterSignal(server.url, probe);
  probe.destroy();
  const results = await load.finished();
  const exit = await Promise.race([server.exited, sleep(SHUTDOWN_GRACE_MS + 10_000).then(() => 'timed out' as const)]);
  const stoppedInMs = Date.now() - signalledAt;

  const before = results.filter((result) => result.startedAt < signalledAt);
  const inFlight = before.filter((result) => result.endedAt > signalledAt);
  const failed = before.filter((result) => result.error || result.status !== 200);
  assert.ok(before.length > 50, `load ran before the signal (${before.length} requests)`);
  assert.ok(inFlight.length > 0, 'some requests were in flight at the signal');
  assert.deepEqual(
    failed.map((result) => ({ ...result, startedAt: result.startedAt - signalledAt, endedAt: result.endedAt - signalledAt })),
    [],
    `${failed.length} of ${before.length} requests sent before the signal failed`,
  );
  assert.ok(
    results.some((result) => result.endedAt > signalledAt && result.connectionClose),
    'responses during the drain carry Connection: close',
  );
  assert.equal(readiness.at(-1), 503, `/readyz answered ${readiness.join(', ')} after the signal`);
  assert.deepEqual(exit, { code: 0, signal: null }, server.output());
  assert.ok(stoppedInMs < SHUTDOWN_GRACE_MS, `stopped in ${stoppedInMs} ms`);
  // tsx's esbuild helper ends by itself when its parent's pipe closes, a moment after node.
  const left = async () => tree.filter(isAlive).length === 0;
  for (let waited = 0; waited < 2_000 && !(await left()); waited += 100) await sleep(100);
  assert.deepEqual(tree.filter(isAlive), [], 'every process of the tree ended');
  assert.equal(isAlive(enginePid), false, 'the embedded database stopped');
  return `${before.length} requests before the signal, ${inFlight.length} in flight at it, all answered; stopped in ${stoppedInMs} ms`;
}

const SCENARIOS = [
  { name: 'SIGTERM to the node process: requests in flight finish, then the app and its database stop, exit 0', how: 'node', target: 'process', signal: 'SIGTERM' },
  { name: 'Ctrl-C on `npm start` (SIGINT to the process group): the same clean stop, npm exits 0', how: 'npm', target: 'group', signal: 'SIGINT' },
  { name: 'SIGTERM to the npm wrapper alone (docker stop on `npm start`): forwarded, nothing orphaned', how: 'npm', target: 'process', signal: 'SIGTERM' },
] as const;

describe('stopping the server under load', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, async (t) => {
      // No demo seeding: the stop is what is under test, and the home page it loads needs no data.
      const server = await startServerProcess({ how: scenario.how, env: { SEED_ON_FIRST_START: 'false' } });
      try {
        t.diagnostic(await stopUnderLoad(server, scenario.target, scenario.signal));
      } finally {
        await server.cleanUp();
      }
    });
  }
});
