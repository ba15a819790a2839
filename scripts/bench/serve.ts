/**
 * The common life of a server under test (a child process of a benchmark, see harness.ts):
 * start it, tell the parent its port over IPC, and stop cleanly on SIGINT (Ctrl-C reaches the
 * whole process group), SIGTERM (sent by the parent) or when the parent goes away (IPC
 * disconnect), so a killed benchmark never leaves a server or the database engine behind.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { watchStalls, type StallsAnswer, type StallsRequest } from './stalls.ts';

export type Started = { server: Server; close: () => Promise<void> };

export type ReadyMessage = { port: number };

const STOP_GRACE_MS = 10_000;

export function runBenchServer(start: () => Promise<Started>): void {
  const started = start();
  // Every server under test reports its stalls per run when the bench asks (stalls.ts).
  const stalls = watchStalls();
  process.on('message', (message: StallsRequest) => {
    if (message.stalls === 'reset') stalls.reset();
    if (message.stalls === 'read') process.send?.({ stalls: stalls.read() } satisfies StallsAnswer);
  });
  let stopping = false;

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), STOP_GRACE_MS).unref();
    try {
      // Waiting for the start to settle means a half-started database engine is stopped too.
      const { server, close } = await started;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await close();
    } catch {
      // The start failed and cleaned up after itself (see below).
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());

  started.then(
    ({ server }) => {
      const ready: ReadyMessage = { port: (server.address() as AddressInfo).port };
      process.send?.(ready);
    },
    (error: unknown) => {
      console.error('bench server failed to start:', error);
      process.exit(1);
    },
  );
}

/** Listens on 127.0.0.1 only (port 0: any free port): the benchmark never serves beyond this machine. */
export function listenLocally(app: { listen: (port: number, host: string, callback: (error?: Error) => void) => Server }, port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    // Express 5 calls back with the error when listening fails.
    const server = app.listen(port, '127.0.0.1', (error) => (error ? reject(error) : resolve(server)));
  });
}
