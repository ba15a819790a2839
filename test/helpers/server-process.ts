import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../src/db/embedded-ferretdb.ts';
import { hasExited } from '../../src/shared/child-processes.ts';
import { TYPESCRIPT_LOADER } from '../../scripts/typescript-loader.ts';

export type ServerProcess = {
  child: ChildProcess;
  url: string;
  port: number;
  dataDir: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
  /** The embedded engine's pid, from its state file. */
  enginePid: () => Promise<number>;
  /** Kills whatever is left (after a failed test) and removes the data directory. */
  cleanUp: () => Promise<void>;
};

/**
 * Runs the real server as its own process group, as a terminal or a service manager would:
 * `how` is the command (`node` on the sources, or `npm start`).
 */
export async function startServerProcess(options: { how: 'node' | 'npm'; env?: Record<string, string>; dataDir?: string; port?: number }): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'cocreate-process-')));
  const port = options.port ?? (await findFreePort());
  const [command, args] = options.how === 'npm' ? ['npm', ['start', '--silent']] : [process.execPath, [...TYPESCRIPT_LOADER, 'src/server.ts']];
  const child = spawn(command, args, {
    env: { ...process.env, NODE_ENV: 'development', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', PASSWORD_HASH_COST: '1024', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const group = child.pid!;
  const server: ServerProcess = {
    child,
    url,
    port,
    dataDir,
    exited,
    output: () => output,
    enginePid: async () => (JSON.parse(await readFile(path.join(dataDir, 'ferretdb.json'), 'utf8')) as { pid: number }).pid,
    cleanUp: async () => {
      // The embedded engine runs in a process group of its own (a Ctrl-C must not stop it under the
      // server): killed with the server's group alone, it outlived the test, serving a removed directory.
      const engine = await server.enginePid().catch(() => undefined);
      for (const pid of processesInGroup(group)) kill(pid);
      if (engine !== undefined && servesDirectory(engine, dataDir)) kill(engine);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (
      await fetch(`${url}/readyz`).then(
        (response) => response.ok,
        () => false,
      )
    )
      return server;
    if (hasExited(child)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await server.cleanUp();
  throw new Error(`the server did not become ready:\n${output}`);
}

function kill(pid: number) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Whether the process is a FerretDB on that data directory (its state file may name a pid since reused). */
function servesDirectory(pid: number, dataDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`--state-dir=${path.resolve(dataDir)}`);
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The live processes of a process group (Linux /proc). */
export function processesInGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state, ppid, pgrp, …
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // It ended while we looked.
    }
  }
  return pids;
}

export type LoadResult = { startedAt: number; endedAt: number; status?: number; connectionClose?: boolean; error?: string; reusedConnection?: boolean };

/**
 * Bounded load: `connections` clients on kept-alive connections, each sending GETs one after
 * another until stopped or until a request fails (once the server stops, reconnecting is refused).
 * Node's http client never retries, so every reset is counted.
 */
export function startLoad(url: string, options: { connections: number; path: string; maxMs: number }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const results: LoadResult[] = [];
  const until = Date.now() + options.maxMs;
  let stopped = false;
  const once = () =>
    new Promise<LoadResult>((resolve) => {
      const startedAt = Date.now();
      const request = http.get(`${url}${options.path}`, { agent }, (response) => {
        response.resume();
        response.on('end', () => resolve({ startedAt, endedAt: Date.now(), status: response.statusCode, connectionClose: response.headers.connection === 'close' }));
        response.on('error', (error) => resolve({ startedAt, endedAt: Date.now(), error: error.message }));
      });
      request.on('error', (error: NodeJS.ErrnoException) => resolve({ startedAt, endedAt: Date.now(), error: error.code ?? error.message, reusedConnection: request.reusedSocket }));
    });
  const worker = async () => {
    while (!stopped && Date.now() < until) {
      const result = await once();
      results.push(result);
      if (result.error) return;
    }
  };
  // Every client's connection is opened and served once first: a connection still waiting in the
  // kernel's queue was never accepted by the server, and a stop rightly refuses it.
  const warmedUp = Promise.all(Array.from({ length: options.connections }, once));
  const workers = warmedUp.then((first) => {
    results.push(...first);
    return Promise.all(first.map((result) => (result.error ? undefined : worker())));
  });
  return {
    results,
    /** Resolves once every client's connection has been served. */
    warmedUp: () => warmedUp.then(() => undefined),
    /** Resolves when every client has stopped (after a failure, the bound, or `stop`). */
    finished: async () => {
      await workers;
      agent.destroy();
      return results;
    },
    stop: () => {
      stopped = true;
    },
  };
}
