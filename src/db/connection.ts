import mongoose from 'mongoose';

// Operators in user input must never reach a query: filters are sanitised by default and
// unknown paths are dropped. Internal queries that need operators wrap them in `mongoose.trusted`.
mongoose.set('strictQuery', true);
mongoose.set('sanitizeFilter', true);

/**
 * While the database is unreachable a request waits at most this long for it (server selection,
 * or Mongoose's queue while disconnected) before failing with a 503: users get an answer in a
 * few seconds, and a database back within the bound is never noticed.
 */
export const DATABASE_WAIT_MS = 3_000;
mongoose.set('bufferTimeoutMS', DATABASE_WAIT_MS);
// At start a database may take longer to come up (a container starting beside us).
const CONNECT_WITHIN_MS = 30_000;

/** `driver`: further driver options (the ops count of scripts/bench/write-ops.ts watches every command). */
export async function connectDatabase(uri: string, driver: { monitorCommands?: boolean } = {}): Promise<typeof mongoose> {
  const deadline = Date.now() + CONNECT_WITHIN_MS;
  for (;;) {
    try {
      // connectTimeoutMS bounds the driver's own check of the server too (its connection and its
      // hello): one that met an engine going down or coming up and got no answer left the driver
      // blind to the server for the default 30 s, so a restarted engine went unseen that long
      // (database-faults, about one run in four: no heartbeat at all after the restart). Twice
      // the wait, so a new connection on a busy machine is not given up too soon.
      await mongoose.connect(uri, { serverSelectionTimeoutMS: DATABASE_WAIT_MS, connectTimeoutMS: 2 * DATABASE_WAIT_MS, ...driver });
      break;
    } catch (error) {
      if (!databaseUnavailable(error) || Date.now() > deadline) throw error;
      await mongoose.disconnect();
    }
  }
  // Unique indexes are the guards against duplicates: they must exist before serving or testing.
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
  return mongoose;
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

/**
 * True when the database answers a ping within the timeout; used by /readyz. Asked even while
 * Mongoose says disconnected: the ping makes the driver look for the server now, where its own
 * monitor would only look again at its next heartbeat (a restarted engine stayed unseen for 20 s).
 */
export async function databaseIsReady(timeoutMs = 2_000): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      db
        .admin()
        .ping()
        .then(() => true),
      timeout,
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

const UNAVAILABLE_ERRORS = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/** True for the errors of a database that does not answer (as opposed to one that refused a query). */
export function databaseUnavailable(error: unknown): boolean {
  const candidate = error as { name?: string; message?: string } | null;
  if (!candidate || typeof candidate !== 'object') return false;
  if (UNAVAILABLE_ERRORS.has(candidate.name ?? '')) return true;
  // An insertMany (the change log's grouped appends) reports a lost connection inside a bulk-write error.
  if (candidate.name === 'MongoBulkWriteError') return databaseUnavailable((candidate as { errorResponse?: unknown }).errorResponse);
  // A command written to a socket the engine had just closed (it died) surfaces from the driver as
  // Node's own error (writeAfterFIN), not as a MongoNetworkError: recognised by its code and origin.
  const { code, stack } = candidate as { code?: string; stack?: string };
  if ((code === 'EPIPE' || code === 'ECONNRESET') && /[\\/]mongodb[\\/]/.test(stack ?? '')) return true;
  // Mongoose queues operations while disconnected and fails them with a plain MongooseError.
  return candidate.name === 'MongooseError' && /buffering timed out/.test(candidate.message ?? '');
}
