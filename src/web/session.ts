import MongoStore from 'connect-mongo';
import session from 'express-session';
import mongoose from 'mongoose';
import type { Text } from '../i18n/i18n.ts';

declare module 'express-session' {
  interface SessionData {
    // A message is a catalogue key with values (shown in the reader's language) or a plain sentence.
    flash?: Array<{ kind: 'success' | 'info' | 'error'; message: Text; action?: { href: string; label: Text } }>;
  }
}

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

/** How long a session read stays in this process's memory. */
const READ_CACHE_MS = 2_000;
const READ_CACHE_MAX = 10_000;
const recentReads = new Map<string, { expires: number; session: session.SessionData }>();

function remember(sid: string, found: session.SessionData, now: number) {
  if (recentReads.size >= READ_CACHE_MAX) for (const [key, entry] of recentReads) if (entry.expires <= now || recentReads.size >= READ_CACHE_MAX) recentReads.delete(key);
  recentReads.set(sid, { expires: now + READ_CACHE_MS, session: structuredClone(found) });
}

/**
 * A signed-in page reads its session on every request. Keeping each read for 2 s in memory spares
 * the database most of them on busy pages. A write through this process keeps what it wrote (the
 * next request of a form that redirects with a notice reads no session), a destroy drops the
 * entry at once, and so does ending a user's sessions here; another process's sign-out or
 * suspension reaches this one within those 2 s (the user cache already allows 5).
 */
function cacheReads(store: session.Store): session.Store {
  const read = store.get.bind(store);
  store.get = (sid, callback) => {
    const now = Date.now();
    const hit = recentReads.get(sid);
    // A copy: express-session changes the object it is given.
    if (hit && hit.expires > now) return callback(null, structuredClone(hit.session));
    read(sid, (error, found) => {
      if (!error && found) remember(sid, found, now);
      callback(error, found);
    });
  };
  // Not `touch`: express-session touches on every request, and a touch changes no session data.
  const set = store.set.bind(store);
  store.set = (sid, data, callback) => {
    recentReads.delete(sid);
    // A copy: connect-mongo deletes `lastModified` from what it is given, and after a save made
    // before a redirect (flash.ts) express-session saw the request's session changed and saved it
    // a second time when the response ended.
    set(sid, { ...data }, (error) => {
      // As connect-mongo reads it back: the cookie as JSON, and the time of the write (which spares a touch for an hour).
      if (!error) remember(sid, { ...data, cookie: (data.cookie as unknown as { toJSON: () => session.Cookie }).toJSON(), lastModified: new Date() } as session.SessionData, Date.now());
      callback?.(error);
    });
  };
  const destroy = store.destroy.bind(store);
  store.destroy = (sid, callback) => {
    recentReads.delete(sid);
    destroy(sid, callback);
  };
  return store;
}

// Session ids are strings (connect-mongo stores the sid as _id). The raw collection: no sanitizeFilter here.
const sessions = () => mongoose.connection.collection<{ _id: string }>(SESSIONS);

/** Signs a user out everywhere, or everywhere but the session `keep` (theirs, when they changed their password). */
export async function endSessionsOf(userId: string, keep?: string): Promise<void> {
  for (const [sid, entry] of recentReads) if (sid !== keep && (entry.session as { passport?: { user?: string } }).passport?.user === userId) recentReads.delete(sid);
  await sessions().deleteMany(keep === undefined ? { 'session.passport.user': userId } : { 'session.passport.user': userId, _id: { $ne: keep } });
}

export async function removeExpiredSessions(): Promise<number> {
  const result = await sessions().deleteMany({ expires: { $lt: new Date() } });
  return result.deletedCount;
}
