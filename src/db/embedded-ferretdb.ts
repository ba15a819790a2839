import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasExited, stopProcess } from '../shared/child-processes.ts';

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build-ferretdb.sh', import.meta.url));
const STATE_FILE = 'ferretdb.json';

export type EmbeddedDatabase = {
  uri: (databaseName: string) => string;
  port: number;
  /** The engine process's id now (it changes when the supervisor restarts it). */
  pid: () => number | undefined;
  /** Stops the engine if this process started it; a shared running engine is left alone. */
  stop: () => Promise<void>;
};

export class EmbeddedDatabaseError extends Error {}

/**
 * Builds the patched FerretDB once (cached per user) and returns the binary's path. The build's
 * progress goes to our stderr as it happens: the first start takes minutes and must say so.
 */
export async function ensureFerretDbBinary(): Promise<string> {
  const child = spawn('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code === 0) return stdout.trim().split('\n').pop() ?? '';
  const reason =
    stderr
      .split('\n')
      .filter((line) => line.startsWith('build-ferretdb:'))
      .pop() ?? stderr.trim();
  throw new EmbeddedDatabaseError(reason || 'building the embedded database failed');
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Told when the engine's process ends unexpectedly and when a restart of it listens again. */
export type EngineWatcher = { died: (detail: { code: number | null; signal: string | null; restartInMs: number }) => void; restarted: () => void };

/**
 * The engine's Go garbage collector runs when its heap has grown by this many percent (Go's
 * default is 100). Its live heap is small (tens of MB) and every command allocates, so at 100 it
 * collects many times a second under writes: 200 cost 17% less engine CPU per operation than
 * 100 (400 saved 2% more, within the noise) for a few MB more memory. A GOGC set in the
 * environment wins.
 */
const ENGINE_GOGC = '200';

const RESTART_FIRST_MS = 250;
const RESTART_MAX_MS = 8_000;

/**
 * Starts FerretDB on SQLite with its data in `dataDir`, or joins the one already running there
 * (one engine per data directory: `npm run seed` while `npm start` runs must share it).
 * An engine this process started is supervised: if it dies it is started again on the same port
 * (the driver reconnects by itself), after 0.25 s, then twice as long each time up to 8 s.
 */
/**
 * `normal` (the default): SQLite in WAL mode syncs the disk at checkpoints, not at each commit. A
 * process that crashes loses nothing; a machine that loses power may lose the last commits
 * (never the database's consistency). `full` syncs every commit: about 5 ms of disk wait each,
 * taken while SQLite's one writer lock is held, which made every write of the app queue behind
 * the disk (an idea submission is a dozen commits).
 */
export type EmbeddedSync = 'normal' | 'full';

export async function startEmbeddedDatabase(options: { dataDir: string; port?: number; watcher?: EngineWatcher; sync?: EmbeddedSync }): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const stateFile = path.join(dataDir, STATE_FILE);

  const running = await readRunningState(stateFile);
  if (running && isAlive(running.pid) && (await canConnect(running.port))) {
    return { port: running.port, uri: uriFor(running.port), pid: () => running.pid, stop: async () => {} };
  }

  const binary = await ensureFerretDbBinary();
  const port = options.port ?? (await findFreePort());
  let stderr = '';
  const launch = () => {
    const child = spawn(
      binary,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${dataDir}/?_pragma=synchronous(${options.sync ?? 'normal'})`,
        `--listen-addr=127.0.0.1:${port}`,
        `--state-dir=${dataDir}`,
        '--telemetry=disable',
        `--debug-addr=${process.env.ENGINE_DEBUG_ADDR ?? '-'}`,
        '--log-level=error',
      ],
      // Its own process group: a Ctrl-C (SIGINT to the whole group) must not stop the database
      // under requests the app is still finishing; the app stops it last.
      { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env: { ...process.env, GOGC: process.env.GOGC ?? ENGINE_GOGC } },
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    return child;
  };

  let child = launch();
  await waitUntilListening(child, port, () => stderr);
  await writeFile(stateFile, JSON.stringify({ pid: child.pid, port }));

  let stopping = false;
  let failures = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const supervise = (watched: ChildProcess) => {
    watched.once('exit', (code, signal) => {
      if (stopping || watched !== child) return;
      const restartInMs = Math.min(RESTART_FIRST_MS * 2 ** failures, RESTART_MAX_MS);
      failures += 1;
      options.watcher?.died({ code, signal, restartInMs });
      restartTimer = setTimeout(restart, restartInMs);
      restartTimer.unref();
    });
  };
  const restart = () => {
    if (stopping) return;
    child = launch();
    supervise(child);
    const started = child;
    waitUntilListening(started, port, () => stderr).then(
      async () => {
        failures = 0;
        await writeFile(stateFile, JSON.stringify({ pid: started.pid, port }));
        options.watcher?.restarted();
      },
      // It exited (or was killed for not listening): its exit schedules the next try.
      () => undefined,
    );
  };
  supervise(child);
  // A crash of this process must not leave its engine running (a signal to the group no longer reaches it).
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);

  return {
    port,
    uri: uriFor(port),
    pid: () => child.pid,
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      process.off('exit', killOnExit);
      await rm(stateFile, { force: true });
      await stopProcess(child, 5_000);
    },
  };
}

function uriFor(port: number) {
  return (databaseName: string) => `mongodb://127.0.0.1:${port}/${databaseName}?directConnection=true`;
}

async function readRunningState(stateFile: string): Promise<{ pid: number; port: number } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(stateFile, 'utf8')) as { pid?: unknown; port?: unknown };
    if (typeof parsed.pid === 'number' && typeof parsed.port === 'number') return { pid: parsed.pid, port: parsed.port };
  } catch {
    // No engine has been started here, or it left a broken file behind: start a new one.
  }
  return undefined;
}

async function waitUntilListening(child: ChildProcess, port: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (hasExited(child)) {
      throw new EmbeddedDatabaseError(`the embedded database exited at start: ${stderr().trim() || 'no output'}`);
    }
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new EmbeddedDatabaseError(`the embedded database did not listen on port ${port} within 30 s`);
}
