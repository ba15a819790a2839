import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { findFreePort } from '../../src/db/embedded-ferretdb.ts';
import { hasExited } from '../../src/shared/child-processes.ts';

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * A Redis of the test's own on a free port, which the test may kill and start again on the same
 * port (the shared Redis of the machine must never be stopped). Nothing is persisted.
 */
export async function startRedisServer() {
  const port = await findFreePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await accepts(port))) {
      if (Date.now() > deadline) throw new Error('redis-server did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const kill = async () => {
    // Killed before (a test's stop, then its cleanup): its 'exit' came already.
    if (!child || hasExited(child)) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, kill, restart: start };
}
