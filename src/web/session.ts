import MongoStore from 'connect-mongo';
import session from 'express-session';
import mongoose from 'mongoose';

declare module 'express-session' {
  interface SessionData {
    flash?: Array<{ kind: 'success' | 'info' | 'error'; message: string }>;
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
    store,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: FOURTEEN_DAYS_MS },
  });
}

const sessions = () => mongoose.connection.collection(SESSIONS);

export async function endSessionsOf(userId: string): Promise<void> {
  await sessions().deleteMany({ 'session.passport.user': userId });
}

export async function removeExpiredSessions(): Promise<number> {
  const result = await sessions().deleteMany({ expires: { $lt: new Date() } });
  return result.deletedCount;
}
