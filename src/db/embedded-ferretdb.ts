import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build-ferretdb.sh', import.meta.url));
const STATE_FILE = 'ferretdb.json';

export type EmbeddedDatabase = {
  uri: (databaseName: string) => string;
  port: number;
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
  const reason = stderr.split('\n').filter((line) => line.startsWith('build-ferretdb:')).pop() ?? stderr.trim();
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

/**
 * Starts FerretDB on SQLite with its data in `dataDir`, or joins the one already running there
 * (one engine per data directory: `npm run seed` while `npm start` runs must share it).
 */
export async function startEmbeddedDatabase(options: { dataDir: string; port?: number }): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const stateFile = path.join(dataDir, STATE_FILE);

  const running = await readRunningState(stateFile);
  if (running && isAlive(running.pid) && (await canConnect(running.port))) {
    return { port: running.port, uri: uriFor(running.port), stop: async () => {} };
  }

  const binary = await ensureFerretDbBinary();
  const port = options.port ?? (await findFreePort());
  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${dataDir}`,
      '--telemetry=disable',
      '--debug-addr=-',
      '--log-level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  await waitUntilListening(child, port, () => stderr);
  await writeFile(stateFile, JSON.stringify({ pid: child.pid, port }));

  return {
    port,
    uri: uriFor(port),
    stop: async () => {
      await rm(stateFile, { force: true });
      await stopProcess(child);
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
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new EmbeddedDatabaseError(`the embedded database exited at start: ${stderr().trim() || 'no output'}`);
    }
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new EmbeddedDatabaseError(`the embedded database did not listen on port ${port} within 30 s`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
