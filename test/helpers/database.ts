import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import mongoose from 'mongoose';
import { connectDatabase } from '../../src/db/connection.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded-ferretdb.ts';
import '../../src/db/models.ts';

let connecting: Promise<() => Promise<void>> | undefined;
let privateEngine: { engine: EmbeddedDatabase; dataDir: string } | undefined;

/** The FerretDB this file started for itself (see `useTestDatabase`), to kill, stop, or start anew on its data. */
export function testEngine() {
  const current = privateEngine;
  if (!current) throw new Error('this test file uses the shared engine');
  return {
    engine: current.engine,
    /** Starts the engine again on the same port and data, after `engine.stop()`; stopped with the file's database. */
    restart: async () => {
      current.engine = await startEmbeddedDatabase({ dataDir: current.dataDir, port: current.engine.port });
    },
  };
}

/**
 * Connects this test file to a database of its own on the run's FerretDB (started by
 * `npm test`), or starts a private FerretDB when the file is run alone or asks for one
 * (a test that stops the database must not stop everyone's). Returns the function that drops it.
 */
export function useTestDatabase(options: { privateEngine?: boolean } = {}): Promise<() => Promise<void>> {
  connecting ??= (async () => {
    const name = `test_${randomBytes(6).toString('hex')}`;
    let stopEngine = async () => {};
    let uri: string;
    const sharedPort = process.env.COCREATE_TEST_DB_PORT;
    if (sharedPort && !options.privateEngine) {
      uri = `mongodb://127.0.0.1:${sharedPort}/${name}?directConnection=true`;
    } else {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cocreate-test-db-'));
      const engine = await startEmbeddedDatabase({ dataDir });
      const current = (privateEngine = { engine, dataDir });
      uri = engine.uri(name);
      stopEngine = async () => {
        await current.engine.stop();
        await rm(dataDir, { recursive: true, force: true });
      };
    }
    await connectDatabase(uri);
    return async () => {
      await mongoose.connection.dropDatabase().catch(() => undefined);
      await mongoose.disconnect();
      await stopEngine();
    };
  })();
  return connecting;
}

/** Call inside a `describe`: its tests run on this file's database, dropped after the suite. */
export function useDatabaseInSuite(): void {
  let close: () => Promise<void> = async () => {};
  before(async () => {
    close = await useTestDatabase();
  });
  after(() => close());
}
