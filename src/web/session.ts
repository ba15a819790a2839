import MongoStore from 'connect-mongo';
import session from 'express-session';
import mongoose from 'mongoose';
import rfdc from 'rfdc';
import { createKeyedCache } from '../shared/keyed-cache.ts';

const SESSIONS = 'sessions';
const FOURTEEN_DAYS_MS = 14 * 24 * 60 * 60 * 1000;

/** The session cookie's name: the CSRF check also looks for it (an API call carrying it is a browser's). */
export const SESSION_COOKIE = 'cocreate.sid';

export function sessionMiddleware(options: { secret: string }) {
  const store = MongoStore.create({
    client: mongoose.connection.getClient() as never,
    collectionName: SESSIONS,
    // Stored as objects (not JSON strings) so a user's sessions can be found and ended.
    stringify: false,
    // connect-mongo's own cleanup uses a TTL index or unacknowledged deletes, neither of which
    // the embedded engine supports: `removeExpiredSessions` runs from the server instead.
    autoRemove: 'disabled',
    touchAfter: 60 * 60,
  });
  return session({
    name: SESSION_COOKIE,
    secret: options.secret,
    store: cacheReads(store),
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: FOURTEEN_DAYS_MS },
  });
}

/**
 * A copy of a session's data (plain objects, arrays, dates): rfdc copies one in about a seventh of
 * structuredClone's time, which was about 2% of a signed-in page's CPU.
 */
const copyOf = rfdc({ proto: false, circles: false });

/** How long a session read stays in this process's memory. */
const READ_CACHE_MS = 2_000;
const READ_CACHE_MAX = 10_000;
/** Each store's reads (one store per app; a test process builds several), which ending a user's sessions drops. */
const readCaches = new Set<{ clear: () => void }>();

/**
 * A signed-in page reads its session on every request. Keeping each read for 2 s in memory spares
 * the database most of them on busy pages; the requests of one session share one read, renewed
 * behind them while they go on (keyed-cache.ts); before, each of a busy session’s requests waited
 * for its own read every 2 s. A write through this process keeps what it wrote (the page a sign-in
 * redirects to reads no session), a destroy drops the entry at once,
 * and so does ending a user's sessions here; another process's sign-out or suspension reaches
 * this one within those 2 s (the user cache already allows 5).
 */
function cacheReads(store: session.Store): session.Store {
  const read = store.get.bind(store);
  const recentReads = createKeyedCache(
    (sid: string) =>
      new Promise<session.SessionData | null>((resolve, reject) => read(sid, (error, found) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(found ?? null)))),
    { ttlMs: READ_CACHE_MS, maxKeys: READ_CACHE_MAX },
  );
  readCaches.add(recentReads);
  store.get = (sid, callback) => {
    recentReads.get(sid).then(
      // A copy: express-session changes the object it is given.
      (found) => callback(null, found && copyOf(found)),
      (error: unknown) => callback(error),
    );
  };
  // Not `touch`: express-session touches on every request, and a touch changes no session data.
  const set = store.set.bind(store);
  store.set = (sid, data, callback) => {
    recentReads.forget(sid);
    // A copy: connect-mongo deletes `lastModified` from what it is given, and after a save made
    // before a redirect (flash.ts) express-session saw the request's session changed and saved it
    // a second time when the response ended.
    set(sid, { ...data }, (error) => {
      // As connect-mongo reads it back: the cookie as JSON, and the time of the write (which spares a touch for an hour).
      if (!error) recentReads.keep(sid, copyOf({ ...data, cookie: (data.cookie as unknown as { toJSON: () => session.Cookie }).toJSON(), lastModified: new Date() }) as session.SessionData);
      callback?.(error);
    });
  };
  const destroy = store.destroy.bind(store);
  store.destroy = (sid, callback) => {
    recentReads.forget(sid);
    destroy(sid, callback);
  };
  return store;
}

// Session ids are strings (connect-mongo stores the sid as _id). The raw collection: no sanitizeFilter here.
const sessions = () => mongoose.connection.collection<{ _id: string }>(SESSIONS);

/** Signs a user out everywhere, or everywhere but the session `keep` (theirs, when they changed their password). */
export async function endSessionsOf(userId: string, keep?: string): Promise<void> {
  try {
    await sessions().deleteMany(keep === undefined ? { 'session.passport.user': userId } : { 'session.passport.user': userId, _id: { $ne: keep } });
  } finally {
    // After the delete, so no read made before it stays. Rare (a sign-out everywhere, a new
    // password, a suspension): every session here is read again.
    for (const cache of readCaches) cache.clear();
  }
}

export async function removeExpiredSessions(): Promise<number> {
  const result = await sessions().deleteMany({ expires: { $lt: new Date() } });
  return result.deletedCount;
}
