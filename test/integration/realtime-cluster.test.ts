import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { createRedisBus, type ClusterBus } from '../../src/cluster/bus.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import type { TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WAIT_MS = 5_000;

/** Two app processes (two apps, each with its own socket.io server) on one database, joined by Redis. */
describe('live updates reach sockets on every app process through Redis', () => {
  let first: TestApp;
  let second: TestApp;
  const buses: ClusterBus[] = [];
  const sockets: Socket[] = [];
  before(async () => {
    const namespace = `test-${randomUUID()}`;
    const logger = createLogger('silent');
    buses.push(createRedisBus({ redisUrl: REDIS_URL, logger, namespace }), createRedisBus({ redisUrl: REDIS_URL, logger, namespace }));
    first = await startTestApp({ clusterBus: buses[0], redis: { url: REDIS_URL, namespace } });
    second = await startTestApp({ clusterBus: buses[1], redis: { url: REDIS_URL, namespace } });
  });
  after(async () => {
    for (const socket of sockets) socket.disconnect();
    for (const bus of buses) await bus.close();
    await second.close();
    await first.close();
  });

  function connect(app: TestApp, as?: TestClient): Promise<Socket> {
    const session = as?.cookie('cocreate.sid');
    const socket = io(app.url, {
      transports: ['websocket'],
      extraHeaders: { origin: app.url, ...(session ? { cookie: `cocreate.sid=${session}` } : {}) },
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }

  function next<T>(socket: Socket, event: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${event}" within ${WAIT_MS / 1000} s`)), WAIT_MS);
      socket.once(event, (payload: T) => {
        clearTimeout(timer);
        resolve(payload);
      });
    });
  }

  it('delivers a vote and an unread count from one process to sockets on the other', async () => {
    const { id } = await createChallenge(first, { phase: 'open' });
    const author = await signedInClient(first.url, await createUser({ name: 'Remote Author' }));
    const created = await author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: 'Voted on the first' }));
    const ideaId = (created.headers.get('location') ?? '').split('/')[2]!;

    const reader = await createUser({ name: 'Second Reader' });
    const onSecond = await connect(second, await signedInClient(second.url, reader));
    assert.equal(await onSecond.timeout(WAIT_MS).emitWithAck('join', `challenge:${id}`), true);

    const counted = next(onSecond, 'idea:votes');
    await first.services.votes.castVote(actorFor(await createUser({ name: 'First Voter' })), ideaId);
    assert.deepEqual(await counted, { ideaId, votes: 1 });

    const unread = next(onSecond, 'inbox:count');
    await first.services.notifications.notify([reader.id], { kind: 'phase_changed', text: 'Told on the first', link: '/' });
    assert.deepEqual(await unread, { unread: 1 });
  });
});
