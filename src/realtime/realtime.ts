import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { RequestHandler } from 'express';
import type { Store } from 'express-session';
import type { Redis } from 'ioredis';
import { Server, type Socket } from 'socket.io';
import type { ClusterBus } from '../cluster/bus.ts';
import { connectRedis } from '../cluster/redis-client.ts';
import type { UserCache } from '../features/accounts/user-cache.ts';
import type { ChallengeCatalog } from '../features/challenges/challenge-catalog.ts';
import { isChallengeTeam } from '../features/challenges/challenges.policy.ts';
import { canCurate } from '../features/curation/curation.policy.ts';
import type { Challenges } from '../features/challenges/challenges.service.ts';
import type { Ideas } from '../features/ideas/ideas.service.ts';
import type { Notifications } from '../features/notifications/notifications.service.ts';
import type { Actor } from '../shared/actor.ts';
import { NotFound } from '../shared/errors.ts';
import type { EventBus } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import { broadcastDomainEvents } from './broadcasts.ts';
import { isWatchRoom, parseRoomRequest, rooms, type ClientToServerEvents, type RoomRequest, type ServerToClientEvents } from './rooms.ts';

export type RealtimeDeps = {
  httpServer: HttpServer;
  /** The app's own express-session middleware: a socket belongs to the same session as the page. */
  sessionMiddleware: RequestHandler;
  /** The site's address (PUBLIC_URL): only pages of its origin may connect. */
  publicUrl: string;
  events: EventBus;
  users: Pick<UserCache, 'activeActor' | 'forget'>;
  challenges: Pick<Challenges, 'visibleChallenge'>;
  ideas: Pick<Ideas, 'visibleIdea'>;
  catalog: Pick<ChallengeCatalog, 'get' | 'refresh'>;
  notifications: Pick<Notifications, 'unreadCount'>;
  /** What other processes changed (challenges, ideas, users): memberships here are checked again. */
  clusterBus?: ClusterBus;
  /** With several app processes: the socket.io Redis adapter carries every emit to all of them. */
  redisUrl?: string;
  /** Keeps sites (or test runs) sharing one Redis apart, as the cluster bus does: the site's key (`siteKeyOf`). */
  redisNamespace?: string;
  logger?: Logger;
};

type SocketData = {
  actor: Actor | null;
  /** Rooms the client asked for and was let into, each with the challenge it belongs to. */
  watching: Map<string, string>;
  /** Joins, leaves and re-checks of one socket run one after another. */
  queue: Promise<void>;
  sessionCheck?: NodeJS.Timeout;
};

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

type HandshakeRequest = IncomingMessage & {
  _query?: Record<string, string | undefined>;
  session?: { passport?: { user?: unknown } };
  sessionID?: string;
  sessionStore?: Store;
};

const USER_EVENTS = ['user.roles_changed', 'user.suspended', 'user.email_changed', 'user.email_verified', 'user.profile_changed', 'user.password_changed'] as const;
/** A socket asks for a page's room or two; more than this is not a page. */
const MAX_WATCHED_ROOMS = 20;
/** Sign-out elsewhere emits no event: a signed-in socket's session is looked up again this often. */
const SESSION_CHECK_MS = 5 * 60_000;

/**
 * Browsers send Origin on every WebSocket handshake and every cross-origin request, so a foreign
 * page is refused here. A same-origin long-polling GET may come without Origin; a browser then
 * says where it came from in Sec-Fetch-Site. (A client that is not a browser can claim any
 * origin: this check protects visitors' sessions from other sites, nothing more.)
 */
export function originAllowed(req: IncomingMessage, siteOrigin: string): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) return origin === siteOrigin;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin';
}

/**
 * Live updates over socket.io on the app's own HTTP server. A socket is the session's user (or a
 * visitor); it joins the rooms of what its page shows only when the policies let that user see
 * it, and is taken out again when the challenge, the idea or the user changes. Domain events go
 * to rooms chosen by who may see them (broadcasts.ts).
 */
export function createRealtime(deps: RealtimeDeps) {
  const { users, challenges, ideas, logger } = deps;
  const siteOrigin = new URL(deps.publicUrl).origin;
  const io: RealtimeServer = new Server(deps.httpServer, {
    serveClient: true,
    // Browsers only send room names.
    maxHttpBufferSize: 10_000,
    allowRequest: (req, callback) => callback(null, originAllowed(req, siteOrigin)),
  });

  let redis: { pub: Redis; sub: Redis } | undefined;
  let ready: Promise<void> = Promise.resolve();
  if (deps.redisUrl) {
    const pub = connectRedis(deps.redisUrl, { logger, purpose: 'socket.io publisher', maxRetriesPerRequest: 2 });
    // The subscriber waits for Redis however long it is away (and subscribes again when it is back).
    const sub = connectRedis(deps.redisUrl, { logger, purpose: 'socket.io subscriber', maxRetriesPerRequest: null });
    // The adapter publishes without waiting for the answer: while Redis is away, a failed publish
    // must cost that one update to the other processes, not an unhandled rejection.
    const publish = pub.publish.bind(pub) as (channel: string, message: string | Buffer) => Promise<number>;
    pub.publish = ((channel: string, message: string | Buffer) =>
      publish(channel, message).catch((error: unknown) => {
        logger?.warn({ err: error }, 'socket.io adapter could not publish to Redis');
        return 0;
      })) as typeof pub.publish;
    io.adapter(createAdapter(pub, sub, { key: `cocreate:${deps.redisNamespace ?? 'cocreate'}:socket.io` }));
    redis = { pub, sub };
    // Commands on one connection run in order: once this answers, the adapter's subscriptions are in place.
    ready = sub.ping().then(() => undefined);
  }

  // The session is read once per connection (its handshake), never on later polling requests,
  // and not at all for a foreign origin, which allowRequest refuses next.
  io.engine.use((req: HandshakeRequest, res: ServerResponse, next: (error?: unknown) => void) => {
    if (req._query?.sid !== undefined || !originAllowed(req, siteOrigin)) return next();
    deps.sessionMiddleware(req as never, res as never, next);
  });

  // The same resolution as passport's deserializeUser: a suspended or deleted user is nobody.
  io.use((socket, next) => {
    const userId = (socket.request as HandshakeRequest).session?.passport?.user;
    const actor = typeof userId === 'string' ? users.activeActor(userId) : Promise.resolve(null);
    actor.then(
      (found) => {
        socket.data = { actor: found, watching: new Map(), queue: Promise.resolve() };
        next();
      },
      (error: unknown) => next(error instanceof Error ? error : new Error(String(error))),
    );
  });

  /** The rooms a request opens to this actor, or null when the policies say no (for any reason). */
  async function access(actor: Actor | null, request: RoomRequest): Promise<{ rooms: string[]; challengeId: string } | null> {
    try {
      if (request.kind === 'curation') {
        const challenge = await challenges.visibleChallenge(actor, request.id);
        return canCurate(actor, challenge) ? { challengeId: challenge.id, rooms: [request.name] } : null;
      }
      if (request.kind === 'challenge') {
        const challenge = await challenges.visibleChallenge(actor, request.id);
        return { challengeId: challenge.id, rooms: isChallengeTeam(actor, challenge) ? [request.name, rooms.challengeTeam(challenge.id)] : [request.name] };
      }
      const { challenge } = await ideas.visibleIdea(actor, request.id);
      return { challengeId: challenge.id, rooms: [request.name] };
    } catch (error) {
      if (!(error instanceof NotFound)) logger?.warn({ err: error, room: request.name }, 'could not check a room for a socket');
      return null;
    }
  }

  function serially(socket: LiveSocket, task: () => Promise<void>): Promise<void> {
    const run = socket.data.queue.then(task).catch((error: unknown) => logger?.warn({ err: error }, 'realtime socket task failed'));
    socket.data.queue = run;
    return run;
  }

  /** Checks every room the socket watches against the policies again: joins what is now allowed, leaves the rest. */
  async function recheckRooms(socket: LiveSocket): Promise<void> {
    const allowed = new Set<string>();
    for (const room of [...socket.data.watching.keys()]) {
      const granted = await access(socket.data.actor, parseRoomRequest(room)!);
      if (granted) {
        socket.data.watching.set(room, granted.challengeId);
        for (const name of granted.rooms) allowed.add(name);
      } else {
        socket.data.watching.delete(room);
      }
    }
    if (!socket.connected) return;
    for (const room of socket.rooms) if (isWatchRoom(room) && !allowed.has(room)) void socket.leave(room);
    if (allowed.size) void socket.join([...allowed]);
  }

  function sessionStillBelongsTo(socket: LiveSocket, userId: string): Promise<boolean> {
    const { sessionStore, sessionID } = socket.request as HandshakeRequest;
    if (!sessionStore || !sessionID) return Promise.resolve(false);
    return new Promise((resolve) => {
      sessionStore.get(sessionID, (error, session) => {
        // A database hiccup keeps the socket; the next check decides.
        resolve(error ? true : (session as { passport?: { user?: unknown } } | null | undefined)?.passport?.user === userId);
      });
    });
  }

  /** After sign-out, suspension, a password reset or a role change: who is this socket now? */
  async function recheckUser(socket: LiveSocket): Promise<void> {
    const current = socket.data.actor;
    if (!current || !socket.connected) return;
    const actor = (await sessionStillBelongsTo(socket, current.id)) ? await users.activeActor(current.id) : null;
    if (!actor) {
      socket.disconnect(true);
      return;
    }
    socket.data.actor = actor;
    await recheckRooms(socket);
  }

  const localSockets = () => io.of('/').sockets.values() as IterableIterator<LiveSocket>;
  const recheckWatchersOf = (matches: (watching: Map<string, string>) => boolean) => {
    for (const socket of localSockets()) if (matches(socket.data.watching)) void serially(socket, () => recheckRooms(socket));
  };
  const recheckChallenge = (challengeId: string) => recheckWatchersOf((watching) => [...watching.values()].includes(challengeId));
  const recheckIdea = (ideaId: string) => recheckWatchersOf((watching) => watching.has(rooms.idea(ideaId)));
  const recheckUserSockets = (userId: string) => {
    const ids = io.of('/').adapter.rooms.get(rooms.user(userId));
    for (const id of ids ?? []) {
      const socket = io.of('/').sockets.get(id) as LiveSocket | undefined;
      if (socket) void serially(socket, () => recheckUser(socket));
    }
  };

  io.on('connection', (socket: LiveSocket) => {
    const { actor } = socket.data;
    if (actor) {
      void socket.join(rooms.user(actor.id));
      socket.data.sessionCheck = setInterval(() => void serially(socket, () => recheckUser(socket)), SESSION_CHECK_MS);
      socket.data.sessionCheck.unref();
    }

    socket.on('join', (room, ack) => {
      const reply = (joined: boolean) => {
        if (typeof ack === 'function') ack(joined);
      };
      const request = parseRoomRequest(room);
      if (!request) return reply(false);
      void serially(socket, async () => {
        if (!socket.data.watching.has(request.name) && socket.data.watching.size >= MAX_WATCHED_ROOMS) return reply(false);
        const granted = await access(socket.data.actor, request);
        if (!granted || !socket.connected) return reply(false);
        socket.data.watching.set(request.name, granted.challengeId);
        await socket.join(granted.rooms);
        reply(true);
      });
    });

    socket.on('leave', (room) => {
      const request = parseRoomRequest(room);
      if (!request) return;
      void serially(socket, async () => {
        const challengeId = socket.data.watching.get(request.name);
        if (challengeId === undefined) return;
        socket.data.watching.delete(request.name);
        await socket.leave(request.name);
        if (request.kind === 'challenge') await socket.leave(rooms.challengeTeam(request.id));
      });
    });

    socket.on('disconnect', () => clearInterval(socket.data.sessionCheck));
  });

  const unsubscribe = [
    broadcastDomainEvents(io, deps),
    deps.events.on('challenge.saved', ({ challengeId }) => recheckChallenge(challengeId)),
    deps.events.on('challenge.phase_changed', ({ challengeId }) => recheckChallenge(challengeId)),
    deps.events.on('idea.saved', ({ ideaId }) => recheckIdea(ideaId)),
    ...USER_EVENTS.map((name) => deps.events.on(name, ({ userId }) => recheckUserSockets(userId))),
  ].flat();

  let closed = false;
  deps.clusterBus?.onMessage((message) => {
    if (closed) return;
    switch (message.kind) {
      case 'challenge':
        // The read-model sync reloads it too; checking after our own reload sees the new version.
        void deps.catalog.refresh(message.id).then(
          () => recheckChallenge(message.id),
          (error: unknown) => logger?.warn({ err: error }, 'could not reload a challenge'),
        );
        break;
      case 'idea':
        recheckIdea(message.id);
        break;
      case 'user':
        users.forget(message.id);
        recheckUserSockets(message.id);
        break;
      case 'inboxes':
        break;
    }
  });

  return {
    io,
    /** Resolves once the Redis adapter listens (at once without Redis). */
    ready: () => ready,
    /** Disconnects every socket and stops listening; the HTTP server itself is left to its owner. */
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const off of unsubscribe) off();
      for (const socket of localSockets()) {
        clearInterval(socket.data.sessionCheck);
        socket.disconnect(true);
      }
      await io.of('/').adapter.close();
      io.engine.close();
      redis?.sub.disconnect();
      redis?.pub.disconnect();
    },
  };
}

export type Realtime = ReturnType<typeof createRealtime>;

type BuiltApp = {
  events: EventBus;
  services: { challenges: Challenges; ideas: Ideas; notifications: Notifications };
  readModels: { users: UserCache; catalog: ChallengeCatalog };
  web: { session: RequestHandler };
};

/** Live updates for an app made by `createApp`, on the HTTP server that serves it. */
export function createRealtimeForApp(built: BuiltApp, options: Pick<RealtimeDeps, 'httpServer' | 'publicUrl' | 'clusterBus' | 'redisUrl' | 'redisNamespace' | 'logger'>): Realtime {
  return createRealtime({
    ...options,
    sessionMiddleware: built.web.session,
    events: built.events,
    users: built.readModels.users,
    catalog: built.readModels.catalog,
    challenges: built.services.challenges,
    ideas: built.services.ideas,
    notifications: built.services.notifications,
  });
}
